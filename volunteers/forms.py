"""Forms of the public application, the council, meetings, training and awards."""

from django import forms
from django.utils.translation import gettext_lazy as _

from birgemiz.antibot import HoneypotMixin
from birgemiz.models import District, Subject, Track
from birgemiz.validators import FullYearDateField, iin_person_errors, validate_evidence_file, validate_iin

from .models import CouncilMeeting, TrainingEvent, VolunteerApplication

SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class ApplicationForm(HoneypotMixin, forms.ModelForm):
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        validators=[validate_iin],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
    )
    subject_list = forms.MultipleChoiceField(
        label=_("Subjects you can teach"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    motivation = forms.CharField(
        label=_("Why do you want to volunteer?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data for the volunteer selection."),
        required=True,
        error_messages={"required": _("Consent to personal data processing is required.")},
    )

    class Meta:
        model = VolunteerApplication
        fields = [
            "last_name",
            "first_name",
            "middle_name",
            "iin",
            "sex",
            "birth_date",
            "email",
            "phone",
            "district",
            "education",
            "occupation",
            "social_status",
            "track",
            "subject_list",
            "motivation",
            "consent",
        ]
        field_classes = {"birth_date": FullYearDateField}
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sex": forms.RadioSelect,
            "track": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["birth_date"].required = True
        self.fields["district"].queryset = District.objects.filter(region=program.region).order_by("name_kk")
        self.fields["track"].queryset = Track.objects.filter(program=program).order_by("order", "id")
        self.fields["track"].empty_label = None
        # A required radio list needs no "---------" button (as the survey's sex field).
        self.fields["sex"].choices = [c for c in self.fields["sex"].choices if c[0]]
        subjects = (
            Subject.objects.filter(track__program=program)
            .select_related("track")
            .order_by("track__order", "order", "id")
        )
        grouped = {}
        for s in subjects:
            grouped.setdefault(s.track.name, []).append((str(s.pk), s.name))
        self.fields["subject_list"].choices = list(grouped.items())
        self._subjects = {str(s.pk): s for s in subjects}
        self.fields["website"] = self.fields.pop("website")

    def clean(self):
        data = super().clean()
        track = data.get("track")
        chosen = [self._subjects[pk] for pk in data.get("subject_list", []) if pk in self._subjects]
        if track is not None and any(s.track_id != track.pk for s in chosen):
            self.add_error("subject_list", _("Choose subjects of the track you apply for."))
        data["subjects"] = ", ".join(s.name_kk for s in chosen)
        person = (data.get("iin"), data.get("birth_date"), data.get("sex"))
        for field, message in iin_person_errors(*person).items():
            self.add_error(field, message)
        return data

    def application_data(self):
        data = self.cleaned_data
        names = [f for f in self.Meta.fields if f not in ("subject_list",)]
        result = {name: data.get(name) for name in names}
        result["subjects"] = data["subjects"]
        result["district"] = data.get("district")
        for key in ("middle_name", "phone", "education", "occupation"):
            result[key] = result.get(key) or ""
        return result

    def _post_clean(self):
        # The service builds and validates the model; skip ModelForm's own instance validation
        # so that a duplicate is reported once, by the service.
        pass


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.ChoiceField(
                label=c.name if hasattr(c, "name") else str(c),
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                initial=str((initial_scores or {}).get(c.pk, "")) or None,
            )

    def scores(self):
        return {c: int(self.cleaned_data[f"c{c.pk}"]) for c in self.criteria}


class MeetingForm(forms.ModelForm):
    minutes = forms.FileField(
        label=_("Minutes file"),
        required=False,
        validators=[validate_evidence_file],
        help_text=_("PDF, PNG, JPEG, DOCX or XLSX, up to 10 MB."),
    )

    class Meta:
        model = CouncilMeeting
        fields = ["number", "date", "agenda", "attendees", "decisions", "minutes"]
        field_classes = {"date": FullYearDateField}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["attendees"].queryset = program.council.order_by("id")


class TrainingEventForm(forms.ModelForm):
    class Meta:
        model = TrainingEvent
        fields = ["title", "date", "track", "trainer", "platform", "pre_test_url", "post_test_url"]
        field_classes = {"date": FullYearDateField}
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["track"].queryset = Track.objects.filter(program=program).order_by("order", "id")
        self.fields["trainer"].queryset = program.trainers.order_by("full_name")
