"""The student's test pages: personal token, one question per page, saving, reload, submit once."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from assessments import models as am
from assessments.models import QuizAttempt
from assessments.quiz_services import attempts_issue_for_group

from .test_online_tests_support import build_quiz, open_program


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def taking(program, track, group):
    open_program(program)
    quiz, questions, choices = build_quiz(program, track)
    attempts_issue_for_group(group=group, kind="pre")
    attempt = QuizAttempt.objects.filter(group=group).select_related("student").first()
    return attempt, questions, choices


def _url(attempt, name="take", *args):
    return reverse(f"assessments:{name}", args=[attempt.token, *args])


def _order(client, attempt, number):
    """The questions in the attempt's page order: (question text shown on page n)."""
    return client.get(_url(attempt, "question", number)).content.decode()


def test_it_opens_the_start_page_without_an_account(client, taking):
    attempt, _q, _c = taking
    response = client.get(_url(attempt))
    assert response.status_code == 200
    assert attempt.quiz.title_kk in response.content.decode()
    assert _url(attempt, "question", 1) in response.content.decode()


def test_it_never_puts_the_correct_answers_in_the_page(client, taking):
    attempt, questions, choices = taking
    for number in (1, 2, 3):
        html = client.get(_url(attempt, "question", number)).content.decode()
        assert "is_correct" not in html and "✓" not in html
        # Every option is marked up alike once its id and text are taken out.
        options = re.findall(r'<label class="list-group-item.*?</label>', html, re.S)
        shapes = {re.sub(r'value="\d+"|<span>.*?</span>', "", o, flags=re.S) for o in options}
        assert len(shapes) <= 1
        assert len(options) == {1: 2, 2: 4, 3: 0}[number]
    number_page = client.get(_url(attempt, "question", 3)).content.decode()
    # The random parts of the page (the personal link's token, the hidden CSRF and form
    # tokens) may hold the digits by chance: take them out first.
    shown = re.sub(r'<input type="hidden"[^>]*>', "", number_page.replace(attempt.token, ""))
    assert "36" not in shown.replace("12 × 3", "")


def test_it_saves_each_answer_and_shows_it_after_a_reload(client, taking):
    attempt, questions, choices = taking
    response = client.post(_url(attempt, "question", 1), {"choice": [choices["s_right"].pk], "go": "next"})
    assert response.status_code == 302 and response["Location"] == _url(attempt, "question", 2)
    both = [choices["m_a"].pk, choices["m_c"].pk]
    client.post(_url(attempt, "question", 2), {"choice": both, "go": "next"})
    # The connection drops here; the student opens the link again.
    start = client.get(_url(attempt)).content.decode()
    assert _url(attempt, "question", 3) in start  # continues at the first unanswered question
    page = client.get(_url(attempt, "question", 2)).content.decode()
    assert f'value="{choices["m_a"].pk}" checked' in page and f'value="{choices["m_c"].pk}" checked' in page
    assert f'value="{choices["m_b"].pk}" checked' not in page
    assert am.QuizAnswer.objects.filter(attempt=attempt).count() == 2


def test_it_keeps_what_was_typed_when_a_number_is_not_a_number(client, taking):
    attempt, _q, _c = taking
    response = client.post(_url(attempt, "question", 3), {"number": "thirty six", "go": "next"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="thirty six"' in html and 'role="alert"' in html
    assert not am.QuizAnswer.objects.exists()


def test_it_navigates_between_questions(client, taking):
    attempt, _q, choices = taking
    back = client.post(_url(attempt, "question", 2), {"go": "prev"})
    assert back["Location"] == _url(attempt, "question", 1)
    jump = client.post(_url(attempt, "question", 1), {"choice": [choices["s_wrong"].pk], "go": "3"})
    assert jump["Location"] == _url(attempt, "question", 3)
    finish = client.post(_url(attempt, "question", 3), {"number": "36", "go": "next"})
    assert finish["Location"] == _url(attempt, "review")
    assert client.get(_url(attempt, "question", 4)).status_code == 404


def test_it_submits_once_and_shows_the_score(client, taking):
    attempt, _q, choices = taking
    client.post(_url(attempt, "question", 1), {"choice": [choices["s_right"].pk]})
    client.post(_url(attempt, "question", 3), {"number": "36"})
    review = client.get(_url(attempt, "review")).content.decode()
    assert _url(attempt, "submit") in review
    response = client.post(_url(attempt, "submit"))
    assert response["Location"] == _url(attempt)
    result_page = client.get(_url(attempt)).content.decode()
    assert "50%" in result_page  # 3 of 6 points
    submitted_at = QuizAttempt.objects.get(pk=attempt.pk).submitted_at
    # A second submit and a late answer change nothing.
    client.post(_url(attempt, "submit"))
    late = client.post(_url(attempt, "question", 2), {"choice": [choices["m_a"].pk, choices["m_c"].pk]})
    assert late["Location"] == _url(attempt)
    attempt.refresh_from_db()
    assert attempt.submitted_at == submitted_at and attempt.score == Decimal("50.00")
    assert am.TestResult.objects.get(student=attempt.student, kind="pre").score == Decimal("50.00")
    assert client.get(_url(attempt, "question", 1))["Location"] == _url(attempt)


def test_it_rejects_get_on_submit(client, taking):
    attempt, _q, _c = taking
    assert client.get(_url(attempt, "submit")).status_code == 405


def test_it_answers_404_for_an_unknown_token(client, taking):
    assert client.get(reverse("assessments:take", args=["no-such-token-at-all"])).status_code == 404
    assert client.get(reverse("assessments:question", args=["bad", 1])).status_code == 404


def test_it_opens_only_the_tokens_own_attempt(client, taking):
    attempt, _q, choices = taking
    other = QuizAttempt.objects.exclude(pk=attempt.pk).filter(kind="pre").first()
    client.post(_url(other, "question", 1), {"choice": [choices["s_right"].pk]})
    assert am.QuizAnswer.objects.get().attempt == other
    page = client.get(_url(attempt, "question", 1)).content.decode()
    assert "checked" not in page
    assert other.student.first_name in client.get(_url(other)).content.decode()


def test_it_refuses_expired_links(client, taking, program):
    attempt, _q, choices = taking
    program.end = timezone.localdate() - datetime.timedelta(days=1)
    program.save(update_fields=["end"])
    assert client.get(_url(attempt)).status_code == 410
    response = client.post(_url(attempt, "question", 1), {"choice": [choices["s_right"].pk]})
    assert response.status_code == 410
    assert client.post(_url(attempt, "submit")).status_code == 410
    assert not am.QuizAnswer.objects.exists()
    assert QuizAttempt.objects.get(pk=attempt.pk).submitted_at is None


def test_it_refuses_answers_when_the_test_is_closed(client, taking):
    attempt, _q, choices = taking
    attempt.quiz.is_open = False
    attempt.quiz.save()
    response = client.post(_url(attempt, "question", 1), {"choice": [choices["s_right"].pk]})
    assert response.status_code == 403
    assert not am.QuizAnswer.objects.exists()


def test_it_rate_limits_answers_per_token(client, taking, settings):
    attempt, _q, choices = taking
    settings.QUIZ_RATE_PER_TOKEN = (3, 60)
    for _ in range(3):
        ok = client.post(_url(attempt, "question", 1), {"choice": [choices["s_right"].pk]})
        assert ok.status_code == 302
    limited = client.post(_url(attempt, "question", 1), {"choice": [choices["s_wrong"].pk]})
    assert limited.status_code == 429
    # The page keeps the choice just made, so pressing the button again loses nothing.
    assert f'value="{choices["s_wrong"].pk}" checked' in limited.content.decode()
    assert am.QuizAnswer.objects.get().choices.get() == choices["s_right"]
    other = QuizAttempt.objects.exclude(pk=attempt.pk).first()
    assert client.post(_url(other, "question", 1), {"choice": [choices["s_right"].pk]}).status_code == 302


def test_it_rate_limits_answers_per_address(client, taking, settings):
    attempt, _q, choices = taking
    settings.QUIZ_RATE_PER_IP = (2, 60)
    others = list(QuizAttempt.objects.exclude(pk=attempt.pk))
    assert client.post(_url(attempt, "question", 1), {"choice": [choices["s_right"].pk]}).status_code == 302
    assert client.post(_url(others[0], "question", 1), {"choice": [choices["s_right"].pk]}).status_code == 302
    assert client.post(_url(others[1], "question", 1), {"choice": [choices["s_right"].pk]}).status_code == 429
    assert client.post(_url(others[1], "submit")).status_code == 429
    assert QuizAttempt.objects.get(pk=others[1].pk).submitted_at is None


def test_it_rate_limits_guessing_tokens(client, taking, settings):
    settings.QUIZ_RATE_BAD_TOKEN_PER_IP = (2, 600)
    urls = [reverse("assessments:take", args=[f"guess-token-{i:04d}"]) for i in range(3)]
    codes = [client.get(url).status_code for url in urls]
    assert codes == [404, 404, 429]


def test_it_speaks_the_students_language_until_they_choose(client, taking):
    attempt, questions, _c = taking
    attempt.student.language = "ru"
    attempt.student.save()
    page = client.get(_url(attempt, "question", 2)).content.decode()
    assert questions["multiple"].text_ru in page
    client.cookies["django_language"] = "kk"
    page = client.get(_url(attempt, "question", 2)).content.decode()
    assert questions["multiple"].text_kk in page
