"""Lessons: the volunteer's lesson form (log and correct) and the coordinator's
confirm / reject actions and hours export. The pages that show lessons beside scores
(portal home, group, coordinator's lessons page) are `assessments.views`.

Volunteers reach rows only through `selectors.volunteer_groups(request.user)`, so
anything outside their own groups is a 404. Coordinator actions go through
`birgemiz.access.staff_program`; grant officers get 403 on any write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from birgemiz.access import staff_program
from birgemiz.idempotency import idempotent

from . import selectors
from .exports import hours_workbook
from .forms import LessonForm, RejectForm
from .models import Lesson
from .services import lesson_confirm, lesson_log, lesson_reject, lesson_update
from .services import lesson_delete as lesson_delete_service

# ---------------------------------------------------------------- the lesson form


def _refused(form, error):
    form.add_error(None, error)
    if getattr(error, "code", None) == "duplicate":
        form.ask_same_day()


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
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
                same_day_again=form.cleaned_data["same_day_again"],
                **form.lesson_fields(),
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Lesson saved. It counts once a coordinator confirms it."))
            return redirect("assessments:group", pk=group.pk)
    return render(
        request, "courses/lesson_form.html", {"form": form, "group": group, "lesson": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
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
                    same_day_again=form.cleaned_data["same_day_again"],
                    **form.lesson_fields(),
                )
            except ValidationError as error:
                _refused(form, error)
            else:
                messages.success(
                    request,
                    _("Lesson corrected and sent to the coordinator again.")
                    if was_rejected
                    else _("Lesson saved."),
                )
                return redirect("assessments:group", pk=group.pk)
    return render(
        request,
        "courses/lesson_form.html",
        {"form": form, "group": group, "lesson": lesson, "editable": editable},
    )


@login_required
@require_POST
@idempotent
def lesson_delete(request, pk):
    lesson = selectors.volunteer_lesson(request.user, pk)
    group = lesson.group
    label = str(lesson)
    try:
        lesson_delete_service(lesson=lesson, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("courses:lesson_edit", pk=lesson.pk)
    messages.success(request, _("Lesson deleted: %(lesson)s") % {"lesson": label})
    return redirect("assessments:group", pk=group.pk)


# ---------------------------------------------------------------- coordinators


def _back_to_list(request, program):
    url = reverse("assessments:lessons", args=[program.code])
    query = request.POST.get("next_query", "")
    # Only our own query string goes back into the redirect: never an arbitrary URL.
    if query and query.startswith("status=") and "/" not in query:
        url = f"{url}?{query}"
    return redirect(url)


@login_required
@require_POST
@idempotent
def coordinator_confirm(request, code, pk):
    program = staff_program(request, code, write=True)
    lesson = get_object_or_404(Lesson.objects.filter(group__program=program), pk=pk)
    lesson_confirm(lesson=lesson, user=request.user)
    messages.success(request, _("Lesson confirmed: %(lesson)s") % {"lesson": lesson})
    return _back_to_list(request, program)


@login_required
@require_POST
@idempotent
def coordinator_confirm_many(request, code):
    program = staff_program(request, code, write=True)
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
@idempotent
def coordinator_reject(request, code, pk):
    program = staff_program(request, code, write=True)
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
    program = staff_program(request, code)
    content = hours_workbook(program, selectors.volunteer_hours(program))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="volunteer-hours-{program.code}-{stamp}.xlsx"'
    return response
