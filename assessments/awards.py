"""Certificates and awards: the training certificate (for a ready volunteer) and the
award ranking the council confirms, by confirmed hours, attendance and the students'
growth. They read lessons and test results, so they live here, above both.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz.alphabet import person_key
from birgemiz.services import clean_and_save, require
from courses.models import Attendance, CourseGroup, Enrollment, Lesson
from volunteers.models import Award, Certificate, Volunteer
from volunteers.services import new_certificate_code

from .models import TestKind, TestResult
from .training import ready_volunteer_ids

# ---------------------------------------------------------------- award ranking


WEIGHT_HOURS = Decimal("0.4")
WEIGHT_ATTENDANCE = Decimal("0.3")
WEIGHT_GROWTH = Decimal("0.3")


@dataclass
class AwardRow:
    volunteer: Volunteer
    hours: Decimal
    plan: Decimal  # the planned hours of the volunteer's groups' tracks
    attendance_rate: Decimal | None  # percent
    growth: Decimal | None  # percentage points
    students_with_both: int
    score: Decimal = Decimal("0")
    awarded: bool = False


def _q1(value):
    return value.quantize(Decimal("0.1")) if value is not None else None


def award_ranking(program):
    """Every volunteer with confirmed hours, attendance rate and students' mean growth.

    score = 40 × min(hours ÷ plan, 1) + 30 × attendance rate ÷ 100 + 30 × growth ÷ (largest growth),
    each part 0 when missing or negative; 0–100. The plan is the planned hours of the
    track of each of the volunteer's groups, so an 8-hour track's volunteer who gave
    8 hours gets the same 40 as a 48-hour track's who gave 48, and hours past the plan
    neither add to one score nor lower anyone else's.
    """
    volunteers = list(
        Volunteer.objects.filter(program=program)
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .select_related("track")
        .order_by("last_name", "first_name", "id")
    )
    plans = {}
    for volunteer_id, planned in CourseGroup.objects.filter(program=program).values_list(
        "volunteer_id", "track__planned_hours"
    ):
        plans[volunteer_id] = plans.get(volunteer_id, Decimal("0")) + (planned or Decimal("0"))
    hours = dict(
        Lesson.objects.filter(group__program=program, status=Lesson.Status.CONFIRMED)
        .values("group__volunteer_id")
        .annotate(h=Sum("hours"))
        .values_list("group__volunteer_id", "h")
    )
    attendance = {
        row["lesson__group__volunteer_id"]: (row["present"], row["total"])
        for row in Attendance.objects.filter(
            lesson__group__program=program, lesson__status=Lesson.Status.CONFIRMED
        )
        .values("lesson__group__volunteer_id")
        .annotate(present=Count("id", filter=Q(present=True)), total=Count("id"))
    }
    # Growth of each student in the track of the group, credited to the group's volunteer.
    results = {}
    for student_id, track_id, kind, score in TestResult.objects.filter(
        program=program, student__isnull=False
    ).values_list("student_id", "track_id", "kind", "score"):
        results[(student_id, track_id, kind)] = score
    growth_sum, growth_n = {}, {}
    for student_id, track_id, volunteer_id in (
        Enrollment.objects.filter(group__program=program)
        .exclude(status=Enrollment.Status.DROPPED)
        .values_list("student_id", "group__track_id", "group__volunteer_id")
    ):
        pre = results.get((student_id, track_id, TestKind.PRE))
        post = results.get((student_id, track_id, TestKind.POST))
        if pre is not None and post is not None:
            growth_sum[volunteer_id] = growth_sum.get(volunteer_id, Decimal("0")) + (post - pre)
            growth_n[volunteer_id] = growth_n.get(volunteer_id, 0) + 1
    awarded = set(program.awards.values_list("volunteer_id", flat=True))
    rows = []
    for v in volunteers:
        present, total = attendance.get(v.pk, (0, 0))
        n = growth_n.get(v.pk, 0)
        rows.append(
            AwardRow(
                volunteer=v,
                hours=hours.get(v.pk) or Decimal("0"),
                plan=plans.get(v.pk) or (v.track.planned_hours if v.track_id else None) or Decimal("0"),
                attendance_rate=_q1(Decimal(100 * present) / total) if total else None,
                growth=_q1(growth_sum[v.pk] / n) if n else None,
                students_with_both=n,
                awarded=v.pk in awarded,
            )
        )
    max_growth = max((r.growth for r in rows if r.growth is not None), default=Decimal("0"))
    for r in rows:
        part_h = min(r.hours / r.plan, Decimal("1")) if r.plan > 0 else Decimal("0")
        part_a = (r.attendance_rate or Decimal("0")) / 100
        part_g = (
            (max(r.growth, Decimal("0")) / max_growth)
            if (r.growth is not None and max_growth > 0)
            else Decimal("0")
        )
        r.score = _q1(100 * (WEIGHT_HOURS * part_h + WEIGHT_ATTENDANCE * part_a + WEIGHT_GROWTH * part_g))
    rows.sort(key=lambda r: (-r.score, person_key(r.volunteer)))
    return rows, {"max_growth": max_growth}


# ---------------------------------------------------------------- certificates and awards


def certificate_issue(*, volunteer, kind, language="kk", award=None, issued_on=None):
    """Issue (or re-issue in another language) a certificate; training needs readiness."""
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        if kind == Certificate.Kind.TRAINING:
            require(
                volunteer.pk in ready_volunteer_ids(volunteer.program, volunteers=[volunteer]),
                "volunteer",
                _("The volunteer has not finished the training yet."),
                code="not_trained",
            )
            cert = Certificate.objects.filter(volunteer=volunteer, kind=kind).first()
        else:
            require(
                award is not None and award.volunteer_id == volunteer.pk,
                "award",
                _("An award certificate needs the volunteer's award."),
            )
            cert = Certificate.objects.filter(award=award).first()
        if cert is None:
            cert = Certificate(
                program_id=volunteer.program_id,
                volunteer=volunteer,
                kind=kind,
                award=award,
                code=award.certificate_code if award is not None else new_certificate_code(),
                issued_on=issued_on,
            )
        cert.language = language
        return clean_and_save(cert)


def awards_confirm(*, program, meeting, volunteers, title, awarded_on, language="kk"):
    """The council's confirmed award list: one Award (and certificate) per volunteer."""
    require(meeting.program_id == program.pk, "meeting", _("The meeting belongs to another programme."))
    require(bool(title.strip()), "title", _("Give the award a title."))
    created = []
    with transaction.atomic():
        for volunteer in volunteers:
            require(
                volunteer.program_id == program.pk,
                "volunteers",
                _("A volunteer belongs to another programme."),
            )
            award = Award.objects.filter(program=program, volunteer=volunteer, title=title).first()
            if award is None:
                award = clean_and_save(
                    Award(
                        program=program,
                        volunteer=volunteer,
                        title=title.strip(),
                        awarded_on=awarded_on,
                        meeting=meeting,
                        certificate_code=new_certificate_code(),
                    )
                )
                created.append(award)
            certificate_issue(
                volunteer=volunteer,
                kind=Certificate.Kind.AWARD,
                award=award,
                language=language,
                issued_on=awarded_on,
            )
            if volunteer.status != Volunteer.Status.AWARDED:
                volunteer.status = Volunteer.Status.AWARDED
                clean_and_save(volunteer)
    return created
