"""A student takes a pre-test on a 360 px phone through a personal link, reloads halfway,
finishes, and the volunteer sees the score in the group's score grid."""

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from assessments import models as am
from assessments.models import QuizAttempt
from assessments.quiz_services import attempts_issue_for_group

from .browser_support import reload_page
from .test_online_tests_support import build_quiz, open_program

pytestmark = pytest.mark.browser


def _shot(page, name):
    # Screenshots for a person to look at: BIRGEMIZ_SHOTS=/tmp/shots pytest ...
    folder = os.environ.get("BIRGEMIZ_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_it_takes_a_pre_test_on_a_phone_and_fills_the_score_grid(
    transactional_db, live_server, phone_page, program, track, group, volunteer_user
):
    cache.clear()
    open_program(program)
    _quiz, _questions, choices = build_quiz(program, track)
    attempts_issue_for_group(group=group, kind="pre", user=volunteer_user)
    attempt = QuizAttempt.objects.select_related("student").filter(group=group).first()
    page = phone_page

    # The student opens the personal link from WhatsApp: no account, no JavaScript needed.
    page.goto(live_server.url + reverse("assessments:take", args=[attempt.token]))
    _shot(page, "01-start")
    _no_sideways_scroll(page)
    page.locator(f"a[href$='/t/{attempt.token}/q/1/']").click()

    page.locator("label", has_text="goes").click()
    _shot(page, "02-question-single")
    _no_sideways_scroll(page)
    page.locator("button[name=go][value=next]").click()
    assert page.url.endswith("/q/2/")

    page.locator("label", has_text="apple").click()
    page.locator("label", has_text="pear").click()
    page.locator("button[name=go][value=next]").click()
    assert page.url.endswith("/q/3/")

    # Halfway: the connection drops and the page is reloaded; nothing is lost.
    reload_page(page)
    page.locator("button[name=go][value=prev]").click()
    assert page.url.endswith("/q/2/")
    assert page.locator("label", has_text="apple").locator("input").is_checked()
    assert page.locator("label", has_text="pear").locator("input").is_checked()
    assert not page.locator("label", has_text="chair").locator("input").is_checked()
    _shot(page, "03-question-multiple-after-reload")
    page.locator("button[name=go][value=next]").click()

    page.locator("input[name=number]").fill("36,2")
    _shot(page, "04-question-number")
    page.locator("button.btn-lg[name=go][value=review]").click()
    assert page.url.endswith("/review/")
    _shot(page, "05-review")
    _no_sideways_scroll(page)
    page.locator(f"form[action$='/t/{attempt.token}/submit/'] button[type=submit]").click()

    score = page.locator(".score-value")
    assert score.inner_text().strip() == "100%"
    _shot(page, "06-result")
    _no_sideways_scroll(page)

    result = am.TestResult.objects.get(student=attempt.student, track=track, kind="pre")
    assert result.score == Decimal("100.00") and result.source == am.TestResult.Source.ONLINE

    # The volunteer logs in on their phone and sees the score in the group's grid.
    client = Client()
    client.force_login(volunteer_user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + reverse("assessments:scores", args=[group.pk]))
    row = page.locator("tr", has_text=attempt.student.full_name)
    pre_cell = row.locator("input").first
    assert Decimal(pre_cell.input_value().replace(",", ".")) == Decimal("100")
    _shot(page, "07-volunteer-score-grid")

    page.goto(live_server.url + reverse("assessments:group_links", args=[group.pk]))
    assert page.locator(".badge", has_text="100%").count() == 1
    _shot(page, "08-volunteer-links")
