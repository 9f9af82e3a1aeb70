"""The coordinators' lesson page: confirm / reject, hours per volunteer, missing tests, XLSX."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from birgemiz.models import AuditEntry
from courses.models import Lesson
from courses.services import lesson_confirm, lesson_log, lesson_reject

from .factories import (
    CourseGroupFactory,
    EnrollmentFactory,
    LessonFactory,
    ProgramFactory,
)
from .factories import (
    TestResultFactory as ScoreFactory,
)


def page_url(program):
    return reverse("assessments:lessons", args=[program.code])


@pytest.fixture
def pending(group):
    return LessonFactory(group=group, topic="Pending one", hours=Decimal("2"))


@pytest.fixture
def cclient(client, coordinator):
    client.force_login(coordinator)
    return client


# ---------------------------------------------------------------- access


def test_it_sends_anonymous_users_to_login(client, program, pending):
    for url in (
        page_url(program),
        reverse("courses:hours_xlsx", args=[program.code]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    response = client.post(reverse("courses:confirm", args=[program.code, pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Lesson.Status.PENDING


def test_it_hides_the_page_from_other_organisations(client, outsider, program, pending):
    client.force_login(outsider)
    assert client.get(page_url(program)).status_code == 404
    assert client.get(reverse("courses:hours_xlsx", args=[program.code])).status_code == 404
    assert client.post(reverse("courses:confirm", args=[program.code, pending.pk])).status_code == 404
    pending.refresh_from_db()
    assert pending.status == Lesson.Status.PENDING


def test_it_hides_the_page_from_volunteers_and_council(
    client, program, volunteer_user, council_user, pending
):
    for user in (volunteer_user, council_user):
        client.force_login(user)
        assert client.get(page_url(program)).status_code == 404
        assert client.get(reverse("courses:hours_xlsx", args=[program.code])).status_code == 404
        assert client.post(reverse("courses:confirm", args=[program.code, pending.pk])).status_code == 404


def test_it_answers_404_for_an_unknown_programme(cclient):
    assert cclient.get(reverse("assessments:lessons", args=["nope"])).status_code == 404


def test_it_answers_405_to_get_on_post_only_views(cclient, program, pending):
    for url in (
        reverse("courses:confirm", args=[program.code, pending.pk]),
        reverse("courses:reject", args=[program.code, pending.pk]),
        reverse("courses:confirm_many", args=[program.code]),
    ):
        assert cclient.get(url).status_code == 405


def test_it_lets_an_officer_read_but_not_write(client, officer, program, pending):
    client.force_login(officer)
    response = client.get(page_url(program))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pending one" in body
    assert reverse("courses:confirm", args=[program.code, pending.pk]) not in body
    assert reverse("courses:reject", args=[program.code, pending.pk]) not in body
    assert client.get(reverse("courses:hours_xlsx", args=[program.code])).status_code == 200
    assert client.post(reverse("courses:confirm", args=[program.code, pending.pk])).status_code == 403
    assert (
        client.post(reverse("courses:reject", args=[program.code, pending.pk]), {"reason": "x"}).status_code
        == 403
    )
    response = client.post(reverse("courses:confirm_many", args=[program.code]), {"lesson": [pending.pk]})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Lesson.Status.PENDING


def test_it_does_not_reach_lessons_of_another_programme(cclient, program, coordinator, org):
    other_program = ProgramFactory(organization=org)
    lesson = LessonFactory(group=CourseGroupFactory(program=other_program))
    # The lesson exists and the coordinator may edit its programme, but not through this one.
    assert cclient.post(reverse("courses:confirm", args=[program.code, lesson.pk])).status_code == 404
    assert (
        cclient.post(reverse("courses:reject", args=[program.code, lesson.pk]), {"reason": "x"}).status_code
        == 404
    )
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.PENDING


# ---------------------------------------------------------------- confirm / reject


def test_it_lists_waiting_lessons_with_buttons(cclient, program, pending, group):
    confirmed = LessonFactory(group=group, topic="Already confirmed")
    lesson_confirm(lesson=confirmed, user=None)
    response = cclient.get(page_url(program))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pending one" in body and "Already confirmed" not in body
    assert reverse("courses:confirm", args=[program.code, pending.pk]) in body
    assert reverse("courses:reject", args=[program.code, pending.pk]) in body
    assert dict((v, n) for v, _label, n in response.context["statuses"]) == {
        "pending": 1, "confirmed": 1, "rejected": 0
    }
    response = cclient.get(page_url(program) + "?status=confirmed")
    assert "Already confirmed" in response.content.decode()


def test_it_confirms_a_lesson(cclient, program, pending, coordinator):
    response = cclient.post(
        reverse("courses:confirm", args=[program.code, pending.pk]), {"next_query": "status=pending"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?status=pending")
    pending.refresh_from_db()
    assert (pending.status, pending.reviewed_by) == (Lesson.Status.CONFIRMED, coordinator)
    assert AuditEntry.objects.filter(
        model="courses.lesson", action="update", object_id=str(pending.pk), user=coordinator
    ).exists()


def test_it_does_not_redirect_anywhere_else(cclient, program, pending):
    response = cclient.post(
        reverse("courses:confirm", args=[program.code, pending.pk]), {"next_query": "//evil.example/"}
    )
    assert response["Location"] == page_url(program)


def test_it_rejects_a_lesson_with_a_reason(cclient, program, pending, coordinator):
    response = cclient.post(
        reverse("courses:reject", args=[program.code, pending.pk]), {"reason": "  No attendance list  "}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.reject_reason, pending.reviewed_by) == (
        Lesson.Status.REJECTED, "No attendance list", coordinator
    )


def test_it_refuses_to_reject_without_a_reason(cclient, program, pending):
    response = cclient.post(reverse("courses:reject", args=[program.code, pending.pk]), {"reason": "  "},
                            follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Give a reason" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Lesson.Status.PENDING


def test_it_confirms_ticked_lessons(cclient, program, group, pending):
    second = LessonFactory(group=group)
    untouched = LessonFactory(group=group)
    response = cclient.post(reverse("courses:confirm_many", args=[program.code]),
                            {"lesson": [pending.pk, second.pk, "junk"]})
    assert response.status_code == 302
    statuses = dict(Lesson.objects.values_list("pk", "status"))
    assert statuses == {pending.pk: "confirmed", second.pk: "confirmed", untouched.pk: "pending"}


def test_confirming_twice_changes_nothing(pending, coordinator, officer):
    lesson_confirm(lesson=pending, user=coordinator)
    first = pending.reviewed_at
    lesson_confirm(lesson=pending, user=officer)
    pending.refresh_from_db()
    assert (pending.reviewed_by, pending.reviewed_at) == (coordinator, first)


def test_it_paginates_the_queue(cclient, program, group):
    for day in range(1, 31):
        LessonFactory(group=group, date=datetime.date(2020, 6, day), topic=f"Topic {day:02d}")
    first = cclient.get(page_url(program))
    second = cclient.get(page_url(program) + "?page=2")
    assert len(first.context["lessons"]) == 25 and len(second.context["lessons"]) == 5
    assert "Topic 01" in first.content.decode() and "Topic 30" in second.content.decode()
    assert "page=2" in first.content.decode()


# ---------------------------------------------------------------- hours and missing tests


def test_it_counts_only_confirmed_hours_against_the_plan(cclient, program, group, other_volunteer_user):
    lesson_confirm(lesson=LessonFactory(group=group, hours=Decimal("2")), user=None)
    lesson_confirm(lesson=LessonFactory(group=group, hours=Decimal("1.5")), user=None)
    LessonFactory(group=group, hours=Decimal("3"))
    lesson_reject(lesson=LessonFactory(group=group, hours=Decimal("4")), user=None, reason="No")
    second_group = CourseGroupFactory(program=program, track=group.track, volunteer=group.volunteer)
    EnrollmentFactory(group=second_group)

    response = cclient.get(page_url(program))
    rows = {v.pk: v for v in response.context["volunteers"]}
    mine = rows[group.volunteer.pk]
    assert (mine.confirmed_hours, mine.pending_hours) == (Decimal("3.5"), Decimal("3"))
    assert mine.planned_hours == 2 * group.track.planned_hours
    assert (mine.group_count, mine.student_count) == (2, 4)
    other = rows[other_volunteer_user.volunteer.pk]
    assert (other.confirmed_hours, other.pending_hours, other.student_count) == (0, 0, 1)


def test_it_lists_groups_with_students_missing_tests(cclient, program, group, other_volunteer_user):
    for e in group.enrollments.all():
        ScoreFactory(student=e.student, track=group.track, kind="pre")
    first = group.enrollments.first().student
    ScoreFactory(student=first, track=group.track, kind="post")
    complete = other_volunteer_user.volunteer.groups.get()
    for e in complete.enrollments.all():
        for kind in ("pre", "post"):
            ScoreFactory(student=e.student, track=complete.track, kind=kind)

    missing = list(cclient.get(page_url(program)).context["missing"])
    assert [(g.pk, g.missing_pre, g.missing_post, g.student_count) for g in missing] == [(group.pk, 0, 2, 3)]


# ---------------------------------------------------------------- XLSX


def test_it_downloads_the_hours_table(cclient, program, group):
    volunteer = group.volunteer
    volunteer.last_name = "=HYPERLINK(\"http://evil\")"
    volunteer.first_name = "+Айгүл"
    volunteer.save()
    lesson_confirm(lesson=LessonFactory(group=group, hours=Decimal("2.5")), user=None)
    LessonFactory(group=group, hours=Decimal("1"))

    response = cclient.get(reverse("courses:hours_xlsx", args=[program.code]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["A"].width >= 20
    row = [c for c in sheet[2]]
    assert row[0].value == volunteer.full_name and row[0].data_type == "s"
    assert row[0].quotePrefix
    assert [c.value for c in row[3:9]] == [1, 3, 2.5, 1, 48, pytest.approx(2.5 / 48, abs=0.001)]
    assert all(isinstance(c.value, (int, float)) for c in row[3:9])


# ---------------------------------------------------------------- query budget


@pytest.mark.parametrize("n_students", [3, 40])
def test_it_keeps_the_page_queries_flat(cclient, program, group, n_students, django_assert_max_num_queries):
    group.capacity = 60
    group.save()
    for _ in range(n_students - 3):
        EnrollmentFactory(group=group)
    for day in range(1, 6):
        lesson_log(group=group, user=None, date=datetime.date(2020, 6, day), hours=Decimal("1"),
                   topic="T", platform="zoom")
    for i in range(n_students // 3):
        extra = CourseGroupFactory(program=program, track=group.track)
        EnrollmentFactory(group=extra)
        LessonFactory(group=extra, topic=f"Extra {i}")
    with django_assert_max_num_queries(14):
        assert cclient.get(page_url(program)).status_code == 200
    with django_assert_max_num_queries(8):
        assert cclient.get(reverse("courses:hours_xlsx", args=[program.code])).status_code == 200


def test_it_keeps_the_page_under_300_kb(cclient, program, group):
    from .test_volunteer_portal import PAGE_BUDGET, page_weight

    for day in range(1, 31):
        date = datetime.date(2020, 6, day)
        LessonFactory(group=group, date=date, topic="Тақырып " * 20, notes="Ескерту " * 40)
    for _ in range(60):
        EnrollmentFactory(group=CourseGroupFactory(program=program, track=group.track))
    total, assets = page_weight(cclient.get(page_url(program)))
    assert any("bootstrap" in a for a in assets)
    assert total < PAGE_BUDGET, f"{total} bytes"
