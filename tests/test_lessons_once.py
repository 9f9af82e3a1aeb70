"""No doubled hours (issue 16, item 1): a form sent twice does its work once, the same
lesson logged again is refused (or, when meant, flagged to the coordinator), volunteers
delete their pending lessons, and hours past the plan say so."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from birgemiz.idempotency import FIELD, new_token
from courses.models import Attendance, Lesson
from courses.services import lesson_confirm, lesson_log

from .factories import LessonFactory
from .test_portal_browser import log_in
from .test_portal_browser import world as world  # noqa: PLC0414 (the phone test's programme, a fixture)
from .test_volunteer_portal import lesson_post


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def vclient(client, volunteer_user, group):
    client.force_login(volunteer_user)
    return client


def new_url(group):
    return reverse("courses:lesson_new", args=[group.pk])


def test_it_puts_a_one_time_token_in_the_lesson_form(vclient, group):
    first = vclient.get(new_url(group)).content.decode()
    second = vclient.get(new_url(group)).content.decode()
    assert f'name="{FIELD}"' in first
    token = first.split(f'name="{FIELD}" value="')[1].split('"')[0]
    assert token not in second  # a fresh token on every render


def test_it_saves_a_resubmitted_form_once_and_redirects_to_the_first_result(vclient, group):
    data = {**lesson_post(group), FIELD: new_token()}
    first = vclient.post(new_url(group), data)
    again = vclient.post(new_url(group), data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == reverse("assessments:group", args=[group.pk])
    assert Lesson.objects.filter(group=group).count() == 1
    assert Attendance.objects.count() == 3


def test_it_frees_the_token_of_a_form_sent_back_with_errors(vclient, group):
    token = new_token()
    bad = vclient.post(new_url(group), {**lesson_post(group, topic=""), FIELD: token})
    assert bad.status_code == 200
    fixed = vclient.post(new_url(group), {**lesson_post(group), FIELD: token})
    assert fixed.status_code == 302 and Lesson.objects.count() == 1


def test_it_keeps_tokens_of_different_users_apart(client, group, volunteer_user, other_volunteer_user):
    token = new_token()
    client.force_login(other_volunteer_user)
    # Another user's request with the same token (or a guessed one) does not replay this one's.
    assert client.post(new_url(group), {**lesson_post(group), FIELD: token}).status_code == 404
    client.force_login(volunteer_user)
    assert client.post(new_url(group), {**lesson_post(group), FIELD: token}).status_code == 302
    assert Lesson.objects.count() == 1


def test_it_makes_a_submit_that_overtakes_the_first_wait_for_its_result(vclient, group, volunteer_user):
    """The second of two simultaneous submits finds the token claimed and still pending:
    it writes nothing, waits for the first to finish and goes where the first went."""
    from birgemiz import idempotency

    token = new_token()
    url = new_url(group)
    key = f"birgemiz:form-token:{volunteer_user.pk}:{url}:{token}"
    assert cache.add(key, idempotency.PENDING)  # the first submit is being saved
    done = reverse("assessments:group", args=[group.pk])
    timer = threading.Timer(0.3, lambda: cache.set(key, done))
    timer.start()
    response = vclient.post(url, {**lesson_post(group), FIELD: token})
    timer.join()
    assert response.status_code == 302 and response["Location"] == done
    assert not Lesson.objects.exists()


def test_it_refuses_the_same_lesson_logged_again_and_keeps_what_was_typed(vclient, group):
    assert vclient.post(new_url(group), lesson_post(group)).status_code == 302
    again = vclient.post(new_url(group), lesson_post(group, topic="Тағы да"))
    assert again.status_code == 200
    body = again.content.decode()
    assert "02.06.2020" in body and 'name="same_day_again"' in body and 'type="checkbox"' in body
    assert again.context["form"]["topic"].value() == "Тағы да"
    assert Lesson.objects.count() == 1
    # Said on purpose: a second lesson that day is saved.
    meant = vclient.post(new_url(group), lesson_post(group, topic="Тағы да", same_day_again="on"))
    assert meant.status_code == 302 and Lesson.objects.count() == 2


def test_it_lets_a_rejected_lesson_be_logged_again(group, volunteer_user):
    first = lesson_log(group=group, user=volunteer_user, date=datetime.date(2020, 6, 2), hours=Decimal("1"),
                       topic="T", platform="zoom")
    first.status = Lesson.Status.REJECTED
    first.reject_reason = "Wrong"
    first.save()
    lesson_log(group=group, user=volunteer_user, date=datetime.date(2020, 6, 2), hours=Decimal("1"),
               topic="T", platform="zoom")
    assert Lesson.objects.count() == 2


def test_it_flags_same_day_lessons_to_the_coordinator(client, coordinator, group, volunteer_user):
    for _ in range(2):
        lesson_log(group=group, user=volunteer_user, date=datetime.date(2020, 6, 2), hours=Decimal("1.5"),
                   topic="T", platform="zoom", same_day_again=True)
    single = lesson_log(group=group, user=volunteer_user, date=datetime.date(2020, 6, 3),
                        hours=Decimal("1.5"), topic="T", platform="zoom")
    client.force_login(coordinator)
    body = client.get(reverse("assessments:lessons", args=[group.program.code])).content.decode()
    assert body.count('data-test="duplicate"') == 2
    flagged = body.split(f'id="lesson-{single.pk}"')[1].split("</li>")[0]
    assert 'data-test="duplicate"' not in flagged


def test_it_lets_a_volunteer_delete_a_pending_lesson(vclient, group, volunteer_user):
    lesson = lesson_log(group=group, user=volunteer_user, date=datetime.date(2020, 6, 2),
                        hours=Decimal("1"), topic="T", platform="zoom")
    page = vclient.get(reverse("courses:lesson_edit", args=[lesson.pk])).content.decode()
    assert reverse("courses:lesson_delete", args=[lesson.pk]) in page
    response = vclient.post(reverse("courses:lesson_delete", args=[lesson.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:group", args=[group.pk])
    assert not Lesson.objects.exists() and not Attendance.objects.exists()
    from birgemiz.models import AuditEntry

    assert AuditEntry.objects.filter(model="courses.lesson", action="delete").count() == 1


def test_it_does_not_delete_a_confirmed_lesson(vclient, group, coordinator):
    lesson = LessonFactory(group=group)
    lesson_confirm(lesson=lesson, user=coordinator)
    response = vclient.post(reverse("courses:lesson_delete", args=[lesson.pk]))
    assert response.status_code == 302
    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_it_404s_deleting_another_volunteers_lesson(client, group, other_volunteer_user):
    lesson = LessonFactory(group=group)
    client.force_login(other_volunteer_user)
    assert client.post(reverse("courses:lesson_delete", args=[lesson.pk])).status_code == 404
    assert client.get(reverse("courses:lesson_delete", args=[lesson.pk])).status_code == 405
    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_it_says_when_hours_pass_the_plan(vclient, group, coordinator):
    group.track.planned_hours = Decimal("2")
    group.track.save()
    for day in (1, 2):
        lesson = LessonFactory(group=group, date=datetime.date(2020, 6, day), hours=Decimal("1.5"))
        lesson_confirm(lesson=lesson, user=coordinator)
    url = reverse("assessments:group", args=[group.pk])
    body = vclient.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-test="over-plan"' in body and "1" in body.split('data-test="over-plan">')[1][:80]
    home = vclient.get(reverse("assessments:portal")).content.decode()
    assert 'data-test="over-plan"' in home


def test_it_says_nothing_within_the_plan(vclient, group, coordinator):
    lesson = LessonFactory(group=group, hours=Decimal("1.5"))
    lesson_confirm(lesson=lesson, user=coordinator)
    body = vclient.get(reverse("assessments:group", args=[group.pk])).content.decode()
    assert 'data-test="over-plan"' not in body


# ---------------------------------------------------------------- in a phone's browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_saves_a_double_submitted_lesson_once_on_a_phone(live_server, phone_page, world):
    page, base, group = phone_page, live_server.url, world["group"]
    log_in(page, base, "aigul")
    page.goto(f"{base}/portal/groups/{group.pk}/lessons/new/")
    page.select_option("select[name=hours]", "2")
    page.fill("input[name=topic]", "Past Simple")
    # A slow connection: the same form goes twice, 0.4 s apart, then the browser resends it.
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector("main form");
            const send = () => fetch(form.action || location.href,
                {method: "POST", body: new FormData(form), redirect: "manual"}).then(r => r.status);
            const first = send();
            await new Promise(r => setTimeout(r, 400));
            const second = send();
            return Promise.all([first, second]);
        }"""
    )
    assert all(s in (0, 302) for s in statuses), statuses  # opaque redirects read as 0
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{base}/portal/groups/{group.pk}/"
    assert Lesson.objects.filter(group=group).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The same data again from a fresh form: refused, with the box to say it is meant.
    page.goto(f"{base}/portal/groups/{group.pk}/lessons/new/")
    page.select_option("select[name=hours]", "2")
    page.fill("input[name=topic]", "Past Simple")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert Lesson.objects.filter(group=group).count() == 1
    assert page.locator("input[name=same_day_again][type=checkbox]").count() == 1
    assert page.input_value("input[name=topic]") == "Past Simple"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The volunteer takes the lesson back.
    lesson = Lesson.objects.get(group=group)
    page.goto(f"{base}/portal/lessons/{lesson.pk}/")
    with page.expect_navigation():
        page.click("[data-test=lesson-delete]")
    assert not Lesson.objects.filter(group=group).exists()
