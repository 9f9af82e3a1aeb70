"""Scoring of each question type, partial and full submissions, results and conflicts."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import models as am
from assessments.models import QuizAttempt, ScoreConflict
from assessments.quiz_services import (
    Decision,
    answer_save,
    attempt_submit,
    attempts_issue_for_group,
    attempts_issue_for_quiz,
    conflict_resolve,
    parse_number,
    quiz_problems,
    score_question,
)
from assessments.services import test_result_set as score_set
from birgemiz.models import AuditEntry

from . import factories as f
from .factories import (
    QuizChoiceFactory,
    QuizFactory,
    QuizQuestionFactory,
    VolunteerFactory,
)
from .test_online_tests_support import build_quiz, open_program


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def setup(program, track, group):
    open_program(program)
    quiz, questions, choices = build_quiz(program, track)
    attempts_issue_for_group(group=group, kind="pre")
    attempts = list(QuizAttempt.objects.filter(group=group, kind="pre").select_related("student"))
    return quiz, questions, choices, attempts


def _score(question, chosen=(), number=None):
    return score_question(question, list(question.choices.all()), [c.pk for c in chosen], number)


def test_it_scores_single_choice_all_or_nothing(setup):
    _quiz, q, c, _attempts = setup
    assert _score(q["single"], [c["s_right"]]) == (Decimal("2"), True)
    assert _score(q["single"], [c["s_wrong"]]) == (Decimal("0"), False)
    assert _score(q["single"], []) == (Decimal("0"), False)
    # Two options ticked (a tampered form) never earn the points.
    assert _score(q["single"], [c["s_right"], c["s_wrong"]]) == (Decimal("0"), False)


def test_it_scores_multiple_choice_right_minus_wrong(setup):
    _quiz, q, c, _attempts = setup
    multiple = q["multiple"]
    assert _score(multiple, [c["m_a"], c["m_c"]]) == (Decimal("3"), True)
    assert _score(multiple, [c["m_a"]]) == (Decimal("1.50"), False)
    assert _score(multiple, [c["m_a"], c["m_c"], c["m_b"]]) == (Decimal("1.50"), False)
    # Ticking everything earns nothing, and a score never goes below zero.
    assert _score(multiple, [c["m_a"], c["m_b"], c["m_c"], c["m_d"]]) == (Decimal("0.00"), False)
    assert _score(multiple, [c["m_b"], c["m_d"]]) == (Decimal("0.00"), False)


def test_it_scores_numbers_within_the_tolerance(setup):
    _quiz, q, _c, _attempts = setup
    number = q["number"]
    assert _score(number, number=Decimal("36")) == (Decimal("1"), True)
    assert _score(number, number=Decimal("36.5")) == (Decimal("1"), True)
    assert _score(number, number=Decimal("35.4")) == (Decimal("0"), False)
    assert _score(number, number=None) == (Decimal("0"), False)


def test_it_reads_numbers_as_people_type_them():
    assert parse_number("3,5") == Decimal("3.5")
    assert parse_number(" 1 200 ") == Decimal("1200")
    assert parse_number("-2") == Decimal("-2")
    for bad in ("", "abc", "1e400", "NaN"):
        with pytest.raises(ValidationError):
            parse_number(bad)


def test_it_files_a_full_submission_as_an_online_result(setup):
    quiz, q, c, attempts = setup
    attempt = attempts[0]
    answer_save(attempt=attempt, question=q["single"], choice_ids=[c["s_right"].pk])
    answer_save(attempt=attempt, question=q["multiple"], choice_ids=[c["m_a"].pk, c["m_c"].pk])
    answer_save(attempt=attempt, question=q["number"], number="36,2")
    attempt = attempt_submit(attempt=attempt)
    assert (attempt.points, attempt.max_points) == (Decimal("6"), Decimal("6"))
    assert attempt.score == Decimal("100.00")
    result = am.TestResult.objects.get(student=attempt.student, track=quiz.track, kind="pre")
    assert result.score == Decimal("100.00")
    assert result.source == am.TestResult.Source.ONLINE
    assert attempt.result == result


def test_it_scores_a_partial_submission_out_of_every_question(setup):
    _quiz, q, c, attempts = setup
    attempt = attempts[0]
    answer_save(attempt=attempt, question=q["multiple"], choice_ids=[c["m_a"].pk])
    attempt = attempt_submit(attempt=attempt)
    # 1.5 of 6 points: unanswered questions count in the maximum.
    assert attempt.score == Decimal("25.00")
    assert am.TestResult.objects.get(student=attempt.student, kind="pre").score == Decimal("25.00")


def test_it_submits_once(setup):
    _quiz, q, c, attempts = setup
    attempt = attempts[0]
    answer_save(attempt=attempt, question=q["single"], choice_ids=[c["s_right"].pk])
    first = attempt_submit(attempt=attempt)
    again = attempt_submit(attempt=attempt)
    assert again.submitted_at == first.submitted_at and again.score == first.score
    with pytest.raises(ValidationError) as exc:
        answer_save(attempt=attempt, question=q["number"], number="36")
    assert exc.value.code == "submitted"
    assert am.TestResult.objects.filter(student=attempt.student).count() == 1


def test_it_clears_an_answer_sent_empty(setup):
    _quiz, q, c, attempts = setup
    attempt = attempts[0]
    answer_save(attempt=attempt, question=q["multiple"], choice_ids=[c["m_a"].pk])
    answer_save(attempt=attempt, question=q["multiple"], choice_ids=[])
    assert attempt.answers.count() == 0


def test_it_refuses_options_of_another_question(setup):
    _quiz, q, c, attempts = setup
    with pytest.raises(ValidationError):
        answer_save(attempt=attempts[0], question=q["single"], choice_ids=[c["m_a"].pk])
    with pytest.raises(ValidationError):
        answer_save(attempt=attempts[0], question=q["single"], choice_ids=["x"])


def test_it_records_a_conflict_instead_of_overwriting_a_typed_score(setup):
    quiz, q, c, attempts = setup
    attempt = attempts[0]
    typed = f.TestResultFactory(student=attempt.student, track=quiz.track, kind="pre", score=Decimal("40"))
    answer_save(attempt=attempt, question=q["single"], choice_ids=[c["s_right"].pk])
    attempt = attempt_submit(attempt=attempt)
    typed.refresh_from_db()
    assert typed.score == Decimal("40") and typed.source == am.TestResult.Source.TYPED
    conflict = ScoreConflict.objects.get(attempt=attempt)
    assert (conflict.typed_score, conflict.online_score, conflict.status) == (
        Decimal("40.00"), Decimal("33.33"), ScoreConflict.Status.OPEN
    )


def test_it_needs_no_conflict_when_the_typed_score_agrees(setup):
    quiz, q, c, attempts = setup
    attempt = attempts[0]
    f.TestResultFactory(student=attempt.student, track=quiz.track, kind="pre", score=Decimal("100"))
    for name, kwargs in (
        ("single", {"choice_ids": [c["s_right"].pk]}),
        ("multiple", {"choice_ids": [c["m_a"].pk, c["m_c"].pk]}),
        ("number", {"number": "36"}),
    ):
        answer_save(attempt=attempt, question=q[name], **kwargs)
    attempt_submit(attempt=attempt)
    assert not ScoreConflict.objects.exists()


def test_it_resolves_a_conflict_by_taking_the_online_score(setup, coordinator):
    quiz, q, c, attempts = setup
    attempt = attempts[0]
    typed = f.TestResultFactory(student=attempt.student, track=quiz.track, kind="pre", score=Decimal("40"))
    answer_save(attempt=attempt, question=q["single"], choice_ids=[c["s_right"].pk])
    attempt_submit(attempt=attempt)
    conflict = ScoreConflict.objects.get()
    conflict_resolve(conflict=conflict, decision=Decision.TAKE_ONLINE, user=coordinator)
    typed.refresh_from_db()
    conflict.refresh_from_db()
    assert typed.score == Decimal("33.33") and typed.source == am.TestResult.Source.ONLINE
    assert conflict.status == ScoreConflict.Status.TOOK_ONLINE and conflict.resolved_by == coordinator
    assert AuditEntry.objects.filter(model="assessments.scoreconflict", action="update").exists()
    with pytest.raises(ValidationError):
        conflict_resolve(conflict=conflict, decision=Decision.KEEP_TYPED, user=coordinator)


def test_it_resolves_a_conflict_by_keeping_the_typed_score(setup, coordinator):
    quiz, q, c, attempts = setup
    attempt = attempts[0]
    typed = f.TestResultFactory(student=attempt.student, track=quiz.track, kind="pre", score=Decimal("40"))
    attempt_submit(attempt=attempt)
    conflict_resolve(conflict=ScoreConflict.objects.get(), decision=Decision.KEEP_TYPED, user=coordinator)
    typed.refresh_from_db()
    assert typed.score == Decimal("40") and typed.source == am.TestResult.Source.TYPED
    assert ScoreConflict.objects.get().status == ScoreConflict.Status.KEPT_TYPED


def _online_first(setup):
    """A student's online pre-test filed first (33.33 %)."""
    quiz, q, c, attempts = setup
    attempt = attempts[0]
    answer_save(attempt=attempt, question=q["single"], choice_ids=[c["s_right"].pk])
    attempt = attempt_submit(attempt=attempt)
    return quiz, attempt, am.TestResult.objects.get(student=attempt.student, kind="pre")


def test_a_score_typed_over_an_online_one_becomes_a_conflict(setup, client, volunteer_user, group):
    """Typing 65 over a student's online 50 replaced it silently; now it waits for the coordinator."""
    quiz, attempt, online = _online_first(setup)
    client.force_login(volunteer_user)
    data = {f"pre_{attempt.student_id}": "65", f"pre_{attempt.student_id}_shown": "33.33"}
    response = client.post(reverse("assessments:scores", args=[group.pk]), data, follow=True)
    assert response.status_code == 200
    online.refresh_from_db()
    assert (online.score, online.source) == (Decimal("33.33"), am.TestResult.Source.ONLINE)
    conflict = ScoreConflict.objects.get(attempt=attempt)
    assert (conflict.typed_score, conflict.online_score, conflict.status) == (
        Decimal("65"), Decimal("33.33"), ScoreConflict.Status.OPEN
    )
    assert "65" in response.content.decode() and "33" in response.content.decode()


def test_a_grid_saved_after_an_online_test_keeps_the_online_score(setup, client, volunteer_user, group):
    """A grid opened before the student submitted used to delete the online score on save."""
    opened = {}
    for e in group.enrollments.all():
        for kind in ("pre", "post"):
            opened[f"{kind}_{e.student_id}"] = opened[f"{kind}_{e.student_id}_shown"] = ""
    quiz, attempt, online = _online_first(setup)
    client.force_login(volunteer_user)
    assert client.post(reverse("assessments:scores", args=[group.pk]), opened).status_code == 302
    online.refresh_from_db()
    assert online.score == Decimal("33.33")


def test_an_imported_score_over_an_online_one_becomes_a_conflict_too(setup):
    quiz, attempt, online = _online_first(setup)
    result = score_set(
        student=attempt.student, track=quiz.track, kind="pre", score=Decimal("70"),
        source=am.TestResult.Source.IMPORT,
    )
    assert result.pk == online.pk and result.score == Decimal("33.33")
    assert ScoreConflict.objects.get(attempt=attempt).typed_score == Decimal("70")


def test_keeping_the_typed_score_of_a_later_typing_writes_it(setup, coordinator):
    quiz, attempt, online = _online_first(setup)
    score_set(student=attempt.student, track=quiz.track, kind="pre", score=Decimal("65"))
    conflict_resolve(conflict=ScoreConflict.objects.get(), decision=Decision.KEEP_TYPED, user=coordinator)
    online.refresh_from_db()
    assert (online.score, online.source) == (Decimal("65"), am.TestResult.Source.TYPED)


def test_a_typed_score_equal_to_the_online_one_needs_no_conflict(setup):
    quiz, attempt, online = _online_first(setup)
    score_set(student=attempt.student, track=quiz.track, kind="pre", score=Decimal("33.33"))
    assert not ScoreConflict.objects.exists()


def test_it_issues_one_link_per_student_and_kind(setup, group):
    _quiz, _q, _c, attempts = setup
    assert len(attempts) == 3
    assert len({a.token for a in attempts}) == 3
    assert all(len(a.token) >= 20 and a.student.code not in a.token for a in attempts)
    assert attempts_issue_for_group(group=group, kind="pre") == 0
    assert attempts_issue_for_group(group=group, kind="post") == 3


def test_it_refuses_links_for_a_test_that_is_not_ready(program, track, group):
    open_program(program)
    quiz = QuizFactory(program=program, track=track)
    question = QuizQuestionFactory(quiz=quiz, kind="single")
    QuizChoiceFactory(question=question)
    QuizChoiceFactory(question=question)
    assert quiz_problems(quiz)
    with pytest.raises(ValidationError):
        attempts_issue_for_group(group=group, kind="pre")
    assert not QuizAttempt.objects.exists()


def test_it_refuses_a_post_test_link_from_a_pre_test_only_form(program, track, group):
    open_program(program)
    build_quiz(program, track, use="pre")
    with pytest.raises(ValidationError):
        attempts_issue_for_group(group=group, kind="post")


def test_it_runs_volunteer_training_tests_through_the_same_machinery(program, track):
    open_program(program)
    quiz, q, c = build_quiz(program, None, audience="volunteers")
    volunteers = VolunteerFactory.create_batch(2, program=program, track=track)
    VolunteerFactory(program=program, track=track, status="withdrawn")
    assert attempts_issue_for_quiz(quiz=quiz, kind="pre") == 2
    attempt = QuizAttempt.objects.get(volunteer=volunteers[0], kind="pre")
    answer_save(attempt=attempt, question=q["number"], number="36")
    attempt = attempt_submit(attempt=attempt)
    result = am.TestResult.objects.get(volunteer=volunteers[0], kind="pre")
    assert result.score == attempt.score == Decimal("16.67")
    assert result.student is None and result.source == am.TestResult.Source.ONLINE
