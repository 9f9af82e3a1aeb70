"""Reads of test results for the pages that show them beside lessons: the volunteer
portal (home, group, score grid, student) and the coordinator's lessons page.

Like `courses.selectors`, every function takes objects already fetched through the
user's scope and answers in a fixed number of queries.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from courses.models import Attendance, CourseGroup, Enrollment, Lesson
from courses.selectors import (
    ON_ROLL,
    ON_ROLL_JOIN,
    ZERO,
    counted_lessons,
    growth,
    hours_by_group,
    percent,
    roster,
    student_key,
    volunteer_home,
)

from .models import TestKind, TestResult

# ---------------------------------------------------------------- volunteer home


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

def portal_home(user, today):
    """The volunteer's home: their groups (courses.selectors.volunteer_home) and, per group,
    who still needs a pre- or post-test."""
    context = volunteer_home(user, today)
    summaries = context["summaries"]
    missing = missing_tests(s.group for s in summaries)
    for summary in summaries:
        summary.missing_pre, summary.missing_post = missing[summary.group.pk]
    context["has_missing"] = any(s.missing_pre or s.missing_post or s.lesson_due for s in summaries)
    return context


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
