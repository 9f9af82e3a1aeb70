"""The student's (or training volunteer's) test by a personal link: no account and no
JavaScript needed."""

import random
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import ratelimit
from ..models import QuizAnswer, QuizAttempt
from ..quiz_services import (
    answer_save,
    attempt_is_expired,
    attempt_submit,
)

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
        wait = ratelimit.bad_token_over_limit(request)
        if wait:
            return None, _too_many(request, wait)
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


def _too_many(request, wait, template="assessments/take_slow_down.html", context=None):
    context = {**(context or {}), "slow_down": True, "wait_text": ratelimit.wait_text(wait)}
    return render(request, template, context, status=429)


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
        wait = ratelimit.answer_over_limit(request, token)
        if wait:
            error = f"{_('Too many answers at once.')} {ratelimit.wait_text(wait)}"
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
@require_GET
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
    wait = ratelimit.answer_over_limit(request, token)
    if wait:
        return _too_many(request, wait, context={"attempt": attempt})
    try:
        attempt_submit(attempt=attempt)
    except ValidationError:
        pass  # expired or closed meanwhile: the start page says which
    return redirect("assessments:take", token=token)


