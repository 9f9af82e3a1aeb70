"""The year at a glance: the seed report's year in order, one step after another, each
with what is done, what is missing (with counts and the page that fixes it) and which
step comes next. A fixed number of count queries, whatever the programme's size."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from assessments.models import TestResult
from birgemiz import registers
from birgemiz.models import Meeting, Narrative, Publication, Track
from courses.models import CourseGroup, Enrollment, Lesson, Student
from surveys.models import Survey, SurveyResponse
from volunteers.models import (
    Award,
    Certificate,
    CouncilMeeting,
    CouncilMember,
    SelectionCriterion,
    TrainingEvent,
    Volunteer,
    VolunteerApplication,
)

from .models import IssuedReport


@dataclass
class Missing:
    text: str
    url: str = ""


@dataclass
class Step:
    number: int
    title: str
    facts: list = field(default_factory=list)  # (label, value)
    missing: list = field(default_factory=list)  # Missing
    links: list = field(default_factory=list)  # (label, url)
    is_next: bool = False

    @property
    def done(self):
        return not self.missing


def _admin(model, program, **params):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    query = "&".join(f"{k}={v}" for k, v in {"programme": program.pk, **params}.items())
    return f"{url}?{query}"


def _add(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def _import(name):
    if registers.get(name) is None:
        return reverse("registers:index")
    return reverse("registers:import", args=[name])


def year_steps(program):
    """The steps of `program`'s year, the first unfinished one marked `is_next`."""
    code = program.code
    survey = Survey.objects.filter(program=program).aggregate(
        surveys=Count("pk"), published=Count("pk", filter=Q(is_published=True))
    )
    responses = SurveyResponse.objects.filter(survey__program=program).count()
    meetings = Meeting.objects.filter(program=program).count()
    members = CouncilMember.objects.filter(program=program).aggregate(
        all=Count("pk"), without_account=Count("pk", filter=Q(user__isnull=True))
    )
    criteria = SelectionCriterion.objects.filter(program=program).count()
    council_meetings = CouncilMeeting.objects.filter(program=program).count()
    apps = VolunteerApplication.objects.filter(program=program).aggregate(
        all=Count("pk"), pending=Count("pk", filter=Q(decision=VolunteerApplication.Decision.PENDING))
    )
    volunteers = (
        Volunteer.objects.filter(program=program)
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .aggregate(all=Count("pk"), without_account=Count("pk", filter=Q(user__isnull=True)))
    )
    trainings = TrainingEvent.objects.filter(program=program).count()
    tracks = Track.objects.filter(program=program).aggregate(
        # distinct: the join to the groups repeats a track once per group
        all=Count("pk", distinct=True),
        without_group=Count("pk", filter=Q(groups__isnull=True), distinct=True),
    )
    groups = CourseGroup.objects.filter(program=program).aggregate(
        all=Count("pk"), without_volunteer=Count("pk", filter=Q(volunteer__isnull=True))
    )
    students = Student.objects.filter(program=program).count()
    enrolled = Enrollment.objects.filter(group__program=program).exclude(status="dropped")
    enrolments = enrolled.count()
    tested = TestResult.objects.filter(program=program, student__isnull=False).aggregate(
        pre=Count("pk", filter=Q(kind="pre")), post=Count("pk", filter=Q(kind="post"))
    )
    lessons = Lesson.objects.filter(group__program=program).aggregate(
        all=Count("pk"), pending=Count("pk", filter=Q(status=Lesson.Status.PENDING))
    )
    publications = Publication.objects.filter(program=program).count()
    awards = Award.objects.filter(program=program).count()
    certificates = Certificate.objects.filter(program=program).count()
    narratives = Narrative.objects.filter(program=program).aggregate(
        all=Count("pk"), empty=Count("pk", filter=Q(text_kk="") | Q(text_ru=""))
    )
    issued = IssuedReport.objects.filter(program=program).count()

    steps = []

    def step(title, facts, missing, links):
        steps.append(Step(len(steps) + 1, title, facts, [m for m in missing if m], links))

    def need(condition, text, url=""):
        return Missing(text, url) if condition else None

    step(
        _("Outreach and the needs survey"),
        [
            (_("outreach meetings"), meetings),
            (_("surveys"), survey["surveys"]),
            (_("survey answers"), responses),
        ],
        [
            need(not meetings, _("No outreach meeting is recorded yet."), _import("meetings")),
            need(
                not survey["surveys"],
                _("No survey yet: add one (or copy the programme from a template)."),
                _add(Survey),
            ),
            need(
                survey["surveys"] and not survey["published"],
                _("No survey is published: students cannot answer."),
                _admin(Survey, program),
            ),
            need(
                survey["published"] and not responses,
                _("The survey has no answers yet."),
                reverse("surveys:list", args=[code]),
            ),
        ],
        [(_("Surveys"), reverse("surveys:list", args=[code]))],
    )
    step(
        _("Expert council"),
        [
            (_("council members"), members["all"]),
            (_("selection criteria"), criteria),
            (_("council meetings"), council_meetings),
        ],
        [
            need(not members["all"], _("The council has no members: invite them."), _add_invitation()),
            need(
                members["without_account"],
                ngettext(
                    "%(n)d council member has no account: invite them.",
                    "%(n)d council members have no account: invite them.",
                    members["without_account"],
                )
                % {"n": members["without_account"]},
                _add_invitation(),
            ),
            need(
                not criteria,
                _("No selection criteria: the council cannot score applications."),
                _admin(SelectionCriterion, program),
            ),
        ],
        [(_("Council meetings"), reverse("volunteers:meetings", args=[code]))],
    )
    step(
        _("Volunteer applications and selection"),
        [(_("applications"), apps["all"]), (_("volunteers"), volunteers["all"])],
        [
            need(
                not apps["all"] and not volunteers["all"],
                _("No applications yet: share the application form, or import the volunteers."),
                _import("volunteers"),
            ),
            need(
                apps["pending"],
                ngettext(
                    "%(n)d application waits for the council's decision.",
                    "%(n)d applications wait for the council's decision.",
                    apps["pending"],
                )
                % {"n": apps["pending"]},
                reverse("volunteers:ranking", args=[code]),
            ),
            need(
                volunteers["without_account"],
                ngettext(
                    "%(n)d volunteer has no account: invite them.",
                    "%(n)d volunteers have no account: invite them.",
                    volunteers["without_account"],
                )
                % {"n": volunteers["without_account"]},
                _admin(Volunteer, program),
            ),
        ],
        [(_("Applications"), reverse("volunteers:ranking", args=[code]))],
    )
    step(
        _("Volunteer training"),
        [(_("training events"), trainings)],
        [
            need(
                volunteers["all"] and not trainings,
                _("No training is recorded yet."),
                reverse("assessments:training", args=[code]),
            )
        ],
        [(_("Training"), reverse("assessments:training", args=[code]))],
    )
    step(
        _("Groups and enrolment"),
        [
            (_("tracks"), tracks["all"]),
            (pgettext("course groups", "groups"), groups["all"]),
            (_("students"), students),
            (_("enrolments"), enrolments),
        ],
        [
            need(
                not tracks["all"],
                _("No tracks yet: import them or copy the programme from a template."),
                _import("tracks"),
            ),
            need(
                tracks["without_group"],
                ngettext("%(n)d track has no group.", "%(n)d tracks have no group.", tracks["without_group"])
                % {"n": tracks["without_group"]},
                _import("course-groups"),
            ),
            need(
                groups["without_volunteer"],
                ngettext(
                    "%(n)d group has no volunteer.",
                    "%(n)d groups have no volunteer.",
                    groups["without_volunteer"],
                )
                % {"n": groups["without_volunteer"]},
                _admin(CourseGroup, program),
            ),
            need(not students, _("No students yet: import them."), _import("students")),
            need(
                students and not enrolments,
                _("No student is in a group yet: import the enrolments."),
                _import("enrollments"),
            ),
        ],
        [(_("Import a spreadsheet"), reverse("registers:index"))],
    )
    missing_pre = max(enrolments - tested["pre"], 0)
    step(
        _("Pre-tests"),
        [(_("pre-test results"), tested["pre"])],
        [
            need(
                enrolments and missing_pre,
                ngettext(
                    "%(n)d enrolment has no pre-test result.",
                    "%(n)d enrolments have no pre-test result.",
                    missing_pre,
                )
                % {"n": missing_pre},
                _import("test-results"),
            )
        ],
        [(_("Online tests"), reverse("assessments:quiz_list", args=[code]))],
    )
    step(
        _("Lessons"),
        [(_("lessons"), lessons["all"])],
        [
            need(
                groups["all"] and not lessons["all"],
                _("No lesson is logged yet: volunteers log them on the portal."),
                reverse("assessments:lessons", args=[code]),
            ),
            need(
                lessons["pending"],
                ngettext(
                    "%(n)d lesson waits for your confirmation.",
                    "%(n)d lessons wait for your confirmation.",
                    lessons["pending"],
                )
                % {"n": lessons["pending"]},
                reverse("assessments:lessons", args=[code]),
            ),
        ],
        [(_("Lessons and hours"), reverse("assessments:lessons", args=[code]))],
    )
    missing_post = max(enrolments - tested["post"], 0)
    step(
        _("Post-tests"),
        [(_("post-test results"), tested["post"])],
        [
            need(
                enrolments and lessons["all"] and missing_post,
                ngettext(
                    "%(n)d enrolment has no post-test result.",
                    "%(n)d enrolments have no post-test result.",
                    missing_post,
                )
                % {"n": missing_post},
                _import("test-results"),
            )
        ],
        [(_("Online tests"), reverse("assessments:quiz_list", args=[code]))],
    )
    step(
        _("Publications"),
        [(_("publications"), publications)],
        [need(not publications, _("No publication is recorded yet."), _import("publications"))],
        [(_("Publications"), _admin(Publication, program))],
    )
    step(
        _("Awards and certificates"),
        [(_("awards"), awards), (_("certificates"), certificates)],
        [
            need(
                volunteers["all"] and not awards,
                _("No volunteer is awarded yet."),
                reverse("assessments:awards", args=[code]),
            )
        ],
        [
            (_("Awards"), reverse("assessments:awards", args=[code])),
            (_("Certificates"), reverse("assessments:certificates", args=[code])),
        ],
    )
    empty = narratives["empty"] + (len(Narrative.Key.values) - narratives["all"])
    step(
        _("Final report"),
        [(_("issued reports"), issued)],
        [
            need(
                empty,
                ngettext(
                    "%(n)d narrative of the report is not written in both languages.",
                    "%(n)d narratives of the report are not written in both languages.",
                    empty,
                )
                % {"n": empty},
                reverse("admin:birgemiz_program_change", args=[program.pk]),
            ),
            need(not issued, _("The report is not issued yet."), reverse("reporting:report", args=[code])),
        ],
        [(_("Final report"), reverse("reporting:report", args=[code]))],
    )
    for s in steps:
        if not s.done:
            s.is_next = True
            break
    return steps


def _add_invitation():
    return reverse("admin:birgemiz_invitation_add")
