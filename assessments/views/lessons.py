"""The coordinator's lessons page (/programs/<code>/lessons/): lessons to confirm, hours
per volunteer and groups with students missing tests. It shows test results beside
lessons, so it lives here; its confirm / reject actions are `courses.views`.
Grant officers read it."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from birgemiz.access import can_edit, staff_program
from birgemiz.paging import page_of
from courses import selectors as lesson_selectors
from courses.forms import RejectForm
from courses.models import Lesson

from .. import selectors


@login_required
@require_GET
def coordinator(request, code):
    program = staff_program(request, code)
    status = request.GET.get("status", Lesson.Status.PENDING)
    if status not in Lesson.Status.values:
        status = Lesson.Status.PENDING
    counts = lesson_selectors.status_counts(program)
    lessons = page_of(request, lesson_selectors.program_lessons(program, status))
    _flag_duplicates(lessons)
    context = {
        "program": program,
        "can_edit": can_edit(request.user, program),
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Lesson.Status.choices],
        "lessons": lessons,
        "volunteers": page_of(request, lesson_selectors.volunteer_hours(program), param="vpage", size=50),
        "missing": page_of(request, selectors.groups_missing_tests(program), param="mpage"),
        "reject_form": RejectForm(),
    }
    return render(request, "assessments/lessons.html", context)


def _flag_duplicates(lessons):
    """Mark each lesson of the page with how many other (not rejected) lessons its group
    has on that day with the same hours: one query for the whole page."""
    rows = list(lessons)
    for lesson in rows:
        lesson.duplicates = 0
    if not rows:
        return
    groups = {lesson.group_id for lesson in rows}
    dates = {lesson.date for lesson in rows}
    same = (
        Lesson.objects.filter(group_id__in=groups, date__in=dates)
        .exclude(status=Lesson.Status.REJECTED)
        .values("group_id", "date", "hours")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by()
    )
    counts = {(r["group_id"], r["date"], r["hours"]): r["n"] for r in same}
    for lesson in rows:
        n = counts.get((lesson.group_id, lesson.date, lesson.hours), 0)
        lesson.duplicates = max(n - (0 if lesson.status == Lesson.Status.REJECTED else 1), 0)
