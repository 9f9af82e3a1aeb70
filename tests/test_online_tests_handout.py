"""Online tests a coordinator can hand out (issue 16, item 7): links per group and per
student, refused once the programme has ended, a links page filtered by group with a
printable sheet (name, link, QR) and an XLSX export, WhatsApp messages in the student's
language, an unchanged question file imported twice adds nothing, and Russian plurals."""

import datetime
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import QuizAttempt, QuizQuestion
from assessments.quiz_import import quiz_questions_import, template_workbook
from assessments.quiz_services import attempts_issue_for_group, attempts_issue_for_quiz

from .factories import CourseGroupFactory, EnrollmentFactory
from .test_online_tests_support import build_quiz, open_program


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def two_groups(program, track, group):
    open_program(program)
    other = CourseGroupFactory(program=program, track=track, name="Ағылшын-9")
    for _ in range(2):
        EnrollmentFactory(group=other)
    quiz, _questions, _choices = build_quiz(program, track)
    return {"quiz": quiz, "group": group, "other": other}


def links_url(program, quiz, **query):
    url = reverse("assessments:quiz_links", args=[program.code, quiz.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_it_refuses_to_issue_links_once_the_programme_has_ended(client, coordinator, program, track, group):
    quiz, _q, _c = build_quiz(program, track)  # the conftest programme ended in 2020
    with pytest.raises(ValidationError) as error:
        attempts_issue_for_quiz(quiz=quiz, kind="pre", user=coordinator)
    assert error.value.code == "window_closed" and program.end.strftime("%d.%m.%Y") in error.value.messages[0]
    assert not QuizAttempt.objects.exists()
    client.force_login(coordinator)
    detail = client.get(reverse("assessments:quiz_detail", args=[program.code, quiz.pk])).content.decode()
    assert 'data-test="window-closed"' in detail and "links to everyone" not in detail
    response = client.post(reverse("assessments:quiz_issue", args=[program.code, quiz.pk]), {"kind": "pre"})
    assert response.status_code == 302 and not QuizAttempt.objects.exists()


def test_it_issues_links_to_one_group_only(client, coordinator, program, two_groups):
    quiz, other = two_groups["quiz"], two_groups["other"]
    client.force_login(coordinator)
    response = client.post(
        reverse("assessments:quiz_issue", args=[program.code, quiz.pk]), {"kind": "pre", "group": other.pk}
    )
    assert response["Location"] == links_url(program, quiz, group=other.pk)
    assert set(QuizAttempt.objects.values_list("group_id", flat=True)) == {other.pk}
    assert QuizAttempt.objects.count() == 2


def test_it_issues_one_students_link(client, coordinator, program, two_groups):
    quiz, group = two_groups["quiz"], two_groups["group"]
    student = group.enrollments.order_by("student_id").first().student
    client.force_login(coordinator)
    url = reverse("assessments:quiz_issue", args=[program.code, quiz.pk])
    client.post(url, {"kind": "post", "group": group.pk, "student": student.pk})
    client.post(url, {"kind": "post", "group": group.pk, "student": student.pk})  # twice: still one
    assert list(QuizAttempt.objects.values_list("student_id", "kind")) == [(student.pk, "post")]


def test_it_404s_a_group_of_another_track_or_programme(client, coordinator, outsider, program, two_groups):
    from .factories import TrackFactory

    quiz = two_groups["quiz"]
    foreign = CourseGroupFactory(program=program, track=TrackFactory(program=program, code="math"))
    client.force_login(coordinator)
    assert client.get(links_url(program, quiz, group=foreign.pk)).status_code == 404
    response = client.post(
        reverse("assessments:quiz_issue", args=[program.code, quiz.pk]), {"kind": "pre", "group": foreign.pk}
    )
    assert response.status_code == 404 and not QuizAttempt.objects.exists()
    client.force_login(outsider)
    assert client.get(links_url(program, quiz, group=two_groups["group"].pk)).status_code == 404


def test_it_filters_the_links_page_by_group(client, coordinator, program, two_groups):
    quiz, group, other = two_groups["quiz"], two_groups["group"], two_groups["other"]
    attempts_issue_for_quiz(quiz=quiz, kind="pre", user=coordinator)
    client.force_login(coordinator)
    page = client.get(links_url(program, quiz, group=other.pk))
    names = {row["student"].pk for row in page.context["student_rows"]}
    assert names == set(other.enrollments.values_list("student_id", flat=True))
    body = page.content.decode()
    assert all(s.full_name not in body for s in (e.student for e in group.enrollments.all()))
    everyone = client.get(links_url(program, quiz))
    assert len(everyone.context["rows"]) == 5


def test_it_keeps_the_links_pages_queries_flat(
    client, coordinator, program, two_groups, django_assert_max_num_queries
):
    quiz, other = two_groups["quiz"], two_groups["other"]
    attempts_issue_for_quiz(quiz=quiz, kind="pre", user=coordinator)
    client.force_login(coordinator)
    urls = [links_url(program, quiz, group=other.pk), links_url(program, quiz),
            reverse("assessments:quiz_links_print", args=[program.code, quiz.pk]) + f"?group={other.pk}"]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(20) as q:
            client.get(url)
        counts.append(len(q.captured_queries))
    for _ in range(6):
        EnrollmentFactory(group=other)
    attempts_issue_for_quiz(quiz=quiz, kind="pre", user=coordinator)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)


def test_it_prints_a_sheet_with_name_link_and_qr_code(client, coordinator, program, two_groups):
    quiz, other = two_groups["quiz"], two_groups["other"]
    attempts_issue_for_group(group=other, kind="pre", user=coordinator, quiz=quiz)
    client.force_login(coordinator)
    url = reverse("assessments:quiz_links_print", args=[program.code, quiz.pk]) + f"?group={other.pk}"
    body = client.get(url).content.decode()
    assert body.count('data-test="link-card"') == 2 and body.count("<svg") == 2
    for attempt in QuizAttempt.objects.filter(group=other).select_related("student"):
        assert attempt.student.full_name in body and f"/t/{attempt.token}/" in body


def test_it_exports_the_links_as_xlsx(client, coordinator, program, two_groups):
    quiz, other = two_groups["quiz"], two_groups["other"]
    attempts_issue_for_quiz(quiz=quiz, kind="pre", user=coordinator)
    client.force_login(coordinator)
    url = reverse("assessments:quiz_links_xlsx", args=[program.code, quiz.pk]) + f"?group={other.pk}"
    response = client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3
    tokens = set(QuizAttempt.objects.filter(group=other).values_list("token", flat=True))
    assert {row[3].rsplit("/t/", 1)[1].strip("/") for row in rows[1:]} == tokens


def test_it_writes_the_whatsapp_message_in_the_students_language(client, volunteer_user, program, two_groups):
    group = two_groups["group"]
    students = [e.student for e in group.enrollments.order_by("student_id")]
    students[0].language = "ru"
    students[0].save()
    attempts_issue_for_group(group=group, kind="pre", user=volunteer_user)
    client.force_login(volunteer_user)
    page = client.get(reverse("assessments:group_links", args=[group.pk]))  # the sender reads Kazakh
    by_student = {row["student"].pk: row["cells"][0]["whatsapp"] for row in page.context["rows"]}
    assert "ваша" in unquote(by_student[students[0].pk]).lower()
    assert "ваша" not in unquote(by_student[students[1].pk]).lower()


def test_it_adds_nothing_when_the_same_question_file_is_imported_again(program, track):
    quiz, _q, _c = build_quiz(program, track)
    before = quiz.questions.count()
    assert quiz_questions_import(quiz=quiz, file=io.BytesIO(template_workbook())) == 2
    assert quiz_questions_import(quiz=quiz, file=io.BytesIO(template_workbook())) == 0
    assert QuizQuestion.objects.filter(quiz=quiz).count() == before + 2


def test_it_says_the_russian_score_with_the_right_plural(client, program, two_groups, volunteer_user):
    group = two_groups["group"]
    attempts_issue_for_group(group=group, kind="pre", user=volunteer_user)
    attempt = QuizAttempt.objects.filter(group=group).select_related("student").first()
    attempt.student.language = "ru"
    attempt.student.save()
    attempt.submitted_at = timezone.now()
    attempt.points, attempt.max_points, attempt.score = Decimal("2"), Decimal("8"), Decimal("25")
    attempt.save()
    body = client.get(reverse("assessments:take", args=[attempt.token])).content.decode()
    assert "2 балла из 8" in body
    attempt.points = Decimal("5")
    attempt.save()
    assert "5 баллов из 8" in client.get(reverse("assessments:take", args=[attempt.token])).content.decode()


# ---------------------------------------------------------------- in a phone's browser


@pytest.mark.browser
def test_a_coordinator_hands_out_one_groups_links_on_a_phone(
    transactional_db, live_server, phone_page, program, track, group, coordinator
):
    from django.conf import settings
    from django.test import Client

    cache.clear()
    open_program(program)
    quiz, _questions, _choices = build_quiz(program, track)
    other = CourseGroupFactory(program=program, track=track, name="Ағылшын-9")
    EnrollmentFactory(group=other)
    page = phone_page
    client = Client()
    client.force_login(coordinator)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                               "url": live_server.url}])
    page.goto(live_server.url + links_url(program, quiz))
    page.select_option("select[name=group]", str(group.pk))
    with page.expect_navigation():
        page.click("main form[method=get] button[type=submit]")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.click("[data-test=issue-group-pre]")
    assert QuizAttempt.objects.filter(group=group, kind="pre").count() == 3
    assert not QuizAttempt.objects.filter(group=other).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.click("[data-test=print-sheet]")
    assert page.locator("[data-test=link-card]").count() == 3
    assert page.locator("[data-test=link-card] svg").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    link = page.locator("[data-test=link-card] .font-monospace").first.inner_text().strip()
    # A student scans the code: a fresh phone without the coordinator's session.
    page.context.clear_cookies()
    page.goto(link)
    page.locator("a[href$='/q/1/']").click()
    page.locator("label", has_text="goes").click()
    page.locator("button[name=go][value=next]").click()
    page.locator("label", has_text="apple").click()
    page.locator("label", has_text="pear").click()
    page.locator("button[name=go][value=next]").click()
    page.locator("input[name=number]").fill("36")
    page.locator("button.btn-lg[name=go][value=review]").click()
    page.locator("form[action$='/submit/'] button[type=submit]").click()
    assert page.locator(".score-value").inner_text().strip() == "100%"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert QuizAttempt.objects.get(token=token).is_submitted
    assert datetime.date.today() <= program.end
