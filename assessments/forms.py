from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birgemiz.models import Lang
from birgemiz.validators import FullYearDateField
from volunteers.models import CouncilMeeting, Volunteer

from .models import TestKind
from .services import GridChange, parse_score


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
    """Two inputs per student; every cell is parsed on its own so each bad cell gets its message.

    Each cell carries the value it showed (`<cell>_shown`, hidden), so the save knows
    which cells the person changed and whether someone else changed them meanwhile.
    A cell missing from the POST, or sent back blank, changes nothing: a score is deleted
    only by its «delete» box."""

    KINDS = (TestKind.PRE, TestKind.POST)

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster
        for row in roster:
            for kind in self.KINDS:
                name = self.field_name(row.enrollment.student_id, kind)
                current = getattr(row, kind)
                shown = format_score(current) if current is not None else ""
                self.fields[name] = forms.CharField(
                    label=f"{row.student.full_name}: {TestKind(kind).label}",
                    required=False,
                    max_length=10,
                )
                self.fields[f"{name}_shown"] = forms.CharField(required=False, widget=forms.HiddenInput)
                self.fields[f"{name}_delete"] = forms.BooleanField(
                    label=_("delete %(test)s score") % {"test": TestKind(kind).label}, required=False
                )
                self.initial.setdefault(name, shown)
                self.initial.setdefault(f"{name}_shown", shown)

    @staticmethod
    def field_name(student_id, kind):
        return f"{kind}_{student_id}"

    def clean(self):
        data = super().clean()
        self.changes = []
        for row in self.roster:
            for kind in self.KINDS:
                change = self._cell_change(row, kind)
                if change is not None:
                    self.changes.append(change)
        return data

    def _cell_change(self, row, kind):
        name = self.field_name(row.enrollment.student_id, kind)
        if name not in self.data or f"{name}_shown" not in self.data:
            return None  # not on the page that was sent
        try:
            shown_raw = (self.data.get(f"{name}_shown") or "").strip()
            shown = parse_score(shown_raw) if shown_raw else None
        except ValidationError:
            self.add_error(name, _("Reload the page: this cell was sent without its original value."))
            return None
        if self.cleaned_data.get(f"{name}_delete"):
            return GridChange(row.student, kind, shown, None) if shown is not None else None
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None  # blank never deletes
        try:
            new = parse_score(raw)
        except ValidationError as error:
            self.add_error(name, error)
            return None
        return None if new == shown else GridChange(row.student, kind, shown, new)

    def rows(self):
        """(roster row, per kind: value, shown and delete bound fields, the stored score and
        the message of a cell changed meanwhile) for the template."""
        for row in self.roster:
            cells = []
            for kind in self.KINDS:
                name = self.field_name(row.enrollment.student_id, kind)
                cells.append(
                    (
                        self[name],
                        self[f"{name}_shown"],
                        self[f"{name}_delete"],
                        getattr(row, kind),
                        self.stale_messages.get(name, ""),
                    )
                )
            yield row, cells

    def refresh(self, outcome, roster):
        """After a save with stale cells: a form on the stored values, where each stale
        cell shows what the person typed, with the stored value as its original — saving
        again replaces that value on purpose."""
        data = {}
        stale = {(change.student.pk, change.kind): (change, stored) for change, stored in outcome.stale}
        for row in roster:
            for kind in self.KINDS:
                name = self.field_name(row.enrollment.student_id, kind)
                current = getattr(row, kind)
                shown = format_score(current) if current is not None else ""
                data[name] = data[f"{name}_shown"] = shown
                hit = stale.get((row.enrollment.student_id, kind))
                if hit is not None and hit[0].new is not None:
                    data[name] = format_score(hit[0].new)
        form = ScoreGridForm(roster=roster, initial=data)
        for (student_id, kind), (change, stored) in stale.items():
            name = self.field_name(student_id, kind)
            if name in form.fields:
                form.stale_messages[name] = stale_message(change, stored)
        return form

    @property
    def stale_messages(self):
        if not hasattr(self, "_stale_messages"):
            self._stale_messages = {}
        return self._stale_messages


def stale_message(change, stored):
    was = format_score(change.shown) if change.shown is not None else "—"
    now = format_score(stored) if stored is not None else "—"
    return _(
        "Changed meanwhile by someone else: %(was)s → %(now)s. Your value was not saved; "
        "save again to replace %(now)s."
    ) % {"was": was, "now": now}


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
    awarded_on = FullYearDateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
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
