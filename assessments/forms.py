from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birgemiz.models import Lang
from volunteers.models import CouncilMeeting, Volunteer

from .models import TestKind
from .services import parse_score


class QuizImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSX file"),
        help_text=_("The first row holds the column names; download the template below."),
    )
    replace = forms.BooleanField(
        label=_("Replace the existing questions"),
        required=False,
        help_text=_("Only while nobody has started the test; otherwise the questions are added."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class IssueForm(forms.Form):
    kind = forms.ChoiceField(choices=TestKind.choices)


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


class ScoreField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", None):
            return None
        return parse_score(value)


class EventAttendanceForm(forms.Form):
    """Attendance and the pre/post test of each volunteer the event is for."""

    def __init__(self, *args, volunteers, attended_ids, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.volunteers = list(volunteers)
        for v in self.volunteers:
            self.fields[f"att_{v.pk}"] = forms.BooleanField(
                label=v.full_name, required=False, initial=v.pk in attended_ids
            )
            for kind in ("pre", "post"):
                value = scores.get((v.pk, kind))
                self.fields[f"{kind}_{v.pk}"] = ScoreField(
                    label=_("pre-test, %") if kind == "pre" else _("post-test, %"),
                    required=False,
                    initial=value.normalize() if value is not None else "",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "score-input"}),
                )

    def rows(self):
        for v in self.volunteers:
            yield v, self[f"att_{v.pk}"], self[f"pre_{v.pk}"], self[f"post_{v.pk}"]


class AwardConfirmForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Council meeting"), queryset=CouncilMeeting.objects.none())
    title = forms.CharField(label=_("Award"), max_length=300, initial=_("Best volunteer"))
    awarded_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Certificate language"), choices=Lang.choices)
    volunteers = forms.ModelMultipleChoiceField(
        label=_("Volunteers"), queryset=Volunteer.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = program.council_meetings.order_by("number")
        self.fields["volunteers"].queryset = program.volunteers.exclude(status=Volunteer.Status.WITHDRAWN)
        self.fields["awarded_on"].initial = timezone.localdate()


class CertificateIssueForm(forms.Form):
    language = forms.ChoiceField(
        label=pgettext_lazy("certificate language", "Language"), choices=Lang.choices
    )
