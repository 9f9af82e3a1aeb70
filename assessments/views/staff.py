"""The coordinator's online-test pages of a programme (grant officers read them)."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from birgemiz import xlsx
from birgemiz.access import can_edit, staff_program
from birgemiz.idempotency import idempotent
from birgemiz.jobs.services import clean_key, job_start, new_key
from birgemiz.paging import page_of

from ..forms import IssueForm, QuizImportForm
from ..models import Quiz, QuizAttempt, ScoreConflict, TestKind
from ..quiz_import import ImportFailed, check_limits, template_workbook
from ..quiz_services import (
    Decision,
    attempt_is_expired,
    attempt_issue_for_student,
    attempts_issue_for_quiz,
    conflict_resolve,
    quiz_problems,
)
from ..quiz_stats import quiz_stats
from ..tasks import QUIZ_IMPORT, import_quiz_questions
from .links import group_rows, link_row, new_links_message, window_closed_reason

# ------------------------------------------------------------------ the coordinator's pages


def _staff_program(request, code, write=False):
    program = staff_program(request, code, write=write)
    program.can_edit = write or can_edit(request.user, program)
    return program


def _quiz(program, pk):
    return get_object_or_404(
        Quiz.objects.filter(program=program).select_related("program", "track", "subject"), pk=pk
    )


@login_required
@require_GET
def quiz_list(request, code):
    program = _staff_program(request, code)
    quizzes = (
        Quiz.objects.filter(program=program)
        .select_related("track", "subject")
        .annotate(
            n_questions=Count("questions", distinct=True),
            n_attempts=Count("attempts", distinct=True),
        )
        .order_by("audience", "track__order", "id")
    )
    submitted = {
        (row["quiz_id"], row["kind"]): row["n"]
        for row in QuizAttempt.objects.filter(program=program, submitted_at__isnull=False)
        .values("quiz_id", "kind")
        .annotate(n=Count("id"))
    }
    rows = [
        {
            "quiz": quiz,
            "pre": submitted.get((quiz.pk, TestKind.PRE), 0),
            "post": submitted.get((quiz.pk, TestKind.POST), 0),
        }
        for quiz in quizzes
    ]
    open_conflicts = ScoreConflict.objects.filter(program=program, status=ScoreConflict.Status.OPEN).count()
    return render(
        request,
        "assessments/quiz_list.html",
        {"program": program, "rows": rows, "open_conflicts": open_conflicts},
    )


@login_required
@require_GET
def quiz_detail(request, code, pk):
    program = _staff_program(request, code)
    quiz = _quiz(program, pk)
    stats = quiz_stats(quiz)
    return render(
        request,
        "assessments/quiz_detail.html",
        {
            "program": program,
            "quiz": quiz,
            "stats": stats,
            "problems": quiz_problems(quiz),
            "kinds": [(k, TestKind(k).label) for k in (TestKind.PRE, TestKind.POST) if quiz.serves(k)],
            "closed": window_closed_reason(program),
        },
    )


def _quiz_groups(quiz):
    groups = quiz.program.groups.filter(track_id=quiz.track_id).select_related("program", "track", "subject")
    if quiz.subject_id:
        groups = groups.filter(subject_id=quiz.subject_id)
    return groups.order_by("name", "id")


def _chosen_group(request, quiz, source):
    raw = source.get("group", "")
    if not raw:
        return None
    if not raw.isdigit() or quiz.audience == Quiz.Audience.VOLUNTEERS:
        raise Http404("No such group")
    return get_object_or_404(_quiz_groups(quiz), pk=raw)


def _links_context(request, program, quiz):
    """The links page's rows: with a group chosen, every student of it (with the links,
    or a way to issue one); without, every link issued, by group."""
    group = _chosen_group(request, quiz, request.GET)
    closed = window_closed_reason(program)
    if group is not None:
        rows, missing = group_rows(request, group, quiz=quiz)
        for row in rows:
            row["person"] = row["student"]
        return {"group": group, "student_rows": rows, "missing": missing, "closed": closed}
    attempts = (
        QuizAttempt.objects.filter(quiz=quiz)
        .select_related("student", "volunteer", "group", "quiz", "program")
        .annotate(answered=Count("answers"))
        .order_by("kind", "group__name", "student__last_name", "volunteer__last_name", "id")
    )
    rows = []
    for attempt in attempts:
        person = attempt.person
        rows.append({**link_row(request, attempt, person, getattr(person, "phone", "")), "person": person})
    return {"group": None, "rows": page_of(request, rows, size=50), "closed": closed}


@login_required
@require_GET
def quiz_links(request, code, pk):
    program = _staff_program(request, code, write=True)
    quiz = _quiz(program, pk)
    context = _links_context(request, program, quiz)
    context.update(
        program=program,
        quiz=quiz,
        groups=list(_quiz_groups(quiz)) if quiz.audience != Quiz.Audience.VOLUNTEERS else [],
        kinds=[(k, TestKind(k).label) for k in (TestKind.PRE, TestKind.POST) if quiz.serves(k)],
    )
    return render(request, "assessments/quiz_links.html", context)


def _sheet_rows(request, quiz, group):
    """(name, group, kind, link) of every link of the test not submitted yet, for the
    printed sheet and the XLSX."""
    attempts = (
        QuizAttempt.objects.filter(quiz=quiz, submitted_at__isnull=True)
        .select_related("student", "volunteer", "group", "quiz", "program")
        .order_by(
            "group__name", "kind", "student__last_name", "student__first_name", "volunteer__last_name", "id"
        )
    )
    if group is not None:
        attempts = attempts.filter(group=group)
    for attempt in attempts:
        if attempt_is_expired(attempt):
            continue
        url = request.build_absolute_uri(reverse("assessments:take", args=[attempt.token]))
        yield attempt, url


@login_required
@require_GET
def quiz_links_print(request, code, pk):
    program = _staff_program(request, code, write=True)
    quiz = _quiz(program, pk)
    group = _chosen_group(request, quiz, request.GET)
    sheets = [
        {"attempt": attempt, "url": url, "qr": mark_safe(segno.make(url, error="m").svg_inline(scale=3))}
        for attempt, url in _sheet_rows(request, quiz, group)
    ]
    return render(
        request,
        "assessments/quiz_links_print.html",
        {"program": program, "quiz": quiz, "group": group, "sheets": sheets},
    )


@login_required
@require_GET
def quiz_links_xlsx(request, code, pk):
    program = _staff_program(request, code, write=True)
    quiz = _quiz(program, pk)
    group = _chosen_group(request, quiz, request.GET)
    wb, ws = xlsx.new_workbook()
    ws.title = _("Links")[:31]
    rows = [
        (attempt.person.full_name, str(attempt.group or ""), attempt.get_kind_display(), url)
        for attempt, url in _sheet_rows(request, quiz, group)
    ]
    xlsx.write_table(
        ws, [_("Name"), _("Group"), _("Test"), _("Personal link")], rows, widths=[32, 20, 14, 60], freeze=True
    )
    response = HttpResponse(
        xlsx.to_bytes(wb), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    suffix = f"-{group.pk}" if group is not None else ""
    response["Content-Disposition"] = f'attachment; filename="test-links-{quiz.pk}{suffix}.xlsx"'
    return response


@login_required
@require_POST
@idempotent
def quiz_issue(request, code, pk):
    program = _staff_program(request, code, write=True)
    quiz = _quiz(program, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the pre-test or the post-test."))
        return redirect("assessments:quiz_detail", code=program.code, pk=quiz.pk)
    group = _chosen_group(request, quiz, request.POST)
    back = reverse("assessments:quiz_links", args=[program.code, quiz.pk])
    if group is not None:
        back = f"{back}?group={group.pk}"
    kind = form.cleaned_data["kind"]
    try:
        if group is not None and request.POST.get("student", "").isdigit():
            student = get_object_or_404(group.program.students, pk=request.POST["student"])
            attempt_issue_for_student(group=group, student=student, kind=kind, user=request.user, quiz=quiz)
            messages.success(request, _("Personal link issued: %(name)s.") % {"name": student.full_name})
        else:
            created = attempts_issue_for_quiz(quiz=quiz, kind=kind, user=request.user, group=group)
            messages.success(request, new_links_message(created))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if group is None:
            return redirect("assessments:quiz_detail", code=program.code, pk=quiz.pk)
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def quiz_import(request, code, pk):
    """Upload → a background job (`assessments.tasks`) whose page shows the result or every
    bad row. A file past the size or row limits is refused at once, before it is parsed."""
    program = _staff_program(request, code, write=request.method == "POST")
    quiz = _quiz(program, pk)
    errors = []
    key = new_key()
    if request.method == "POST":
        key = clean_key(request.POST.get("request_key"))
        form = QuizImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                check_limits(upload)
            except ImportFailed as exc:
                errors = exc.errors
            else:
                job, _created = job_start(
                    kind=QUIZ_IMPORT,
                    task=import_quiz_questions,
                    key=key,
                    user=request.user,
                    program=program,
                    params={
                        "quiz": quiz.pk,
                        "replace": form.cleaned_data["replace"],
                        "file": upload.name[:100],
                        "back": reverse("assessments:quiz_detail", args=[program.code, quiz.pk]),
                    },
                    upload=upload,
                )
                return redirect("jobs:detail", pk=job.pk)
    else:
        form = QuizImportForm()
    return render(
        request,
        "assessments/quiz_import.html",
        {"program": program, "quiz": quiz, "form": form, "errors": errors, "request_key": key},
        status=400 if errors else 200,
    )


@login_required
@require_GET
def quiz_import_template(request, code):
    _staff_program(request, code)
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="test-questions.xlsx"'
    return response


@login_required
@require_GET
def conflicts(request, code):
    program = _staff_program(request, code)
    rows = list(
        ScoreConflict.objects.filter(program=program)
        .select_related(
            "attempt__student",
            "attempt__volunteer",
            "attempt__quiz",
            "attempt__track",
            "result",
            "resolved_by",
        )
        .order_by("-status", "-created_at", "id")
    )
    open_rows = [c for c in rows if c.status == ScoreConflict.Status.OPEN]
    done_rows = [c for c in rows if c.status != ScoreConflict.Status.OPEN]
    return render(
        request,
        "assessments/conflicts.html",
        {"program": program, "open_rows": open_rows, "done_rows": done_rows, "Decision": Decision},
    )


@login_required
@require_POST
@idempotent
def conflict_resolve_view(request, code, pk):
    program = _staff_program(request, code, write=True)
    conflict = get_object_or_404(ScoreConflict.objects.filter(program=program), pk=pk)
    try:
        conflict_resolve(conflict=conflict, decision=request.POST.get("decision", ""), user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Conflict resolved."))
    return redirect("assessments:conflicts", code=program.code)

