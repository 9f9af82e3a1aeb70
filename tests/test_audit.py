"""The audit trail records who changed what, for writes made through the admin."""

import pytest
from django.urls import reverse

from birgemiz.models import AuditEntry

from .admin_forms import change_form_data
from .factories import IndicatorFactory, LessonFactory, SchoolFactory, StudentFactory
from .factories import TestResultFactory as ResultFactory

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def entries(obj, action):
    return AuditEntry.objects.filter(
        model=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).order_by("-id")


def change_through_admin(client, obj, **overrides):
    page = client.get(url(type(obj), "change", obj.pk))
    assert page.status_code == 200
    response = client.post(url(type(obj), "change", obj.pk), change_form_data(page, **overrides))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def delete_through_admin(client, obj):
    response = client.post(url(type(obj), "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def assert_entry(entry, user, program, action):
    assert entry.user == user
    assert entry.program_id == program.pk
    assert entry.action == action
    assert entry.source == "admin"


def test_it_records_a_student_created_changed_and_deleted_in_the_admin(client, coordinator, program):
    client.force_login(coordinator)
    school = SchoolFactory()
    response = client.post(
        reverse("admin:courses_student_add"),
        {
            "program": program.pk, "code": "A-1", "last_name": "Асанов", "first_name": "Ерлан",
            "sex": "M", "grade": "9", "school": school.pk, "language": "kk", "social_status": "child",
            "iin": "061211500013",
        },
    )
    assert response.status_code == 302
    from courses.models import Student

    student = Student.objects.get(code="A-1")
    created = entries(student, "create").get()
    assert_entry(created, coordinator, program, "create")
    assert created.changes["last_name"] == [None, "Асанов"]

    change_through_admin(client, student, last_name="Асанұлы", grade="10")
    updated = entries(student, "update").get()
    assert_entry(updated, coordinator, program, "update")
    assert updated.changes == {"last_name": ["Асанов", "Асанұлы"], "grade": [9, 10]}

    pk = student.pk
    delete_through_admin(client, student)
    student.pk = pk
    deleted = entries(student, "delete").get()
    assert_entry(deleted, coordinator, program, "delete")
    assert deleted.changes["last_name"] == ["Асанұлы", None]


def test_it_records_nothing_when_a_save_changes_nothing(client, coordinator, program):
    student = StudentFactory(program=program)
    client.force_login(coordinator)
    change_through_admin(client, student)
    assert not entries(student, "update").exists()


def test_it_records_a_lesson_logged_changed_and_deleted_in_the_admin(client, coordinator, group, program):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:courses_lesson_add"),
        {
            "group": group.pk, "date": "2020-06-03", "hours": "2", "topic": "Future tense",
            "platform": "zoom", "notes": "", "attendance-TOTAL_FORMS": "0", "attendance-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    lesson = group.lessons.get(topic="Future tense")
    assert_entry(entries(lesson, "create").get(), coordinator, program, "create")
    attendance = lesson.attendance.first()
    assert_entry(entries(attendance, "create").get(), coordinator, program, "create")

    change_through_admin(client, lesson, hours="1.5")
    assert entries(lesson, "update").get().changes == {"hours": ["2.0", "1.5"]}

    pk = lesson.pk
    delete_through_admin(client, lesson)
    lesson.pk = pk
    assert_entry(entries(lesson, "delete").get(), coordinator, program, "delete")


def test_it_records_a_lesson_confirmed_by_an_admin_action(client, coordinator, program):
    lesson = LessonFactory(group__program=program)
    client.force_login(coordinator)
    client.post(
        reverse("admin:courses_lesson_changelist"),
        {"action": "confirm_lessons", "_selected_action": [lesson.pk]},
    )
    entry = entries(lesson, "update").get()
    assert entry.user == coordinator
    assert entry.changes["status"] == ["pending", "confirmed"]


def test_it_records_a_test_result_changed_and_deleted_in_the_admin(client, coordinator, program, track):
    from assessments.models import TestResult as Result

    student = StudentFactory(program=program)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:assessments_testresult_add"),
        {
            "program": program.pk, "track": track.pk, "student": student.pk, "kind": "pre",
            "score": "45", "source": "typed",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    result = Result.objects.get(student=student)
    assert_entry(entries(result, "create").get(), coordinator, program, "create")

    change_through_admin(client, result, score="47.5")
    assert entries(result, "update").get().changes["score"] == ["45.00", "47.50"]

    pk = result.pk
    delete_through_admin(client, result)
    result.pk = pk
    assert entries(result, "delete").get().changes["score"] == ["47.50", None]


def test_it_records_an_indicator_changed_in_the_admin(client, coordinator, program):
    indicator = IndicatorFactory(activity__task__program=program)
    client.force_login(coordinator)
    change_through_admin(client, indicator, fact_value="12")
    entry = entries(indicator, "update").get()
    assert_entry(entry, coordinator, program, "update")
    assert entry.changes == {"fact_value": [None, "12.00"]}

    pk = indicator.pk
    delete_through_admin(client, indicator)
    indicator.pk = pk
    assert_entry(entries(indicator, "delete").get(), coordinator, program, "delete")


def test_it_shows_who_changed_what_on_the_audit_entry_page(client, coordinator, program):
    result = ResultFactory(program=program, student__program=program, track__program=program)
    client.force_login(coordinator)
    change_through_admin(client, result, score="60")
    entry = entries(result, "update").get()
    page = client.get(url(AuditEntry, "change", entry.pk)).content.decode()
    assert "coord" in page and "score" in page and "60.00" in page
