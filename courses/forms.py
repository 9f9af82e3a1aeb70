"""Portal forms. They only parse and show errors; the rules live in the services."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birgemiz.validators import FullYearDateField

from .models import Lesson, Platform
from .services import validate_lesson_fields

# Half-hour steps from a select: nothing to type on a phone, nothing to mistype.
HOUR_CHOICES = [(str(Decimal(n) / 2), str(Decimal(n) / 2)) for n in range(1, 17)]


class LessonForm(forms.Form):
    date = FullYearDateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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
        label=pgettext_lazy("attendance", "Present"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick the students who did not come."),
    )
    # Shown only once a lesson of the same day and hours was found (see `ask_same_day`).
    same_day_again = forms.BooleanField(
        label=_("Another lesson on the same day"),
        required=False,
        widget=forms.HiddenInput,
        help_text=_("Tick only if the group really had two lessons of these hours that day."),
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

    def ask_same_day(self):
        """A duplicate was refused: offer the box that says it is another lesson."""
        self.fields["same_day_again"].widget = forms.CheckboxInput()

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
