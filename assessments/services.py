"""The one write path for test results."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz.audit import batched, record_bulk, snapshot
from birgemiz.numbers import read_decimal
from birgemiz.services import clean_and_save

from .models import QuizAttempt, ScoreConflict, TestResult


def parse_score(raw):
    """A score typed by a person: '75', '75.5', '75,5' or '75 %' -> Decimal in 0..100."""
    value = read_decimal(raw, percent=True)
    if value is None:
        raise ValidationError(_("Enter a number from 0 to 100."), code="score_format")
    if value < 0 or value > 100:
        raise ValidationError(_("A score is from 0 to 100."), code="score_range")
    return value.quantize(Decimal("0.01"))


def score_conflict_open(*, attempt, result, typed_score, online_score):
    """A typed (or imported) score and an online test's score disagree: the result keeps
    its score and the conflict waits for the coordinator («Conflicts with typed scores»).
    One conflict per attempt: a later disagreement reopens it with the latest typed score."""
    conflict = ScoreConflict.objects.select_for_update(of=("self",)).filter(attempt=attempt).first()
    if conflict is None:
        conflict = ScoreConflict(program_id=attempt.program_id, attempt=attempt)
    conflict.result = result
    conflict.typed_score = typed_score
    conflict.online_score = online_score
    conflict.status = ScoreConflict.Status.OPEN
    conflict.resolved_by = None
    conflict.resolved_at = None
    return clean_and_save(conflict)


def _online_attempt(result):
    return (
        QuizAttempt.objects.filter(result=result, submitted_at__isnull=False)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def test_result_set(
    *,
    student,
    track,
    kind,
    score,
    user=None,
    taken_on=None,
    source=TestResult.Source.TYPED,
    over_online=False,
):
    """Create or change a student's pre/post score for a track (one of each).

    A typed or imported score that differs from the score of an online test already
    filed is not written: a `ScoreConflict` records it (`result.conflict_opened` is set)
    and the coordinator decides; `over_online=True` is that decision."""
    with transaction.atomic():
        result = (
            TestResult.objects.select_for_update(of=("self",))
            .filter(student=student, track=track, kind=kind)
            .order_by("pk")
            .first()
        )
        if result is None:
            result = TestResult(program_id=student.program_id, student=student, track=track, kind=kind)
        elif result.score == Decimal(score) and (taken_on is None or result.taken_on == taken_on):
            return result
        elif (
            result.source == TestResult.Source.ONLINE
            and source != TestResult.Source.ONLINE
            and not over_online
            and result.score != Decimal(score)
        ):
            attempt = _online_attempt(result)
            if attempt is not None:
                result.conflict_opened = score_conflict_open(
                    attempt=attempt, result=result, typed_score=score, online_score=result.score
                )
                return result
        result.score = score
        result.source = source
        result.entered_by = user
        if taken_on is not None:
            result.taken_on = taken_on
        return clean_and_save(result)


def test_result_clear(*, student, track, kind):
    # One delete() per row so the audit trail records each removed score.
    with transaction.atomic():
        for result in TestResult.objects.filter(student=student, track=track, kind=kind):
            result.delete()


@dataclass
class GridChange:
    """One cell the person changed: the value the form showed (`shown`) and the new one
    (`new`; None to delete the score)."""

    student: object
    kind: str
    shown: Decimal | None
    new: Decimal | None


@dataclass
class GridOutcome:
    changed: int = 0
    # (change, the value stored now) for cells someone else changed meanwhile: not written.
    stale: list = field(default_factory=list)
    # (change, ScoreConflict) for typed scores that differ from an online test's.
    online_conflicts: list = field(default_factory=list)


def test_results_grid_save(*, track, changes, user=None):
    """Write the cells of a score grid that the person changed, in one transaction and a
    fixed number of queries however many cells changed (new scores in one insert,
    changed ones in one update, cleared ones in one delete, each with its audit entries
    in one insert).

    Only the cells in `changes` are touched (a cell the form did not show, or showed and
    got back unchanged, is not there). A cell whose stored value is no longer the one
    the form showed — a coordinator, an import or an online test wrote it meanwhile — is
    never overwritten: it comes back in `stale`, with the value stored now. A typed
    score that differs from an online test's opens a conflict (one per such cell) and
    leaves the online score in place."""
    outcome = GridOutcome()
    if not changes:
        return outcome
    students = {change.student.pk for change in changes}
    with transaction.atomic():
        current = {
            (r.student_id, r.kind): r
            for r in TestResult.objects.select_for_update(of=("self",))
            .filter(student_id__in=students, track=track)
            .order_by("pk")
        }
        created, updated, before, removed = [], [], [], []
        online = []
        for change in changes:
            result = current.get((change.student.pk, change.kind))
            stored = result.score if result is not None else None
            if result is not None:
                result.student = change.student  # labels the audit entry without a query
            if stored != change.shown:
                outcome.stale.append((change, stored))
            elif change.new is None:
                removed.append(result)
            elif result is None:
                created.append(
                    TestResult(
                        program_id=change.student.program_id,
                        student=change.student,
                        track=track,
                        kind=change.kind,
                        score=change.new,
                        source=TestResult.Source.TYPED,
                        entered_by=user,
                    )
                )
            elif result.source == TestResult.Source.ONLINE:
                online.append((change, result))
            else:
                before.append(snapshot(result))
                result.score = change.new
                result.source = TestResult.Source.TYPED
                result.entered_by = user
                updated.append(result)
        _grid_online(online, outcome, updated, before, user)
        for result in created + updated:
            # The rows, the track and the user were just read: only the values need checking.
            result.full_clean(
                exclude=["program", "track", "student", "volunteer", "entered_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        _grid_write(track, created, updated, before, removed)
        outcome.changed += len(created) + len(updated) + len(removed)
    return outcome


def _grid_online(online, outcome, updated, before, user):
    """Cells over an online test's score: a conflict where a submitted attempt gave it,
    else an ordinary change."""
    if not online:
        return
    attempts = {}
    for attempt in (
        QuizAttempt.objects.filter(result__in=[r for _c, r in online], submitted_at__isnull=False)
        .order_by("result_id", "-submitted_at", "-pk")
    ):
        attempts.setdefault(attempt.result_id, attempt)
    for change, result in online:
        attempt = attempts.get(result.pk)
        if attempt is not None:
            conflict = score_conflict_open(
                attempt=attempt, result=result, typed_score=change.new, online_score=result.score
            )
            outcome.online_conflicts.append((change, conflict))
            continue
        before.append(snapshot(result))
        result.score = change.new
        result.source = TestResult.Source.TYPED
        result.entered_by = user
        updated.append(result)


def _grid_write(track, created, updated, before, removed):
    program_id = track.program_id
    if created:
        TestResult.objects.bulk_create(created, batch_size=500)
        record_bulk(
            TestResult,
            program_id,
            "create",
            created,
            changes=[{k: [None, v] for k, v in snapshot(r).items() if v not in (None, "")} for r in created],
        )
    if updated:
        now = timezone.now()
        for result in updated:
            result.updated_at = now
        TestResult.objects.bulk_update(
            updated, ["score", "source", "entered_by", "updated_at"], batch_size=500
        )
        changes = []
        for old, result in zip(before, updated, strict=True):
            new = snapshot(result)
            changes.append({k: [old.get(k), v] for k, v in new.items() if old.get(k) != v})
        record_bulk(TestResult, program_id, "update", updated, changes=changes)
    if removed:
        # One delete for every cleared cell; the signals' audit entries go in one insert.
        with batched():
            TestResult.objects.filter(pk__in=[r.pk for r in removed]).delete()
