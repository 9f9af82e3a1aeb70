"""Named metrics: the figures an indicator, an activity or a socio-economic row can
compute from records instead of having them typed.

A metric is `fn(program, param) -> Figure`. `param` is a track code (``english``),
an activity key (``1.1``, task.activity) or ``kind@1.1`` where noted. Each figure
carries the rows it counts (a model and filters) so the report can link to them.
Every metric is one or two queries, whatever the size of the programme.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from assessments.models import TestResult
from birgemiz.metric_registry import REGISTRY
from birgemiz.models import Activity, Evidence, Meeting, Partner, Publication, Track
from courses.models import CourseGroup, Enrollment, Lesson, Student
from surveys.models import SurveyResponse
from volunteers.models import Award, CouncilMeeting, CouncilMember, Volunteer


@dataclass
class Figure:
    value: Decimal | int | None
    display: str = ""
    rows_model: str = ""  # "app_label.model"
    rows_filters: dict = field(default_factory=dict)
    # Named sub-figures (e.g. "low" of direct beneficiaries) so a report can word them itself.
    parts: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.display and self.value is not None:
            self.display = format_number(self.value)

    @property
    def rows_url(self):
        if not self.rows_model:
            return ""
        app_label, model = self.rows_model.split(".")
        try:
            base = reverse(f"admin:{app_label}_{model}_changelist")
        except NoReverseMatch:
            return ""
        return f"{base}?{urlencode(self.rows_filters)}" if self.rows_filters else base


def format_number(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = int(value)
        else:
            return f"{value:f}"
    return f"{value}"


def metric(name, label, param_help=""):
    def register(fn):
        REGISTRY[name] = (fn, label, param_help)
        return fn

    return register


class UnknownMetric(ValueError):
    pass


def compute(program, name, param=""):
    try:
        fn = REGISTRY[name][0]
    except KeyError:
        raise UnknownMetric(name) from None
    return fn(program, (param or "").strip())


def _activity(program, key):
    try:
        task_no, act_no = (int(p) for p in key.split("."))
    except ValueError:
        raise UnknownMetric(f"bad activity key {key!r}") from None
    return Activity.objects.filter(task__program=program, task__number=task_no, number=act_no).first()


def _track(program, code):
    return Track.objects.filter(program=program, code=code).first()


# ---------------------------------------------------------------- outreach


@metric("meetings", _("outreach meetings held"))
def meetings(program, param):
    n = Meeting.objects.filter(program=program).count()
    return Figure(n, rows_model="birgemiz.meeting", rows_filters={"program__id__exact": program.pk})


@metric("meeting_participants", _("participants of outreach meetings"))
def meeting_participants(program, param):
    total = Meeting.objects.filter(program=program).aggregate(s=Sum("participants"))["s"] or 0
    return Figure(total, rows_model="birgemiz.meeting", rows_filters={"program__id__exact": program.pk})


@metric("meetings_with_protocol", _("outreach meetings with minutes"))
def meetings_with_protocol(program, param):
    n = Meeting.objects.filter(program=program, has_protocol=True).count()
    return Figure(
        n,
        rows_model="birgemiz.meeting",
        rows_filters={"program__id__exact": program.pk, "has_protocol__exact": 1},
    )


@metric("meetings_with_participant_list", _("outreach meetings with a participant list"))
def meetings_with_participant_list(program, param):
    n = Meeting.objects.filter(program=program, has_participant_list=True).count()
    return Figure(
        n,
        rows_model="birgemiz.meeting",
        rows_filters={"program__id__exact": program.pk, "has_participant_list__exact": 1},
    )


@metric("evidence", _("evidence files of a kind attached to an activity"), "kind@task.activity")
def evidence(program, param):
    kind, _sep, key = param.partition("@")
    qs = Evidence.objects.filter(program=program, kind=kind)
    filters = {"program__id__exact": program.pk, "kind__exact": kind}
    if key:
        activity = _activity(program, key)
        qs = qs.filter(activity=activity)
        filters["activity__id__exact"] = activity.pk if activity else 0
    return Figure(qs.count(), rows_model="birgemiz.evidence", rows_filters=filters)


@metric("photos", _("photos attached to an activity"), "task.activity")
def photos(program, param):
    return evidence(program, f"photo@{param}")


@metric("publications", _("media publications (all kinds but banners)"), "optional task.activity")
def publications(program, param):
    qs = Publication.objects.filter(program=program).exclude(kind=Publication.Kind.BANNER)
    filters = {"program__id__exact": program.pk}
    if param:
        activity = _activity(program, param)
        qs = qs.filter(activity=activity)
        filters["activity__id__exact"] = activity.pk if activity else 0
    return Figure(qs.count(), rows_model="birgemiz.publication", rows_filters=filters)


def _videos(program, param):
    qs = Publication.objects.filter(program=program, kind=Publication.Kind.VIDEO)
    filters = {"program__id__exact": program.pk, "kind__exact": Publication.Kind.VIDEO}
    if param:
        activity = _activity(program, param)
        qs = qs.filter(activity=activity)
        filters["activity__id__exact"] = activity.pk if activity else 0
    return qs, filters


@metric("videos", _("videos published"), "optional task.activity")
def videos(program, param):
    qs, filters = _videos(program, param)
    return Figure(qs.count(), rows_model="birgemiz.publication", rows_filters=filters)


@metric("video_views", _("sum of video views"), "optional task.activity")
def video_views(program, param):
    qs, filters = _videos(program, param)
    total = qs.aggregate(s=Sum("views"))["s"] or 0
    return Figure(total, rows_model="birgemiz.publication", rows_filters=filters)


@metric("partners", _("partners of the programme"))
def partners(program, param):
    n = Partner.objects.filter(program=program).count()
    return Figure(n, rows_model="birgemiz.partner", rows_filters={"program__id__exact": program.pk})


# ---------------------------------------------------------------- survey and council


@metric("survey_responses", _("survey responses"))
def survey_responses(program, param):
    n = SurveyResponse.objects.filter(survey__program=program).count()
    return Figure(
        n, rows_model="surveys.surveyresponse", rows_filters={"survey__program__id__exact": program.pk}
    )


@metric("council_members", _("expert council members"))
def council_members(program, param):
    n = CouncilMember.objects.filter(program=program).count()
    return Figure(
        n, rows_model="volunteers.councilmember", rows_filters={"program__id__exact": program.pk}
    )


@metric("council_meetings", _("expert council meetings"))
def council_meetings(program, param):
    n = CouncilMeeting.objects.filter(program=program).count()
    return Figure(
        n, rows_model="volunteers.councilmeeting", rows_filters={"program__id__exact": program.pk}
    )


# ---------------------------------------------------------------- volunteers and students


def volunteer_queryset(program, track_code=""):
    qs = Volunteer.objects.filter(program=program).exclude(status=Volunteer.Status.WITHDRAWN)
    if track_code:
        qs = qs.filter(track__code=track_code)
    return qs


def student_queryset(program, track_code=""):
    """Students with at least one enrollment that is not dropped (in the track)."""
    enrolled = Enrollment.objects.filter(group__program=program).exclude(
        status=Enrollment.Status.DROPPED
    )
    if track_code:
        enrolled = enrolled.filter(group__track__code=track_code)
    return Student.objects.filter(program=program, id__in=enrolled.values("student_id"))


@metric("volunteers", _("volunteers (in a track)"), "optional track code")
def volunteers(program, param):
    n = volunteer_queryset(program, param).count()
    filters = {"program__id__exact": program.pk}
    if param:
        filters["track__code"] = param
    return Figure(n, rows_model="volunteers.volunteer", rows_filters=filters)


@metric("students", _("students enrolled (in a track)"), "optional track code")
def students(program, param):
    n = student_queryset(program, param).count()
    filters = {"program__id__exact": program.pk}
    if param:
        filters["enrollments__group__track__code"] = param
    return Figure(n, rows_model="courses.student", rows_filters=filters)


@metric("low_income_students", _("enrolled students from low-income families"))
def low_income_students(program, param):
    n = student_queryset(program, param).filter(low_income=True).count()
    return Figure(
        n,
        rows_model="courses.student",
        rows_filters={"program__id__exact": program.pk, "low_income__exact": 1},
    )


@metric("direct_beneficiaries", _("direct beneficiaries, of whom from low-income families"))
def direct_beneficiaries(program, param):
    counts = student_queryset(program).aggregate(
        total=Count("id"), low=Count("id", filter=Q(low_income=True))
    )
    return Figure(
        counts["total"],
        display=_("%(total)s, of whom %(low)s from low-income families") % counts,
        parts={"low": counts["low"]},
        rows_model="courses.student",
        rows_filters={"program__id__exact": program.pk},
    )


@metric("track_participants", _("volunteers / students of a track"), "track code")
def track_participants(program, param):
    v = volunteer_queryset(program, param).count()
    s = student_queryset(program, param).count()
    return Figure(
        s,
        display=f"{v} / {s}",
        rows_model="courses.enrollment",
        rows_filters={"group__program__id__exact": program.pk, "group__track__code": param},
    )


@metric("students_and_volunteers", _("students / volunteers of the programme"))
def students_and_volunteers(program, param):
    s = student_queryset(program).count()
    v = volunteer_queryset(program).count()
    return Figure(
        s,
        display=f"{s} / {v}",
        rows_model="courses.student",
        rows_filters={"program__id__exact": program.pk},
    )


@metric("attendance_journals", _("attendance journals (course groups) of a track"), "track code")
def attendance_journals(program, param):
    n = CourseGroup.objects.filter(program=program, track__code=param).count()
    return Figure(
        n,
        rows_model="courses.coursegroup",
        rows_filters={"program__id__exact": program.pk, "track__code": param},
    )


@metric(
    "test_measurements",
    _("knowledge measurements: distinct (subject, pre/post) pairs tested in a track"),
    "track code",
)
def test_measurements(program, param):
    pairs = (
        TestResult.objects.filter(program=program, track__code=param, student__isnull=False)
        .values_list("student__enrollments__group__subject_id", "kind")
        .distinct()
    )
    n = len(set(pairs))
    return Figure(
        n,
        rows_model="assessments.testresult",
        rows_filters={"program__id__exact": program.pk, "track__code": param},
    )


@metric("confirmed_lessons", _("confirmed lessons (in a track)"), "optional track code")
def confirmed_lessons(program, param):
    qs = Lesson.objects.filter(group__program=program, status=Lesson.Status.CONFIRMED)
    filters = {"group__program__id__exact": program.pk, "status__exact": "confirmed"}
    if param:
        qs = qs.filter(group__track__code=param)
        filters["group__track__code"] = param
    return Figure(qs.count(), rows_model="courses.lesson", rows_filters=filters)


@metric("confirmed_hours", _("confirmed lesson hours (in a track)"), "optional track code")
def confirmed_hours(program, param):
    qs = Lesson.objects.filter(group__program=program, status=Lesson.Status.CONFIRMED)
    filters = {"group__program__id__exact": program.pk, "status__exact": "confirmed"}
    if param:
        qs = qs.filter(group__track__code=param)
        filters["group__track__code"] = param
    total = qs.aggregate(s=Sum("hours"))["s"] or Decimal("0")
    return Figure(total, rows_model="courses.lesson", rows_filters=filters)


@metric("awarded_volunteers", _("volunteers awarded"))
def awarded_volunteers(program, param):
    n = Award.objects.filter(program=program).values("volunteer").distinct().count()
    return Figure(n, rows_model="volunteers.award", rows_filters={"program__id__exact": program.pk})
