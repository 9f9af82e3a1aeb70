"""The write path of online tests: issuing personal links, saving answers, scoring,
submitting into `TestResult` and resolving conflicts with typed scores.

Rules decided here (and documented in the README of the feature, `assessments/ONLINE_TESTS.md`):

- Links: one attempt per student, track and kind (pre/post), issued for a course group by
  its volunteer or by a coordinator for every group of the test's track at once; for
  volunteer training, by a coordinator for every volunteer of the programme (of the
  test's track when it has one). The token is `secrets.token_urlsafe`, never the IIN.
  A link works until the programme's last day (Asia/Almaty) and only while the test is
  open.
- Scoring: single choice earns all points when the one chosen option is correct; multiple
  choice earns points × (right options ticked − wrong options ticked) / right options,
  never below zero ("right minus wrong", so ticking everything earns nothing); a numeric
  answer earns all points when it is within the question's tolerance of the correct
  number. Percent = points / maximum points × 100, rounded to 0.01.
- A submitted online score goes to `TestResult` through `test_result_set(source=ONLINE)`,
  unless a person already typed (or imported) a different score for the same student,
  track and kind: then nothing is overwritten and a `ScoreConflict` waits for the
  coordinator, who keeps the typed score or takes the online one. The same holds the
  other way round: a score typed or imported over a different online score is not
  written but opens the conflict (`services.test_result_set`), whichever came first.
"""

import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz.numbers import read_decimal
from birgemiz.services import clean_and_save
from courses.models import Enrollment
from volunteers.models import Volunteer

from .models import (
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizQuestion,
    ScoreConflict,
    TestKind,
    TestResult,
)
from .services import score_conflict_open, test_result_set

CENT = Decimal("0.01")


# ------------------------------------------------------------------ the test bank


def quiz_problems(quiz):
    """What stops the test from being given: a list of messages, empty when it is ready."""
    problems = []
    questions = list(quiz.questions.prefetch_related("choices"))
    if not questions:
        problems.append(_("The test has no questions."))
    for question in questions:
        choices = list(question.choices.all())
        right = sum(1 for c in choices if c.is_correct)
        label = _("Question %(order)s") % {"order": question.order}
        if question.kind == QuizQuestion.Kind.NUMBER:
            if question.answer_number is None:
                problems.append(_("%(q)s: no correct number.") % {"q": label})
            continue
        if len(choices) < 2:
            problems.append(_("%(q)s: fewer than two options.") % {"q": label})
        if question.kind == QuizQuestion.Kind.SINGLE and right != 1:
            problems.append(
                _("%(q)s: a single-choice question needs exactly one correct option.") % {"q": label}
            )
        if question.kind == QuizQuestion.Kind.MULTIPLE and right < 1:
            problems.append(_("%(q)s: no correct option.") % {"q": label})
    return problems


def quiz_pick(*, program, track, subject, kind):
    """The open students' test a group of `track` / `subject` takes as `kind`: a test of the
    group's subject first, then one of the whole track; the oldest when there are several."""
    quizzes = Quiz.objects.filter(
        program=program,
        audience=Quiz.Audience.STUDENTS,
        track=track,
        is_open=True,
        use__in=[kind, Quiz.Use.BOTH],
    )
    if subject is not None:
        quizzes = quizzes.filter(Q(subject=subject) | Q(subject__isnull=True))
    else:
        quizzes = quizzes.filter(subject__isnull=True)
    candidates = sorted(quizzes, key=lambda q: (q.subject_id is None, q.pk))
    return candidates[0] if candidates else None


# ------------------------------------------------------------------ issuing links


def new_token():
    # 128 random bits: unguessable, and short enough to share in a WhatsApp message.
    return secrets.token_urlsafe(16)


def issue_window_check(program, today=None):
    """Links work until the programme's last day: issuing after it would hand out links
    that are expired already, so it is refused with the date."""
    today = today or timezone.localdate()
    if today > program.end:
        raise ValidationError(
            _(
                "The programme ended on %(end)s, so a link issued now would already be expired. "
                "If the tests are still to be taken, extend the programme's end date first."
            )
            % {"end": program.end.strftime("%d.%m.%Y")},
            code="window_closed",
        )


def _check_quiz_ready(quiz, kind):
    issue_window_check(quiz.program)
    if not quiz.serves(kind):
        raise ValidationError(_("This test is not used as a %(kind)s.") % {"kind": TestKind(kind).label})
    if not quiz.is_open:
        raise ValidationError(_("This test is closed."))
    problems = quiz_problems(quiz)
    if problems:
        raise ValidationError(problems)


def _attempt_create(*, quiz, kind, user, student=None, volunteer=None, group=None):
    attempt = QuizAttempt(
        program_id=quiz.program_id,
        quiz=quiz,
        kind=kind,
        track_id=quiz.track_id,
        student=student,
        volunteer=volunteer,
        group=group,
        token=new_token(),
        issued_by=user,
    )
    return clean_and_save(attempt)


def _group_quiz(group, kind, quiz):
    if quiz is None:
        quiz = quiz_pick(program=group.program, track=group.track, subject=group.subject, kind=kind)
    if quiz is None:
        raise ValidationError(_("There is no open test for this group's track."))
    if quiz.track_id != group.track_id or quiz.program_id != group.program_id:
        raise ValidationError(_("The test belongs to another track."))
    _check_quiz_ready(quiz, kind)
    return quiz


def attempt_issue_for_student(*, group, student, kind, user=None, quiz=None):
    """One student's personal link (a student who joined late, or was missed). Returns
    the link, or the one the student already has for the track."""
    enrolled = (
        Enrollment.objects.filter(group=group, student=student)
        .exclude(status=Enrollment.Status.DROPPED)
        .exists()
    )
    if not enrolled:
        raise ValidationError(_("The student is not in this group."))
    quiz = _group_quiz(group, kind, quiz)
    with transaction.atomic():
        have = QuizAttempt.objects.filter(student=student, track=group.track, kind=kind).first()
        if have is not None:
            return have
        return _attempt_create(quiz=quiz, kind=kind, user=user, student=student, group=group)


def attempts_issue_for_group(*, group, kind, user=None, quiz=None):
    """Personal links of `kind` for every student of the group who has none yet for the
    group's track. Returns the number of new links."""
    if quiz is None:
        quiz = quiz_pick(program=group.program, track=group.track, subject=group.subject, kind=kind)
    if quiz is None:
        raise ValidationError(_("There is no open test for this group's track."))
    if quiz.track_id != group.track_id or quiz.program_id != group.program_id:
        raise ValidationError(_("The test belongs to another track."))
    _check_quiz_ready(quiz, kind)
    with transaction.atomic():
        enrollments = (
            Enrollment.objects.filter(group=group)
            .exclude(status=Enrollment.Status.DROPPED)
            .select_related("student")
        )
        have = set(
            QuizAttempt.objects.filter(
                student__in=[e.student_id for e in enrollments], track=group.track, kind=kind
            ).values_list("student_id", flat=True)
        )
        created = 0
        for enrollment in enrollments:
            if enrollment.student_id in have:
                continue
            _attempt_create(quiz=quiz, kind=kind, user=user, student=enrollment.student, group=group)
            have.add(enrollment.student_id)
            created += 1
    return created


def attempts_issue_for_quiz(*, quiz, kind, user=None, group=None):
    """A coordinator's "issue links to everyone": every group of the test's track (and
    subject), or every volunteer for a training test; with `group`, that group only.
    Returns the number of new links."""
    _check_quiz_ready(quiz, kind)
    if group is not None:
        return attempts_issue_for_group(group=group, kind=kind, user=user, quiz=quiz)
    created = 0
    with transaction.atomic():
        if quiz.audience == Quiz.Audience.VOLUNTEERS:
            volunteers = Volunteer.objects.filter(program_id=quiz.program_id).exclude(
                status=Volunteer.Status.WITHDRAWN
            )
            if quiz.track_id:
                volunteers = volunteers.filter(track_id=quiz.track_id)
            have = set(
                QuizAttempt.objects.filter(volunteer__in=volunteers, kind=kind).values_list(
                    "volunteer_id", flat=True
                )
            )
            for volunteer in volunteers:
                if volunteer.pk not in have:
                    _attempt_create(quiz=quiz, kind=kind, user=user, volunteer=volunteer)
                    created += 1
            return created
        groups = quiz.track.groups.select_related("program", "track", "subject")
        if quiz.subject_id:
            groups = groups.filter(subject_id=quiz.subject_id)
        for group in groups:
            created += attempts_issue_for_group(group=group, kind=kind, user=user, quiz=quiz)
    return created


# ------------------------------------------------------------------ taking a test


def attempt_is_expired(attempt, today=None):
    today = today or timezone.localdate()
    return today > attempt.program.end


def parse_number(raw):
    """A number typed on a phone: '12', '-3.5', '3,5', '1 200' -> Decimal."""
    value = read_decimal(raw)
    if value is None or abs(value) >= Decimal("1e10"):
        raise ValidationError(_("Enter a number, for example 12 or 3,5."), code="number_format")
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _check_open(attempt):
    if attempt.is_submitted:
        raise ValidationError(_("This test has already been submitted."), code="submitted")
    if attempt_is_expired(attempt):
        raise ValidationError(_("This link has expired."), code="expired")
    if not attempt.quiz.is_open:
        raise ValidationError(_("This test is closed."), code="closed")


def answer_save(*, attempt, question, choice_ids=(), number=""):
    """Save (or clear, when empty) one answer at once, so a reload or a dropped
    connection loses nothing. `number` is the text the person typed."""
    if question.quiz_id != attempt.quiz_id:
        raise ValidationError(_("This question belongs to another test."), code="foreign")
    chosen = []
    value = None
    if question.kind == QuizQuestion.Kind.NUMBER:
        if str(number or "").strip():
            value = parse_number(number)
    else:
        try:
            wanted = {int(c) for c in choice_ids}
        except (TypeError, ValueError):
            raise ValidationError(_("Choose from the options given."), code="choice") from None
        chosen = [c for c in question.choices.all() if c.pk in wanted]
        if len(chosen) != len(wanted):
            raise ValidationError(_("Choose from the options given."), code="choice")
        if question.kind == QuizQuestion.Kind.SINGLE and len(chosen) > 1:
            raise ValidationError(_("Choose one option."), code="one_choice")
    with transaction.atomic():
        attempt = (
            QuizAttempt.objects.select_for_update(of=("self",))
            .select_related("quiz", "program")
            .get(pk=attempt.pk)
        )
        _check_open(attempt)
        if attempt.started_at is None:
            attempt.started_at = timezone.now()
            attempt.save(update_fields=["started_at", "updated_at"])
        if value is None and not chosen:
            QuizAnswer.objects.filter(attempt=attempt, question=question).delete()
            return None
        answer, _created = QuizAnswer.objects.get_or_create(attempt=attempt, question=question)
        answer.number = value
        clean_and_save(answer)
        if question.kind != QuizQuestion.Kind.NUMBER:
            answer.choices.set(chosen)
        return answer


def score_question(question, choices, chosen_ids, number):
    """(points earned as Decimal, fully correct) for one answer; `choices` are the
    question's options, `chosen_ids` the ids picked, `number` the typed Decimal or None."""
    full = Decimal(question.points)
    if question.kind == QuizQuestion.Kind.NUMBER:
        if number is None or question.answer_number is None:
            return Decimal("0"), False
        ok = abs(number - question.answer_number) <= question.tolerance
        return (full if ok else Decimal("0")), ok
    right_ids = {c.pk for c in choices if c.is_correct}
    chosen_ids = set(chosen_ids)
    if question.kind == QuizQuestion.Kind.SINGLE:
        ok = len(chosen_ids) == 1 and chosen_ids <= right_ids
        return (full if ok else Decimal("0")), ok
    if not right_ids:
        return Decimal("0"), False
    hits = len(chosen_ids & right_ids)
    misses = len(chosen_ids - right_ids)
    share = Decimal(max(0, hits - misses)) / Decimal(len(right_ids))
    return (full * share).quantize(CENT, rounding=ROUND_HALF_UP), hits == len(right_ids) and misses == 0


def percent(points, max_points):
    if not max_points:
        return Decimal("0.00")
    return (Decimal(points) * 100 / Decimal(max_points)).quantize(CENT, rounding=ROUND_HALF_UP)


def _volunteer_result_set(*, volunteer, track, kind, score, taken_on):
    # `test_result_set` covers students; volunteers have one result per kind.
    result = (
        TestResult.objects.select_for_update(of=("self",))
        .filter(volunteer=volunteer, kind=kind)
        .order_by("pk")
        .first()
    )
    if result is None:
        result = TestResult(program_id=volunteer.program_id, volunteer=volunteer, kind=kind, track=track)
    result.score = score
    result.source = TestResult.Source.ONLINE
    result.taken_on = taken_on
    result.entered_by = None
    return clean_and_save(result)


def attempt_submit(*, attempt):
    """Score every question (unanswered ones earn nothing) and file the result. A second
    submit changes nothing and returns the attempt as it was."""
    with transaction.atomic():
        attempt = (
            QuizAttempt.objects.select_for_update(of=("self",))
            .select_related("quiz", "program", "student", "volunteer", "track")
            .get(pk=attempt.pk)
        )
        if attempt.is_submitted:
            return attempt
        _check_open(attempt)
        questions = list(attempt.quiz.questions.prefetch_related("choices"))
        answers = {a.question_id: a for a in attempt.answers.prefetch_related("choices")}
        total = Decimal("0")
        max_points = Decimal("0")
        for question in questions:
            max_points += question.points
            answer = answers.get(question.pk)
            if answer is None:
                continue
            points, ok = score_question(
                question, list(question.choices.all()), [c.pk for c in answer.choices.all()], answer.number
            )
            answer.points = points
            answer.is_correct = ok
            answer.save(update_fields=["points", "is_correct", "answered_at"])
            total += points
        score = percent(total, max_points)
        attempt.points = total
        attempt.max_points = max_points
        attempt.score = score
        attempt.submitted_at = timezone.now()
        if attempt.started_at is None:
            attempt.started_at = attempt.submitted_at
        attempt.result = _file_result(attempt, score)
        clean_and_save(attempt)
        return attempt


def _file_result(attempt, score):
    today = timezone.localdate()
    if attempt.student_id:
        existing = (
            TestResult.objects.select_for_update(of=("self",))
            .filter(student=attempt.student, track=attempt.track, kind=attempt.kind)
            .order_by("pk")
            .first()
        )
    else:
        existing = (
            TestResult.objects.select_for_update(of=("self",))
            .filter(volunteer=attempt.volunteer, kind=attempt.kind)
            .order_by("pk")
            .first()
        )
    if existing is not None and existing.source != TestResult.Source.ONLINE:
        if existing.score != score:
            # A person typed a different score: never overwrite it silently.
            score_conflict_open(
                attempt=attempt, result=existing, typed_score=existing.score, online_score=score
            )
        return existing
    if attempt.student_id:
        return test_result_set(
            student=attempt.student,
            track=attempt.track,
            kind=attempt.kind,
            score=score,
            taken_on=today,
            source=TestResult.Source.ONLINE,
        )
    return _volunteer_result_set(
        volunteer=attempt.volunteer, track=attempt.track, kind=attempt.kind, score=score, taken_on=today
    )


# ------------------------------------------------------------------ conflicts


class Decision:
    KEEP_TYPED = "keep_typed"
    TAKE_ONLINE = "take_online"
    ALL = (KEEP_TYPED, TAKE_ONLINE)


def conflict_resolve(*, conflict, decision, user):
    """The coordinator's choice between a typed score and the online one (audited)."""
    if decision not in Decision.ALL:
        raise ValidationError(_("Choose which score to keep."), code="decision")
    with transaction.atomic():
        conflict = (
            ScoreConflict.objects.select_for_update(of=("self",))
            .select_related("attempt__student", "attempt__volunteer", "attempt__track", "result")
            .get(pk=conflict.pk)
        )
        if conflict.status != ScoreConflict.Status.OPEN:
            raise ValidationError(_("This conflict has already been resolved."), code="resolved")
        attempt = conflict.attempt
        if decision == Decision.TAKE_ONLINE:
            taken_on = attempt.submitted_at.astimezone(timezone.get_current_timezone()).date()
            if attempt.student_id:
                result = test_result_set(
                    student=attempt.student,
                    track=attempt.track,
                    kind=attempt.kind,
                    score=conflict.online_score,
                    taken_on=taken_on,
                    user=user,
                    source=TestResult.Source.ONLINE,
                )
            else:
                result = _volunteer_result_set(
                    volunteer=attempt.volunteer,
                    track=attempt.track,
                    kind=attempt.kind,
                    score=conflict.online_score,
                    taken_on=taken_on,
                )
            if result.pk != attempt.result_id:
                attempt.result = result
                attempt.save(update_fields=["result", "updated_at"])
            conflict.status = ScoreConflict.Status.TOOK_ONLINE
        else:
            result = conflict.result
            if result.score != conflict.typed_score and attempt.student_id:
                # The online score came first and was kept until now: the typed one replaces it.
                test_result_set(
                    student=attempt.student,
                    track=attempt.track,
                    kind=attempt.kind,
                    score=conflict.typed_score,
                    user=user,
                    source=TestResult.Source.TYPED,
                    over_online=True,
                )
            conflict.status = ScoreConflict.Status.KEPT_TYPED
        conflict.resolved_by = user
        conflict.resolved_at = timezone.now()
        return clean_and_save(conflict)
