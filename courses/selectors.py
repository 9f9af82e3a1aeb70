"""Reads of groups, rosters, lessons and hours for the volunteer portal and the
coordinator's lessons page (their test figures come from `assessments.selectors`).

Every function takes querysets or objects already fetched through the user's scope
and answers in a fixed number of queries, whatever the number of students.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from birgemiz.alphabet import name_key
from volunteers.models import Volunteer

from .models import CourseGroup, Enrollment, Lesson

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
    # Students without a pre- or post-test: filled in by assessments.selectors.portal_home.
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
    summaries = []
    for g in groups:
        h = hours.get(g.pk, {})
        summaries.append(
            GroupSummary(
                group=g,
                students=counts.get(g.pk, 0),
                confirmed_hours=h.get(Lesson.Status.CONFIRMED, ZERO),
                pending_hours=h.get(Lesson.Status.PENDING, ZERO),
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
    }


# ---------------------------------------------------------------- one group


def counted_lessons(group):
    """Lessons that count for attendance: everything logged except rejected ones."""
    return group.lessons.exclude(status=Lesson.Status.REJECTED)


def group_lessons(group):
    return group.lessons.annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True)),
        roll_count=Count("attendance"),
    ).order_by("-date", "-id")


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


def status_counts(program):
    return dict(
        Lesson.objects.filter(group__program=program)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
