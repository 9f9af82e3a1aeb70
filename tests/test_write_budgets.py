"""Everyday writes in a fixed number of queries (issue 18, item 3): logging a lesson with
its attendance, correcting it, and saving the score grid cost the same at 5 and at 50
students, with every attendance row and score still in the audit trail."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import TestResult
from birgemiz.models import AuditEntry
from courses.models import Attendance, Lesson

from .factories import EnrollmentFactory
from .factories import TestResultFactory as ScoreFactory
from .test_volunteer_portal import grid_data, lesson_post

LESSON_BUDGET = 26
GRID_BUDGET = 22


def sized(group, n):
    group.capacity = max(group.capacity, n)
    group.save()
    for _ in range(n - group.enrollments.count()):
        EnrollmentFactory(group=group)
    return sorted(e.student_id for e in group.enrollments.all())


@pytest.fixture
def vclient(client, volunteer_user, group):
    client.force_login(volunteer_user)
    return client


@pytest.mark.parametrize("n_students", [5, 50])
def test_it_logs_a_lesson_with_its_attendance_in_fixed_queries(
    vclient, group, n_students, django_assert_max_num_queries
):
    ids = sized(group, n_students)
    absent = set(ids[::3])
    present = [i for i in ids if i not in absent]
    url = reverse("courses:lesson_new", args=[group.pk])
    with django_assert_max_num_queries(LESSON_BUDGET):
        assert vclient.post(url, lesson_post(group, present=present)).status_code == 302
    lesson = Lesson.objects.get(group=group)
    marks = dict(Attendance.objects.filter(lesson=lesson).values_list("student_id", "present"))
    assert marks == {i: i not in absent for i in ids}
    entries = AuditEntry.objects.filter(model="courses.attendance", action="create")
    assert entries.count() == n_students
    some = entries.get(object_id=str(Attendance.objects.get(lesson=lesson, student_id=ids[0]).pk))
    assert some.changes["present"] == [None, False] and "@" in some.object_repr


@pytest.mark.parametrize("n_students", [5, 50])
def test_it_corrects_a_lessons_attendance_in_fixed_queries(
    vclient, group, n_students, django_assert_max_num_queries
):
    ids = sized(group, n_students)
    vclient.post(reverse("courses:lesson_new", args=[group.pk]), lesson_post(group, present=ids))
    lesson = Lesson.objects.get(group=group)
    now_present = ids[: n_students // 2]
    url = reverse("courses:lesson_edit", args=[lesson.pk])
    with django_assert_max_num_queries(LESSON_BUDGET):
        assert vclient.post(url, lesson_post(group, present=now_present, topic="Другое")).status_code == 302
    marks = dict(Attendance.objects.filter(lesson=lesson).values_list("student_id", "present"))
    assert marks == {i: i in now_present for i in ids}
    updates = AuditEntry.objects.filter(model="courses.attendance", action="update")
    assert updates.count() == n_students - len(now_present)
    assert updates.first().changes == {"present": [True, False]}


@pytest.mark.parametrize("n_students", [5, 50])
def test_it_saves_every_cell_of_the_grid_in_fixed_queries(
    vclient, group, volunteer_user, n_students, django_assert_max_num_queries
):
    ids = sized(group, n_students)
    students = [e.student for e in group.enrollments.order_by("student_id")]
    # Half the students have a pre-test score already: those cells change, the rest are new.
    for student in students[::2]:
        ScoreFactory(student=student, track=group.track, kind="pre", score=Decimal("10"))
    typed = {}
    for k, student in enumerate(students):
        typed[(student, "pre")] = f"{20 + k % 50},5"
        typed[(student, "post")] = str(60 + k % 40)
    clear = students[1]
    ScoreFactory(student=clear, track=group.track, kind="post", score=Decimal("33"))
    del typed[(clear, "post")]
    data = grid_data(group, typed, deletes=[(clear, "post")])
    url = reverse("assessments:scores", args=[group.pk])
    with django_assert_max_num_queries(GRID_BUDGET):
        response = vclient.post(url, data)
    assert response.status_code == 302
    stored = {(r.student_id, r.kind): r for r in TestResult.objects.filter(track=group.track)}
    assert len(stored) == 2 * n_students - 1 and (clear.pk, "post") not in stored
    for k, student in enumerate(students):
        assert stored[(student.pk, "pre")].score == Decimal(f"{20 + k % 50}.5")
        assert stored[(student.pk, "pre")].entered_by == volunteer_user
    audit = AuditEntry.objects.filter(model="assessments.testresult")
    assert audit.filter(action="update").count() == len(students[::2])
    assert audit.filter(action="delete").count() == 1
    first = stored[(students[0].pk, "pre")]
    assert audit.get(action="update", object_id=str(first.pk)).changes["score"] == ["10.00", "20.50"]
    assert ids  # the roster was built


def test_it_counts_the_same_queries_at_5_and_50_students(client, volunteer_user, group):
    """The budget is not just «under 30»: the count does not move with the group's size."""
    from .factories import CourseGroupFactory

    counts = []
    for n in (5, 50):
        other = CourseGroupFactory(program=group.program, track=group.track, volunteer=group.volunteer,
                                   name=f"G{n}", capacity=60)
        ids = sized(other, n)
        client.force_login(volunteer_user)
        with CaptureQueriesContext(connection) as lesson_q:
            client.post(reverse("courses:lesson_new", args=[other.pk]), lesson_post(other, present=ids))
        students = [e.student for e in other.enrollments.order_by("student_id")]
        data = grid_data(other, {(s, "pre"): "50" for s in students})
        with CaptureQueriesContext(connection) as grid_q:
            client.post(reverse("assessments:scores", args=[other.pk]), data)
        counts.append((len(lesson_q), len(grid_q)))
    assert counts[0] == counts[1], counts
    assert Lesson.objects.filter(date=datetime.date(2020, 6, 2)).count() == 2
