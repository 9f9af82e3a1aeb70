"""The coordinator's online-test pages of a programme (grant officers read them)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from birgemiz.access import can_edit, staff_program
from birgemiz.jobs.services import clean_key, job_start, new_key

from ..forms import IssueForm, QuizImportForm
from ..models import Quiz, QuizAttempt, ScoreConflict, TestKind
from ..quiz_import import ImportFailed, check_limits, template_workbook
from ..quiz_services import (
    Decision,
    attempts_issue_for_quiz,
    conflict_resolve,
    quiz_problems,
)
from ..quiz_stats import quiz_stats
from ..tasks import QUIZ_IMPORT, import_quiz_questions
from .links import link_row

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
        },
    )


@login_required
@require_GET
def quiz_links(request, code, pk):
    program = _staff_program(request, code, write=True)
    quiz = _quiz(program, pk)
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
    return render(request, "assessments/quiz_links.html", {"program": program, "quiz": quiz, "rows": rows})


@login_required
@require_POST
def quiz_issue(request, code, pk):
    program = _staff_program(request, code, write=True)
    quiz = _quiz(program, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the pre-test or the post-test."))
        return redirect("assessments:quiz_detail", code=program.code, pk=quiz.pk)
    try:
        created = attempts_issue_for_quiz(quiz=quiz, kind=form.cleaned_data["kind"], user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessments:quiz_detail", code=program.code, pk=quiz.pk)
    messages.success(request, _("New personal links: %(n)s.") % {"n": created})
    return redirect("assessments:quiz_links", code=program.code, pk=quiz.pk)


@login_required
@require_http_methods(["GET", "POST"])
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

