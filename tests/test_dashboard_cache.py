"""The dashboard keeps the scans over every test result per programme, under a version
of its scores and enrollments: unchanged programmes are not scanned again, and any
change to a score, an enrollment or a result is seen at once."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services as scores
from reporting.dashboard import selectors

from .test_dashboard import make_program, rows_by_code


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def growth_of(officer, code):
    return rows_by_code(officer)[code].tracks[0]


def test_it_sees_a_changed_score_at_once(officer):
    program = make_program("a-2020", students=2, pre=40, post=70)
    assert growth_of(officer, "a-2020").post == 70
    student = program.students.order_by("pk").first()
    scores.test_result_set(student=student, track=program.tracks.get(), kind="post", score=Decimal("90"))
    assert growth_of(officer, "a-2020").post == 80


def test_it_sees_a_deleted_score_at_once(officer):
    program = make_program("a-2020", students=2, pre=40, post=70)
    assert growth_of(officer, "a-2020").measured == 2
    student = program.students.order_by("pk").first()
    scores.test_result_clear(student=student, track=program.tracks.get(), kind="post")
    assert growth_of(officer, "a-2020").measured == 1


def test_it_sees_a_dropped_student_at_once(officer):
    program = make_program("a-2020", students=2, pre=40, post=70)
    assert growth_of(officer, "a-2020").measured == 2
    enrollment = program.groups.get().enrollments.order_by("pk").first()
    enrollment.status = "dropped"
    enrollment.save()
    assert growth_of(officer, "a-2020").measured == 1


def test_it_does_not_scan_the_scores_again_when_nothing_changed(officer):
    make_program("a-2020", students=2)
    make_program("b-2020", students=3)
    with CaptureQueriesContext(connection) as cold:
        selectors.program_rows(officer)
    with CaptureQueriesContext(connection) as warm:
        selectors.program_rows(officer)
    scans = [q["sql"] for q in cold.captured_queries if "MAX(CASE WHEN" in q["sql"]]
    assert len(scans) == 1
    assert not [q for q in warm.captured_queries if "MAX(CASE WHEN" in q["sql"]]
    assert len(warm.captured_queries) < len(cold.captured_queries)
