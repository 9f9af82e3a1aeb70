"""The database itself refuses rows that break the domain's invariants, whatever the
write path (a bulk import or a raw ORM call skips model validation)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assessments.models import TestResult as Result
from courses.models import Lesson, Student
from volunteers.models import ApplicationScore

from .factories import (
    ActivityFactory,
    CouncilMemberFactory,
    CourseGroupFactory,
    LessonFactory,
    ProgramFactory,
    SelectionCriterionFactory,
    StudentFactory,
    TrackFactory,
    VolunteerApplicationFactory,
)
from .factories import (
    TestResultFactory as ResultFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused(constraint, write, unique=False):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        write()
    message = str(excinfo.value)
    # PostgreSQL names every constraint; SQLite names CHECKs but lists columns for UNIQUE.
    assert constraint in message or (unique and "UNIQUE constraint failed" in message), message


@pytest.mark.parametrize("grade", [7, 12])
def test_it_refuses_a_grade_outside_8_to_11(grade):
    student = StudentFactory()
    assert_refused(
        "courses_student_grade_8_11", lambda: Student.objects.filter(pk=student.pk).update(grade=grade)
    )


@pytest.mark.parametrize("grade", [8, 11])
def test_it_accepts_grades_8_and_11(grade):
    student = StudentFactory()
    Student.objects.filter(pk=student.pk).update(grade=grade)
    student.refresh_from_db()
    assert student.grade == grade


@pytest.mark.parametrize("score", [Decimal("-1"), Decimal("100.5")])
def test_it_refuses_a_score_outside_0_to_100(score):
    result = ResultFactory()
    assert_refused(
        "assessments_score_0_100", lambda: Result.objects.filter(pk=result.pk).update(score=score)
    )


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("0.4"), Decimal("8.5")])
def test_it_refuses_lesson_hours_outside_half_to_8(hours):
    lesson = LessonFactory()
    assert_refused(
        "courses_lesson_hours_0_5_to_8", lambda: Lesson.objects.filter(pk=lesson.pk).update(hours=hours)
    )


def test_it_refuses_a_programme_ending_before_it_starts():
    program = ProgramFactory()
    assert_refused(
        "birgemiz_program_end_after_start",
        lambda: type(program).objects.filter(pk=program.pk).update(end=datetime.date(2019, 1, 1)),
    )


def test_it_refuses_an_activity_ending_before_it_starts():
    activity = ActivityFactory(start=datetime.date(2020, 5, 1), end=datetime.date(2020, 5, 2))
    assert_refused(
        "birgemiz_activity_end_after_start",
        lambda: type(activity).objects.filter(pk=activity.pk).update(end=datetime.date(2020, 4, 1)),
    )


@pytest.mark.parametrize("kind", ["pre", "post"])
def test_it_refuses_a_second_test_of_the_same_kind_per_student_and_track(kind):
    first = ResultFactory(kind=kind)
    assert_refused(
        "assessments_one_result_per_student_track_kind",
        lambda: Result.objects.create(
            program=first.program, track=first.track, student=first.student, kind=kind, score=Decimal("60")
        ),
        unique=True,
    )


def test_it_accepts_one_pre_and_one_post_test_per_student_and_track():
    pre = ResultFactory(kind="pre")
    Result.objects.create(
        program=pre.program, track=pre.track, student=pre.student, kind="post", score=Decimal("80")
    )
    other_track = TrackFactory(program=pre.program)
    Result.objects.create(
        program=pre.program, track=other_track, student=pre.student, kind="pre", score=Decimal("40")
    )
    assert Result.objects.filter(student=pre.student).count() == 3


def test_it_refuses_an_application_without_consent():
    application = VolunteerApplicationFactory()
    assert_refused(
        "volunteers_application_has_consent",
        lambda: type(application).objects.filter(pk=application.pk).update(consent=False),
    )


@pytest.mark.parametrize("score", [0, 6])
def test_it_refuses_a_council_score_outside_1_to_5(score):
    application = VolunteerApplicationFactory()
    member = CouncilMemberFactory(program=application.program)
    criterion = SelectionCriterionFactory(program=application.program)
    assert_refused(
        "volunteers_score_1_5",
        lambda: ApplicationScore.objects.create(
            application=application, member=member, criterion=criterion, score=score
        ),
    )


def test_it_refuses_a_rejected_lesson_without_a_reason():
    lesson = LessonFactory()
    assert_refused(
        "courses_lesson_rejection_has_reason",
        lambda: Lesson.objects.filter(pk=lesson.pk).update(status="rejected", reject_reason=""),
    )


def test_it_refuses_a_group_of_no_capacity():
    group = CourseGroupFactory()
    assert_refused(
        "courses_group_capacity_positive",
        lambda: type(group).objects.filter(pk=group.pk).update(capacity=0),
    )
