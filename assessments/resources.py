"""Spreadsheet register of pre/post test results of students.

A row is one score: student code + track + kind (pre / post). Scores are parsed by
`assessments.services.parse_score` and written by `test_result_set`, as in the
score grid.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from import_export import fields
from import_export.widgets import Widget

from birgemiz.registers import register
from birgemiz.registers.bulk import BulkImportMixin
from birgemiz.registers.resource import Lookup
from birgemiz.registers.widgets import DecimalWidget, TextWidget
from courses.resources import CourseResource

from .models import TestResult
from .services import parse_score, test_result_set


class ScoreWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, float):
            value = repr(value)
        try:
            return parse_score(value)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None

    def render(self, value, obj=None, **kwargs):
        return DecimalWidget().render(value)


@register
class TestResultResource(BulkImportMixin, CourseResource):
    name = "test-results"
    verbose_name = gettext_lazy("test results")
    natural_keys = (("student", "track", "kind"),)
    required = ("student", "track", "kind", "score")
    student = Lookup("student", "student")
    track = Lookup("track", "track")
    score = fields.Field(attribute="score", column_name="score", widget=ScoreWidget())
    student_name = fields.Field(
        attribute="student__full_name", column_name="student_name", readonly=True, widget=TextWidget()
    )
    readonly_columns = ("student_name",)
    labels = {"student": gettext_lazy("student code"), "student_name": gettext_lazy("student's full name")}
    aliases = {"score": ("балл", "ұпай", "нәтиже", "результат", "%")}
    example = {
        "student": "S00001",
        "student_name": "Серікова Айгерім",
        "track": "english",
        "kind": "pre",
        "score": 46,
        "taken_on": "05.06.2020",
    }

    class Meta:
        model = TestResult
        fields = ("student", "student_name", "track", "kind", "score", "taken_on")
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().filter(student__isnull=False)

    def export_queryset(self):
        return (
            self.get_queryset()
            .select_related("student", "track")
            .order_by("track__order", "student__code", "kind")
        )

    def save(self, instance, is_create):
        result = test_result_set(
            student=instance.student,
            track=instance.track,
            kind=instance.kind,
            score=instance.score,
            user=self.user,
            taken_on=instance.taken_on,
            source=TestResult.Source.IMPORT,
        )
        instance.pk = result.pk

    # ------------------------------------------------------------ the batched path
    # The rules of `test_result_set`: the score parsed by `parse_score` (the widget), an
    # empty date keeps the stored one, an unchanged score writes nothing, and a changed
    # score over an online test's goes through the service, which opens a conflict.

    def bulk_prepare(self, number, instance, original, row, errors, state):
        if instance.student_id is not None:
            instance.program_id = instance.student.program_id
        if original is None:
            instance.source = TestResult.Source.IMPORT
            instance.entered_by = self.user
        elif instance.taken_on is None:
            instance.taken_on = original.taken_on
        return errors

    def bulk_on_change(self, instance, original, changes):
        if original.source == TestResult.Source.ONLINE and "score" in changes:
            instance._through_service = True
            return changes
        instance.source = TestResult.Source.IMPORT
        instance.entered_by = self.user
        if original.source != instance.source:
            changes["source"] = [original.source, instance.source]
        if original.entered_by_id != instance.entered_by_id:
            changes["entered_by_id"] = [original.entered_by_id, instance.entered_by_id]
        return changes

    def bulk_write(self, created, updated):
        super().bulk_write(created, [(i, c) for i, c in updated if not getattr(i, "_through_service", False)])
        for instance, _changes in updated:
            if getattr(instance, "_through_service", False):
                self.save(instance, is_create=False)
