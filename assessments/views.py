"""Online tests: the student's pages (personal token, no account, no JavaScript), the
volunteer's page of their groups' links, and the coordinator's pages per programme."""

import random
import re
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from birgemiz import roles
from birgemiz.access import can_edit, program_for
from courses.models import CourseGroup, Enrollment

from . import ratelimit
from .forms import IssueForm, QuizImportForm
from .models import Quiz, QuizAnswer, QuizAttempt, ScoreConflict, TestKind
from .quiz_import import ImportFailed, quiz_questions_import, template_workbook
from .quiz_services import (
    Decision,
    answer_save,
    attempt_is_expired,
    attempt_submit,
    attempts_issue_for_group,
    attempts_issue_for_quiz,
    conflict_resolve,
    quiz_pick,
    quiz_problems,
)
from .quiz_stats import quiz_stats

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{10,64}$")
CLOSED_CODES = ("submitted", "expired", "closed")


# ------------------------------------------------------------------ the student's test


def _attempt_or_404(request, token):
    attempt = None
    if TOKEN_RE.match(token):
        attempt = (
            QuizAttempt.objects.select_related("quiz", "program", "student", "volunteer")
            .filter(token=token)
            .first()
        )
    if attempt is None:
        if ratelimit.bad_token_over_limit(request):
            return None, _too_many(request)
        raise Http404("No such link")
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and attempt.student_id:
        # Nobody chose a language on this device yet: speak the student's school language.
        translation.activate(attempt.student.language)
        request.LANGUAGE_CODE = attempt.student.language
    if attempt_is_expired(attempt):
        return attempt, render(request, "assessments/take_expired.html", {"attempt": attempt}, status=410)
    if not attempt.quiz.is_open and not attempt.is_submitted:
        return attempt, render(request, "assessments/take_closed.html", {"attempt": attempt}, status=403)
    return attempt, None


def _too_many(request, template="assessments/take_slow_down.html", context=None):
    return render(request, template, {**(context or {}), "slow_down": True}, status=429)


def _questions(attempt):
    return list(attempt.quiz.questions.all())


def _answered(attempt):
    return {a.question_id: a for a in QuizAnswer.objects.filter(attempt=attempt).prefetch_related("choices")}


@never_cache
def take(request, token):
    """The link itself: the test's first page, or the score once submitted."""
    attempt, stop = _attempt_or_404(request, token)
    if stop:
        return stop
    questions = _questions(attempt)
    answered = _answered(attempt) if not attempt.is_submitted else {}
    first_open = next((i for i, q in enumerate(questions, start=1) if q.pk not in answered), 1)
    return render(
        request,
        "assessments/take_start.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "count": len(questions),
            "answered_count": len(answered),
            "first_open": first_open,
        },
    )


def _shuffled(attempt, question, choices):
    # The same order on every reload of this attempt, a different one for the next student.
    rng = random.Random(f"{attempt.token}:{question.pk}")
    choices = list(choices)
    rng.shuffle(choices)
    return choices


def _target(go, number, count):
    if go == "prev":
        return max(1, number - 1)
    if go == "review" or (go == "next" and number >= count):
        return "review"
    if go and go.isdigit() and 1 <= int(go) <= count:
        return int(go)
    return min(count, number + 1)


@never_cache
@require_http_methods(["GET", "POST"])
def question(request, token, number):
    attempt, stop = _attempt_or_404(request, token)
    if stop:
        return stop
    if attempt.is_submitted:
        return redirect("assessments:take", token=token)
    questions = _questions(attempt)
    if not 1 <= number <= len(questions):
        raise Http404("No such question")
    current = questions[number - 1]
    choices = _shuffled(attempt, current, current.choices.all())
    answered = _answered(attempt)
    saved = answered.get(current.pk)
    chosen = {c.pk for c in saved.choices.all()} if saved else set()
    typed = "" if saved is None or saved.number is None else _plain_number(saved.number)
    error = None
    status = 200
    if request.method == "POST":
        chosen_raw = request.POST.getlist("choice")
        typed_raw = request.POST.get("number", "")
        if ratelimit.answer_over_limit(request, token):
            error = _("Too many answers at once. Wait a minute and press the button again.")
            status = 429
        else:
            try:
                answer_save(attempt=attempt, question=current, choice_ids=chosen_raw, number=typed_raw)
            except ValidationError as exc:
                if exc.code in CLOSED_CODES:
                    return redirect("assessments:take", token=token)
                error = " ".join(exc.messages)
            else:
                target = _target(request.POST.get("go", "next"), number, len(questions))
                if target == "review":
                    return redirect("assessments:review", token=token)
                return redirect("assessments:question", token=token, number=target)
        # Show what the person chose or typed, not what was saved before.
        chosen = {int(c) for c in chosen_raw if c.isdigit()}
        typed = typed_raw
    nav = [
        {"number": i, "answered": q.pk in answered, "current": i == number}
        for i, q in enumerate(questions, start=1)
    ]
    return render(
        request,
        "assessments/take_question.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "question": current,
            "number": number,
            "count": len(questions),
            "choices": choices,
            "chosen": chosen,
            "typed": typed,
            "error": error,
            "nav": nav,
            "is_last": number == len(questions),
            "answered_count": len(answered),
        },
        status=status,
    )


def _plain_number(value):
    return format(value.normalize(), "f")


@never_cache
def review(request, token):
    attempt, stop = _attempt_or_404(request, token)
    if stop:
        return stop
    if attempt.is_submitted:
        return redirect("assessments:take", token=token)
    questions = _questions(attempt)
    answered = _answered(attempt)
    rows = [
        {"number": i, "question": q, "answered": q.pk in answered} for i, q in enumerate(questions, start=1)
    ]
    return render(
        request,
        "assessments/take_review.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "rows": rows,
            "count": len(questions),
            "answered_count": len(answered),
        },
    )


@never_cache
@require_POST
def submit(request, token):
    attempt, stop = _attempt_or_404(request, token)
    if stop:
        return stop
    if attempt.is_submitted:
        return redirect("assessments:take", token=token)
    if ratelimit.answer_over_limit(request, token):
        return _too_many(request, context={"attempt": attempt})
    try:
        attempt_submit(attempt=attempt)
    except ValidationError:
        pass  # expired or closed meanwhile: the start page says which
    return redirect("assessments:take", token=token)


# ------------------------------------------------------------------ the volunteer's pages


def _wa_phone(phone):
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    elif len(digits) == 10:
        digits = "7" + digits
    return digits if len(digits) == 11 and digits[0] == "7" else ""


def _link_row(request, attempt, person, phone=""):
    url = request.build_absolute_uri(reverse("assessments:take", args=[attempt.token]))
    message = _("%(name)s, your personal link to the %(kind)s «%(test)s»: %(url)s") % {
        "name": person.first_name,
        "kind": attempt.get_kind_display(),
        "test": attempt.quiz.title,
        "url": url,
    }
    phone_digits = _wa_phone(phone)
    return {
        "attempt": attempt,
        "url": url,
        "whatsapp": f"https://wa.me/{phone_digits}?text={quote(message)}",
        "expired": attempt_is_expired(attempt),
    }


@login_required
def group_links(request, pk):
    group = get_object_or_404(
        CourseGroup.objects.filter(volunteer__user=request.user).select_related(
            "program", "track", "subject"
        ),
        pk=pk,
    )
    enrollments = list(
        Enrollment.objects.filter(group=group)
        .exclude(status=Enrollment.Status.DROPPED)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student_id")
    )
    attempts = (
        QuizAttempt.objects.filter(
            student_id__in=[e.student_id for e in enrollments], track_id=group.track_id
        )
        .select_related("quiz", "program")
        .annotate(answered=Count("answers"))
    )
    by_student = {(a.student_id, a.kind): a for a in attempts}
    rows = []
    missing = {TestKind.PRE: 0, TestKind.POST: 0}
    for enrollment in enrollments:
        student = enrollment.student
        cells = []
        for kind in (TestKind.PRE, TestKind.POST):
            attempt = by_student.get((student.pk, kind))
            if attempt is None:
                missing[kind] += 1
                cells.append({"kind": kind, "label": TestKind(kind).label})
            else:
                cells.append(
                    {
                        "kind": kind,
                        "label": TestKind(kind).label,
                        **_link_row(request, attempt, student, student.phone),
                    }
                )
        rows.append({"student": student, "cells": cells})
    can_issue = {
        kind: missing[kind] > 0
        and quiz_pick(program=group.program, track=group.track, subject=group.subject, kind=kind) is not None
        for kind in (TestKind.PRE, TestKind.POST)
    }
    return render(
        request,
        "assessments/group_links.html",
        {
            "group": group,
            "rows": rows,
            "missing": missing,
            "can_issue_pre": can_issue[TestKind.PRE],
            "can_issue_post": can_issue[TestKind.POST],
        },
    )


@login_required
@require_POST
def group_links_issue(request, pk):
    group = get_object_or_404(
        CourseGroup.objects.filter(volunteer__user=request.user).select_related(
            "program", "track", "subject"
        ),
        pk=pk,
    )
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the pre-test or the post-test."))
        return redirect("assessments:group_links", pk=group.pk)
    kind = form.cleaned_data["kind"]
    try:
        created = attempts_issue_for_group(group=group, kind=kind, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("New personal links: %(n)s.") % {"n": created})
    return redirect("assessments:group_links", pk=group.pk)


@login_required
def my_tests(request):
    """A volunteer's own training tests."""
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        raise Http404("Not a volunteer")
    attempts = (
        QuizAttempt.objects.filter(volunteer=volunteer).select_related("quiz", "program").order_by("kind")
    )
    rows = [_link_row(request, a, volunteer) for a in attempts]
    return render(request, "assessments/my_tests.html", {"rows": rows})


# ------------------------------------------------------------------ the coordinator's pages


def _staff_program(request, code, write=False):
    """Coordinators manage, grant officers read; everyone else gets a 404."""
    if not (roles.is_coordinator(request.user) or roles.is_officer(request.user)):
        raise Http404("No such programme")
    program = program_for(request.user, code, write=write)
    program.can_edit = write or can_edit(request.user, program)
    return program


def _quiz(program, pk):
    return get_object_or_404(
        Quiz.objects.filter(program=program).select_related("program", "track", "subject"), pk=pk
    )


@login_required
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
        rows.append({**_link_row(request, attempt, person, getattr(person, "phone", "")), "person": person})
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
    program = _staff_program(request, code, write=request.method == "POST")
    quiz = _quiz(program, pk)
    errors = []
    if request.method == "POST":
        form = QuizImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                count = quiz_questions_import(
                    quiz=quiz, file=form.cleaned_data["file"], replace=form.cleaned_data["replace"]
                )
            except ImportFailed as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Questions imported: %(n)s.") % {"n": count})
                return redirect("assessments:quiz_detail", code=program.code, pk=quiz.pk)
    else:
        form = QuizImportForm()
    return render(
        request,
        "assessments/quiz_import.html",
        {"program": program, "quiz": quiz, "form": form, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
def quiz_import_template(request, code):
    _staff_program(request, code)
    response = HttpResponse(
        template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="test-questions.xlsx"'
    return response


@login_required
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
