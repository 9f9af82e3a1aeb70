"""Portal forms. They only parse and show errors; the rules live in the services."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import TestKind
from assessments.services import parse_score

from .models import Lesson, Platform
from .services import validate_lesson_fields

# Half-hour steps from a select: nothing to type on a phone, nothing to mistype.
HOUR_CHOICES = [(str(Decimal(n) / 2), str(Decimal(n) / 2)) for n in range(1, 17)]


class LessonForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )
    hours = forms.TypedChoiceField(
        label=_("Hours"),
        choices=HOUR_CHOICES,
        coerce=Decimal,
        initial="1",
        help_text=_("0.5 to 8, in half-hour steps."),
    )
    topic = forms.CharField(label=_("Topic"), max_length=300)
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices, initial=Platform.ZOOM)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    present = forms.TypedMultipleChoiceField(
        label=_("Present"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick the students who did not come."),
    )

    def __init__(self, *args, group, enrollments, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.today = today
        self.fields["present"].choices = [(e.student_id, e.student.full_name) for e in enrollments]
        if not self.is_bound and "present" not in self.initial:
            self.initial["present"] = [e.student_id for e in enrollments]
        program = group.program
        # The phone's date picker offers only days the service will accept.
        last_day = min(program.end, today or timezone.localdate())
        self.fields["date"].widget.attrs.update(min=program.start.isoformat(), max=last_day.isoformat())

    def clean(self):
        data = super().clean()
        try:
            validate_lesson_fields(
                program=self.group.program,
                date=data.get("date"),
                hours=data.get("hours"),
                today=self.today,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    for message in messages:
                        self.add_error(name, message)
        return data

    def lesson_fields(self):
        data = self.cleaned_data
        return {name: data[name] for name in ("date", "hours", "topic", "platform", "notes")}

    @classmethod
    def initial_for(cls, lesson):
        return {
            "date": lesson.date,
            "hours": str(Decimal(lesson.hours).normalize()),
            "topic": lesson.topic,
            "platform": lesson.platform,
            "notes": lesson.notes,
            "present": [a.student_id for a in lesson.attendance.all() if a.present],
        }


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=Lesson._meta.get_field("reject_reason").max_length,
    )


class ScoreGridForm(forms.Form):
    """Two inputs per student; every cell is parsed on its own so each bad cell gets its message."""

    KINDS = (TestKind.PRE, TestKind.POST)

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster
        for row in roster:
            for kind in self.KINDS:
                name = self.field_name(row.enrollment.student_id, kind)
                current = getattr(row, kind)
                self.fields[name] = forms.CharField(
                    label=f"{row.student.full_name}: {TestKind(kind).label}",
                    required=False,
                    max_length=10,
                )
                if current is not None:
                    self.initial[name] = format_score(current)

    @staticmethod
    def field_name(student_id, kind):
        return f"{kind}_{student_id}"

    def clean(self):
        data = super().clean()
        self.scores = {}
        for row in self.roster:
            for kind in self.KINDS:
                name = self.field_name(row.enrollment.student_id, kind)
                raw = (data.get(name) or "").strip()
                if not raw:
                    self.scores[(row.student, kind)] = None
                    continue
                try:
                    self.scores[(row.student, kind)] = parse_score(raw)
                except ValidationError as error:
                    self.add_error(name, error)
        return data

    def rows(self):
        """(roster row, (pre bound field, post bound field)) for the template."""
        for row in self.roster:
            yield row, tuple(self[self.field_name(row.enrollment.student_id, kind)] for kind in self.KINDS)


def format_score(value):
    """75.00 -> '75', 75.50 -> '75.5': what a person would have typed."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
