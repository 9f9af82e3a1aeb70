"""The volunteer portal (/portal/…) and the coordinators' lesson page (/programs/<code>/lessons/).

Volunteers reach rows only through `selectors.volunteer_groups(request.user)`, so
anything outside their own groups is a 404. Coordinator pages go through
`birgemiz.access.program_for`; grant officers read them and get 403 on any write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.services import test_results_grid_save
from birgemiz import roles
from birgemiz.access import can_edit, program_for

from . import selectors
from .exports import hours_workbook
from .forms import LessonForm, RejectForm, ScoreGridForm
from .models import Lesson
from .services import lesson_confirm, lesson_log, lesson_reject, lesson_update

PAGE_SIZE = 25


def _page(request, queryset, param="page", size=PAGE_SIZE):
    """A page plus links to its neighbours that keep the other lists' page numbers."""
    page = Paginator(queryset, size).get_page(request.GET.get(param))

    def link(number):
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    page.prev_url = link(page.previous_page_number()) if page.has_previous() else None
    page.next_url = link(page.next_page_number()) if page.has_next() else None
    return page


# ---------------------------------------------------------------- volunteer portal


@login_required
@require_GET
def portal(request):
    today = timezone.localdate()
    context = selectors.volunteer_home(request.user, today)
    context["today"] = today
    return render(request, "courses/portal.html", context)


@login_required
@require_GET
def group_detail(request, pk):
    group = selectors.volunteer_group(request.user, pk)
    context = selectors.group_page(group, timezone.localdate())
    context["group"] = group
    context["lessons"] = _page(request, selectors.group_lessons(group), size=20)
    return render(request, "courses/group.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lesson_new(request, pk):
    group = selectors.volunteer_group(request.user, pk)
    enrollments = selectors.roster(group)
    today = timezone.localdate()
    initial = {}
    if group.program.start <= today <= group.program.end:
        initial["date"] = today
    form = LessonForm(request.POST or None, group=group, enrollments=enrollments, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lesson_log(
                group=group,
                user=request.user,
                present_ids=form.cleaned_data["present"],
                **form.lesson_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Lesson saved. It counts once a coordinator confirms it."))
            return redirect("courses:group", pk=group.pk)
    return render(
        request, "courses/lesson_form.html", {"form": form, "group": group, "lesson": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, pk):
    lesson = selectors.volunteer_lesson(request.user, pk)
    group = lesson.group
    enrollments = selectors.roster(group)
    editable = lesson.status != Lesson.Status.CONFIRMED
    form = LessonForm(
        request.POST if request.method == "POST" else None,
        group=group,
        enrollments=enrollments,
        initial=LessonForm.initial_for(lesson),
    )
    if request.method == "POST":
        if not editable:
            messages.error(request, _("A confirmed lesson cannot be changed. Ask your coordinator."))
            return redirect("courses:lesson_edit", pk=lesson.pk)
        if form.is_valid():
            was_rejected = lesson.status == Lesson.Status.REJECTED
            try:
                lesson_update(
                    lesson=lesson,
                    user=request.user,
                    present_ids=form.cleaned_data["present"],
                    **form.lesson_fields(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Lesson corrected and sent to the coordinator again.")
                    if was_rejected
                    else _("Lesson saved."),
                )
                return redirect("courses:group", pk=group.pk)
    return render(
        request,
        "courses/lesson_form.html",
        {"form": form, "group": group, "lesson": lesson, "editable": editable},
    )


@login_required
@require_http_methods(["GET", "POST"])
def score_grid(request, pk):
    group = selectors.volunteer_group(request.user, pk)
    roster = selectors.group_roster(group)
    form = ScoreGridForm(request.POST or None, roster=roster)
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = test_results_grid_save(track=group.track, scores=form.scores, user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Scores saved (%(count)s changed).") % {"count": changed},
                )
                return redirect("courses:scores", pk=group.pk)
        else:
            messages.error(request, _("Nothing was saved: correct the marked cells and save again."))
    return render(request, "courses/score_grid.html", {"form": form, "group": group})


@login_required
@require_GET
def student_detail(request, pk, student_pk):
    group = selectors.volunteer_group(request.user, pk)
    enrollment = get_object_or_404(
        selectors.roster_enrollments(group).select_related("student__school"), student_id=student_pk
    )
    context = selectors.student_page(group, enrollment)
    context["group"] = group
    return render(request, "courses/student.html", context)


# ---------------------------------------------------------------- coordinators


def _coordinator_program(request, code, write=False):
    """Coordinators of the organisation (write) and grant officers (read). Volunteers and
    council members belong to a programme too, but this page is not theirs: 404."""
    user = request.user
    if not (roles.is_coordinator(user) or roles.is_officer(user)):
        raise Http404("No such page")
    return program_for(user, code, write=write)


@login_required
@require_GET
def coordinator(request, code):
    program = _coordinator_program(request, code)
    status = request.GET.get("status", Lesson.Status.PENDING)
    if status not in Lesson.Status.values:
        status = Lesson.Status.PENDING
    counts = selectors.status_counts(program)
    context = {
        "program": program,
        "can_edit": can_edit(request.user, program),
        "status": status,
        "statuses": [(value, label, counts.get(value, 0)) for value, label in Lesson.Status.choices],
        "lessons": _page(request, selectors.program_lessons(program, status)),
        "volunteers": _page(request, selectors.volunteer_hours(program), param="vpage", size=50),
        "missing": _page(request, selectors.groups_missing_tests(program), param="mpage"),
        "reject_form": RejectForm(),
    }
    return render(request, "courses/coordinator.html", context)


def _back_to_list(request, program):
    url = reverse("courses:coordinator", args=[program.code])
    query = request.POST.get("next_query", "")
    # Only our own query string goes back into the redirect: never an arbitrary URL.
    if query and query.startswith("status=") and "/" not in query:
        url = f"{url}?{query}"
    return redirect(url)


@login_required
@require_POST
def coordinator_confirm(request, code, pk):
    program = _coordinator_program(request, code, write=True)
    lesson = get_object_or_404(Lesson.objects.filter(group__program=program), pk=pk)
    lesson_confirm(lesson=lesson, user=request.user)
    messages.success(request, _("Lesson confirmed: %(lesson)s") % {"lesson": lesson})
    return _back_to_list(request, program)


@login_required
@require_POST
def coordinator_confirm_many(request, code):
    program = _coordinator_program(request, code, write=True)
    ids = [int(v) for v in request.POST.getlist("lesson") if v.isdigit()]
    lessons = Lesson.objects.filter(group__program=program, pk__in=ids, status=Lesson.Status.PENDING)
    count = 0
    for lesson in lessons.select_related("group"):
        lesson_confirm(lesson=lesson, user=request.user)
        count += 1
    if count:
        messages.success(
            request,
            ngettext("%(count)d lesson confirmed.", "%(count)d lessons confirmed.", count) % {"count": count},
        )
    else:
        messages.warning(request, _("Tick the lessons to confirm first."))
    return _back_to_list(request, program)


@login_required
@require_POST
def coordinator_reject(request, code, pk):
    program = _coordinator_program(request, code, write=True)
    lesson = get_object_or_404(Lesson.objects.filter(group__program=program), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Not rejected: %(lesson)s. Give a reason (up to 300 characters).") % {"lesson": lesson},
        )
        return _back_to_list(request, program)
    try:
        lesson_reject(lesson=lesson, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Lesson rejected: %(lesson)s") % {"lesson": lesson})
    return _back_to_list(request, program)


@login_required
@require_GET
def coordinator_hours_xlsx(request, code):
    program = _coordinator_program(request, code)
    content = hours_workbook(program, selectors.volunteer_hours(program))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="volunteer-hours-{program.code}-{stamp}.xlsx"'
    return response
