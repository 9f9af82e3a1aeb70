"""Reads for the volunteer portal and the coordinator page.

Every function takes querysets or objects already fetched through the user's scope
and answers in a fixed number of queries, whatever the number of students.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from assessments.models import TestKind, TestResult
from volunteers.models import Volunteer

from .models import Attendance, CourseGroup, Enrollment, Lesson

ZERO = Decimal("0")
# Students who left a group are not expected to attend or to take the post-test.
ON_ROLL = ~Q(status=Enrollment.Status.DROPPED)
ON_ROLL_JOIN = ~Q(enrollments__status=Enrollment.Status.DROPPED)


# ---------------------------------------------------------------- scope


def volunteer_groups(user):
    """The only door to a volunteer's data: groups they teach, through `Volunteer.user`."""
    return (
        CourseGroup.objects.filter(volunteer__user=user)
        .select_related("program", "track", "subject", "volunteer")
        .order_by("program__start", "track__order", "name", "id")
    )


def volunteer_group(user, pk):
    return get_object_or_404(volunteer_groups(user), pk=pk)


def volunteer_lesson(user, pk):
    return get_object_or_404(
        Lesson.objects.filter(group__volunteer__user=user).select_related(
            "group__program", "group__track", "group__subject"
        ),
        pk=pk,
    )


def roster_enrollments(group):
    return group.enrollments.filter(ON_ROLL).select_related("student").order_by("student_id")


def roster(group):
    """The group's students on the roll, in the order of a Kazakh class journal."""
    return sorted(roster_enrollments(group), key=lambda e: student_key(e.student))


# ---------------------------------------------------------------- names

# Databases sort Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І after Я; a class journal puts them beside А, Г, К…
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(KAZAKH_ALPHABET)}


def name_key(text):
    return [_LETTER_RANK.get(ch, 100 + ord(ch)) for ch in (text or "").casefold()]


def student_key(student):
    names = (student.last_name, student.first_name, student.middle_name)
    return (*(name_key(n) for n in names), student.pk)


# ---------------------------------------------------------------- helpers


def week_of(day):
    """Monday and Sunday of the week `day` falls in."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def percent(part, whole):
    if not whole:
        return None
    return int(round(Decimal(part) * 100 / Decimal(whole)))


def growth(pre, post):
    if pre is None or post is None:
        return None
    return post - pre


# ---------------------------------------------------------------- volunteer home


@dataclass
class GroupSummary:
    group: CourseGroup
    students: int = 0
    confirmed_hours: Decimal = ZERO
    pending_hours: Decimal = ZERO
    missing_pre: list = field(default_factory=list)
    missing_post: list = field(default_factory=list)
    lesson_due: bool = False

    @property
    def planned_hours(self):
        return self.group.track.planned_hours

    @property
    def progress(self):
        return min(percent(self.confirmed_hours, self.planned_hours) or 0, 100)


def hours_by_group(group_ids):
    """{group_id: {status: hours}} from one query."""
    hours = {}
    rows = (
        Lesson.objects.filter(group_id__in=group_ids)
        .values("group_id", "status")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    for row in rows:
        hours.setdefault(row["group_id"], {})[row["status"]] = row["total"] or ZERO
    return hours


def missing_tests(groups):
    """{group_id: (students without a pre-test, students without a post-test)} in two queries."""
    groups = list(groups)
    track_of = {g.pk: g.track_id for g in groups}
    enrollments = sorted(
        Enrollment.objects.filter(ON_ROLL, group_id__in=track_of).select_related("student"),
        key=lambda e: student_key(e.student),
    )
    taken = set(
        TestResult.objects.filter(
            student_id__in={e.student_id for e in enrollments},
            track_id__in=set(track_of.values()),
        ).values_list("student_id", "track_id", "kind")
    )
    missing = {g.pk: ([], []) for g in groups}
    for e in enrollments:
        track_id = track_of[e.group_id]
        if (e.student_id, track_id, TestKind.PRE) not in taken:
            missing[e.group_id][0].append(e.student)
        if (e.student_id, track_id, TestKind.POST) not in taken:
            missing[e.group_id][1].append(e.student)
    return missing


def lesson_due(group, logged_this_week, today):
    """A running group with nothing logged (or only rejected lessons) this week."""
    running = group.program.start <= today <= group.program.end
    return running and group.pk not in logged_this_week


def volunteer_home(user, today):
    groups = list(volunteer_groups(user))
    ids = [g.pk for g in groups]
    counts = dict(
        Enrollment.objects.filter(ON_ROLL, group_id__in=ids)
        .values_list("group_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    hours = hours_by_group(ids)
    monday, sunday = week_of(today)
    logged_this_week = set(
        Lesson.objects.filter(group_id__in=ids, date__range=(monday, sunday))
        .exclude(status=Lesson.Status.REJECTED)
        .values_list("group_id", flat=True)
    )
    missing = missing_tests(groups)
    summaries = []
    for g in groups:
        h = hours.get(g.pk, {})
        summaries.append(
            GroupSummary(
                group=g,
                students=counts.get(g.pk, 0),
                confirmed_hours=h.get(Lesson.Status.CONFIRMED, ZERO),
                pending_hours=h.get(Lesson.Status.PENDING, ZERO),
                missing_pre=missing[g.pk][0],
                missing_post=missing[g.pk][1],
                lesson_due=lesson_due(g, logged_this_week, today),
            )
        )
    recent = list(
        Lesson.objects.filter(group_id__in=ids)
        .select_related("group")
        .order_by("-date", "-id")[:10]
    )
    confirmed = sum((s.confirmed_hours for s in summaries), ZERO)
    planned = sum((s.planned_hours for s in summaries), ZERO)
    return {
        "summaries": summaries,
        "recent_lessons": recent,
        "confirmed_hours": confirmed,
        "pending_hours": sum((s.pending_hours for s in summaries), ZERO),
        "planned_hours": planned,
        "progress": min(percent(confirmed, planned) or 0, 100),
        "week": (monday, sunday),
        "has_missing": any(s.missing_pre or s.missing_post or s.lesson_due for s in summaries),
    }


# ---------------------------------------------------------------- one group


@dataclass
class RosterRow:
    enrollment: Enrollment
    pre: Decimal | None = None
    post: Decimal | None = None
    present: int = 0

    @property
    def student(self):
        return self.enrollment.student

    @property
    def growth(self):
        return growth(self.pre, self.post)


def counted_lessons(group):
    """Lessons that count for attendance: everything logged except rejected ones."""
    return group.lessons.exclude(status=Lesson.Status.REJECTED)


def group_roster(group):
    """Every student on the roll with pre, post and the number of lessons attended."""
    rows = [RosterRow(enrollment=e) for e in roster(group)]
    by_student = {r.enrollment.student_id: r for r in rows}
    for student_id, kind, score in TestResult.objects.filter(
        student_id__in=by_student, track_id=group.track_id
    ).values_list("student_id", "kind", "score"):
        setattr(by_student[student_id], "pre" if kind == TestKind.PRE else "post", score)
    present = (
        Attendance.objects.filter(
            lesson__in=counted_lessons(group), present=True, student_id__in=by_student
        )
        .values_list("student_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for student_id, n in present:
        by_student[student_id].present = n
    return rows


def group_page(group, today):
    roster = group_roster(group)
    hours = hours_by_group([group.pk]).get(group.pk, {})
    lessons_count = counted_lessons(group).count()
    for row in roster:
        row.rate = percent(row.present, lessons_count)
    pres = [r.pre for r in roster if r.pre is not None and r.post is not None]
    posts = [r.post for r in roster if r.pre is not None and r.post is not None]
    mean_growth = (sum(posts) - sum(pres)) / len(pres) if pres else None
    return {
        "roster": roster,
        "lessons_count": lessons_count,
        "confirmed_hours": hours.get(Lesson.Status.CONFIRMED, ZERO),
        "pending_hours": hours.get(Lesson.Status.PENDING, ZERO),
        "mean_growth": mean_growth,
        "missing_pre": sum(1 for r in roster if r.pre is None),
        "missing_post": sum(1 for r in roster if r.post is None),
    }


def group_lessons(group):
    return group.lessons.annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True)),
        roll_count=Count("attendance"),
    ).order_by("-date", "-id")


def student_page(group, enrollment):
    student = enrollment.student
    scores = dict(
        TestResult.objects.filter(student=student, track_id=group.track_id).values_list("kind", "score")
    )
    lessons = list(
        counted_lessons(group)
        .annotate(
            present=Coalesce(
                Subquery(
                    Attendance.objects.filter(lesson=OuterRef("pk"), student=student).values("present")[:1]
                ),
                Value(False),
            )
        )
        .order_by("-date", "-id")
    )
    present = sum(1 for lesson in lessons if lesson.present)
    pre, post = scores.get(TestKind.PRE), scores.get(TestKind.POST)
    return {
        "student": student,
        "enrollment": enrollment,
        "pre": pre,
        "post": post,
        "growth": growth(pre, post),
        "lessons": lessons,
        "present": present,
        "rate": percent(present, len(lessons)),
    }


# ---------------------------------------------------------------- coordinator


def program_lessons(program, status):
    """Lessons of a programme in one status: the waiting ones oldest first (fair queue),
    reviewed ones most recently reviewed first."""
    order = ("date", "id") if status == Lesson.Status.PENDING else ("-reviewed_at", "-date", "-id")
    return (
        Lesson.objects.filter(group__program=program, status=status)
        .select_related("group__track", "group__volunteer", "group__subject", "logged_by")
        .annotate(
            present_count=Count("attendance", filter=Q(attendance__present=True)),
            roll_count=Count("attendance"),
        )
        .order_by(*order)
    )


def _hours_subquery(program, status):
    return Coalesce(
        Subquery(
            Lesson.objects.filter(group__volunteer=OuterRef("pk"), group__program=program, status=status)
            .values("group__volunteer")
            .annotate(s=Sum("hours"))
            .values("s"),
            output_field=DecimalField(max_digits=8, decimal_places=1),
        ),
        Value(ZERO),
        output_field=DecimalField(max_digits=8, decimal_places=1),
    )


def volunteer_hours(program):
    """Every volunteer teaching in the programme, with confirmed and pending hours
    against the planned hours of the tracks of their groups."""
    groups = CourseGroup.objects.filter(volunteer=OuterRef("pk"), program=program)
    return (
        Volunteer.objects.filter(program=program)
        .filter(Exists(groups))
        .select_related("track")
        .annotate(
            group_count=Subquery(
                groups.values("volunteer").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            student_count=Coalesce(
                Subquery(
                    Enrollment.objects.filter(
                        ON_ROLL, group__volunteer=OuterRef("pk"), group__program=program
                    )
                    .values("group__volunteer")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            planned_hours=Coalesce(
                Subquery(
                    groups.values("volunteer").annotate(s=Sum("track__planned_hours")).values("s"),
                    output_field=DecimalField(max_digits=8, decimal_places=1),
                ),
                Value(ZERO),
                output_field=DecimalField(max_digits=8, decimal_places=1),
            ),
            confirmed_hours=_hours_subquery(program, Lesson.Status.CONFIRMED),
            pending_hours=_hours_subquery(program, Lesson.Status.PENDING),
        )
        .order_by("last_name", "first_name", "id")
    )


def _missing_subquery(kind):
    taken = TestResult.objects.filter(student=OuterRef("student"), track=OuterRef("group__track"), kind=kind)
    return Coalesce(
        Subquery(
            Enrollment.objects.filter(ON_ROLL, group=OuterRef("pk"))
            .filter(~Exists(taken))
            .values("group")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def groups_missing_tests(program):
    return (
        CourseGroup.objects.filter(program=program)
        .select_related("track", "volunteer", "subject")
        .annotate(
            missing_pre=_missing_subquery(TestKind.PRE),
            missing_post=_missing_subquery(TestKind.POST),
            student_count=Count("enrollments", filter=ON_ROLL_JOIN),
        )
        .filter(Q(missing_pre__gt=0) | Q(missing_post__gt=0))
        .order_by("track__order", "name", "id")
    )


def status_counts(program):
    return dict(
        Lesson.objects.filter(group__program=program)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
