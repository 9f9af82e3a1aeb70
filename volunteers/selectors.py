"""Reads for the council, ranking, training and award pages: a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, Sum

from assessments.models import TestKind, TestResult
from courses.models import Attendance, Enrollment, Lesson

from .models import ApplicationScore, TrainingEvent, Volunteer, VolunteerApplication


def member_seats(user):
    from .models import CouncilMember

    if not user.is_authenticated:
        return CouncilMember.objects.none()
    return CouncilMember.objects.filter(user=user).select_related("program")


def application_ranking(program, track=None):
    """Applications with the mean of all scores and how many members scored, best first."""
    qs = (
        VolunteerApplication.objects.filter(program=program)
        .select_related("track", "district", "decided_at")
        .annotate(
            average=Avg("scores__score"),
            members_scored=Count("scores__member", distinct=True),
        )
    )
    if track is not None:
        qs = qs.filter(track=track)
    rows = list(qs)
    rows.sort(key=lambda a: (a.average is None, -(a.average or 0), a.last_name, a.first_name, a.pk))
    return rows


def scores_table(application):
    """{member: {criterion_id: score}} and each member's mean, for a member who has scored."""
    table = {}
    for s in ApplicationScore.objects.filter(application=application).select_related("member"):
        table.setdefault(s.member, {})[s.criterion_id] = s.score
    return table


def ready_volunteer_ids(program, volunteers=None):
    """Ids of volunteers who attended a training of their track (or a common one) and
    have a post-test: ready to teach."""
    qs = Volunteer.objects.filter(program=program)
    if volunteers is not None:
        qs = qs.filter(pk__in=[v.pk for v in volunteers])
    trained = qs.filter(
        Q(trainings__track__isnull=True) | Q(trainings__track=F("track")),
    )
    with_post = TestResult.objects.filter(program=program, volunteer__isnull=False, kind=TestKind.POST)
    return set(trained.filter(pk__in=with_post.values("volunteer_id")).values_list("pk", flat=True))


@dataclass
class TrainingRow:
    volunteer: Volunteer
    events: int
    pre: Decimal | None
    post: Decimal | None
    ready: bool


def training_overview(program):
    volunteers = list(
        Volunteer.objects.filter(program=program)
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .select_related("track")
        .order_by("track__order", "last_name", "first_name", "id")
    )
    events = {}
    for vid, track_id, v_track in TrainingEvent.attendees.through.objects.filter(
        trainingevent__program=program
    ).values_list("volunteer_id", "trainingevent__track_id", "volunteer__track_id"):
        if track_id is None or track_id == v_track:
            events[vid] = events.get(vid, 0) + 1
    scores = {}
    for vid, kind, score in TestResult.objects.filter(program=program, volunteer__isnull=False).values_list(
        "volunteer_id", "kind", "score"
    ):
        scores[(vid, kind)] = score
    rows = []
    for v in volunteers:
        post = scores.get((v.pk, TestKind.POST))
        rows.append(
            TrainingRow(
                v,
                events.get(v.pk, 0),
                scores.get((v.pk, TestKind.PRE)),
                post,
                ready=events.get(v.pk, 0) > 0 and post is not None,
            )
        )
    return rows


# ---------------------------------------------------------------- award ranking

WEIGHT_HOURS = Decimal("0.4")
WEIGHT_ATTENDANCE = Decimal("0.3")
WEIGHT_GROWTH = Decimal("0.3")


@dataclass
class AwardRow:
    volunteer: Volunteer
    hours: Decimal
    attendance_rate: Decimal | None  # percent
    growth: Decimal | None  # percentage points
    students_with_both: int
    score: Decimal = Decimal("0")
    awarded: bool = False


def _q1(value):
    return value.quantize(Decimal("0.1")) if value is not None else None


def award_ranking(program):
    """Every volunteer with confirmed hours, attendance rate and students' mean growth.

    score = 40 × hours ÷ (most hours) + 30 × attendance rate ÷ 100 + 30 × growth ÷ (largest growth),
    each part 0 when missing or negative; 0–100.
    """
    volunteers = list(
        Volunteer.objects.filter(program=program)
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .select_related("track")
        .order_by("last_name", "first_name", "id")
    )
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
                attendance_rate=_q1(Decimal(100 * present) / total) if total else None,
                growth=_q1(growth_sum[v.pk] / n) if n else None,
                students_with_both=n,
                awarded=v.pk in awarded,
            )
        )
    max_hours = max((r.hours for r in rows), default=Decimal("0"))
    max_growth = max((r.growth for r in rows if r.growth is not None), default=Decimal("0"))
    for r in rows:
        part_h = r.hours / max_hours if max_hours > 0 else Decimal("0")
        part_a = (r.attendance_rate or Decimal("0")) / 100
        part_g = (
            (max(r.growth, Decimal("0")) / max_growth)
            if (r.growth is not None and max_growth > 0)
            else Decimal("0")
        )
        r.score = _q1(100 * (WEIGHT_HOURS * part_h + WEIGHT_ATTENDANCE * part_a + WEIGHT_GROWTH * part_g))
    rows.sort(key=lambda r: (-r.score, r.volunteer.last_name, r.volunteer.pk))
    return rows, {"max_hours": max_hours, "max_growth": max_growth}
