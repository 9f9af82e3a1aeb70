"""The one write path for test results."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from birgemiz.numbers import read_decimal
from birgemiz.services import clean_and_save

from .models import TestResult


def parse_score(raw):
    """A score typed by a person: '75', '75.5', '75,5' or '75 %' -> Decimal in 0..100."""
    value = read_decimal(raw, percent=True)
    if value is None:
        raise ValidationError(_("Enter a number from 0 to 100."), code="score_format")
    if value < 0 or value > 100:
        raise ValidationError(_("A score is from 0 to 100."), code="score_range")
    return value.quantize(Decimal("0.01"))


def test_result_set(*, student, track, kind, score, user=None, taken_on=None, source=TestResult.Source.TYPED):
    """Create or change a student's pre/post score for a track (one of each)."""
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


def test_results_grid_save(*, track, scores, user=None):
    """Write a whole score grid at once: all cells or none.

    `scores` maps (student, kind) to a Decimal, or to None to clear that score. Cells
    whose value did not change are skipped, so re-sending an unchanged grid writes
    nothing (and leaves no audit entries).
    """
    students = {student.pk: student for student, _kind in scores}
    current = {
        (r.student_id, r.kind): r.score
        for r in TestResult.objects.filter(student_id__in=students, track=track).only(
            "student_id", "kind", "score"
        )
    }
    changed = 0
    with transaction.atomic():
        for (student, kind), score in scores.items():
            before = current.get((student.pk, kind))
            if score is None:
                if before is not None:
                    test_result_clear(student=student, track=track, kind=kind)
                    changed += 1
            elif before is None or before != score:
                test_result_set(student=student, track=track, kind=kind, score=score, user=user)
                changed += 1
    return changed
