"""The public survey form (built from the survey's questions) and the enrolment tool's forms."""

import datetime

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birgemiz.alphabet import name_key
from birgemiz.antibot import HoneypotMixin
from birgemiz.models import District, School, Sex, Track
from birgemiz.validators import FullYearDateField, iin_person_errors, validate_iin

from .models import Question

GRADE_CHOICES = [("", "—")] + [(g, str(g)) for g in range(8, 12)]


def school_choices(region, program=None):
    """Schools of the region grouped by district, for a plain <select> with <optgroup>s:
    the approved ones and those the programme's organisation proposed, districts and
    schools in Kazakh alphabetical order."""
    schools = School.objects.usable_for(program).filter(district__region=region).select_related("district")
    grouped = {}
    for school in sorted(schools, key=lambda s: (name_key(s.district.name), s.district_id, name_key(s.name))):
        grouped.setdefault(school.district.name, []).append((str(school.pk), school.name))
    return [("", "—")] + list(grouped.items())


class KazakhOrderIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        label = self.field.label_from_instance
        for obj in sorted(self.queryset, key=lambda obj: name_key(str(label(obj)))):
            yield self.choice(obj)


class KazakhOrderModelChoiceField(forms.ModelChoiceField):
    """A model <select> whose options follow the Kazakh alphabet (`birgemiz.alphabet`)."""

    iterator = KazakhOrderIterator


def is_grade_question(question):
    """The survey's own «which grade?» question (code `grade`): the form then asks the
    grade once, with it, instead of also asking its built-in grade field."""
    return question.kind == Question.Kind.SINGLE and question.code == "grade"


class SurveyForm(HoneypotMixin, forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        required=False,
        validators=[validate_iin],
        help_text=_("12 digits. If you do not know it, leave it empty."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
    )
    birth_date = FullYearDateField(
        label=_("Birth date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    grade = forms.TypedChoiceField(label=_("Grade"), choices=GRADE_CHOICES, coerce=int)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        region = survey.program.region
        self.questions = list(survey.questions.prefetch_related("choices").order_by("order", "id"))
        self._schools = None
        self.school_question = next((q for q in self.questions if q.kind == Question.Kind.SCHOOL), None)
        self.district_question = next((q for q in self.questions if q.kind == Question.Kind.DISTRICT), None)
        # Asked twice, the grade could be answered two ways: one question only.
        self.grade_question = next((q for q in self.questions if is_grade_question(q)), None)
        if self.grade_question is not None:
            del self.fields["grade"]
        if self.school_question is None:
            self.fields["school"] = forms.ChoiceField(label=_("School"), choices=self._school_choices(region))
        for q in self.questions:
            self.fields[f"q_{q.code}"] = self._field_for(q, region)
        self.fields["consent"] = forms.BooleanField(
            label=_("I (or my parent) agree to the processing of my personal data for this programme."),
            required=True,
        )
        # The honeypot goes last so that people tabbing through never reach it first.
        self.fields["website"] = self.fields.pop("website")

    def _school_choices(self, region):
        if self._schools is None:
            self._schools = school_choices(region, self.survey.program)
        return self._schools

    def _field_for(self, q, region):
        label, required = q.text, q.required
        if q.kind == Question.Kind.SINGLE:
            return forms.ChoiceField(
                label=label,
                required=required or is_grade_question(q),
                widget=forms.RadioSelect,
                choices=[(c.value, c.text) for c in q.choices.all()],
            )
        if q.kind == Question.Kind.MULTIPLE:
            return forms.MultipleChoiceField(
                label=label,
                required=required,
                widget=forms.CheckboxSelectMultiple,
                choices=[(c.value, c.text) for c in q.choices.all()],
            )
        if q.kind == Question.Kind.NUMBER:
            return forms.DecimalField(
                label=label,
                required=required,
                max_digits=12,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
            )
        if q.kind == Question.Kind.DISTRICT:
            return KazakhOrderModelChoiceField(
                label=label,
                required=required,
                queryset=District.objects.filter(region=region).order_by("name_kk"),
            )
        if q.kind == Question.Kind.SCHOOL:
            return forms.ChoiceField(label=label, required=True, choices=self._school_choices(region))
        return forms.CharField(
            label=label,
            required=required,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value > today or value < today - datetime.timedelta(days=365 * 30):
            raise forms.ValidationError(_("Check the birth date."))
        return value

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean(self):
        data = super().clean()
        school_field = f"q_{self.school_question.code}" if self.school_question else "school"
        school_id = data.get(school_field)
        school = None
        if school_id:
            school = (
                School.objects.usable_for(self.survey.program)
                .filter(pk=school_id, district__region=self.survey.program.region)
                .select_related("district")
                .first()
            )
            if school is None:
                self.add_error(school_field, _("Choose a school from the list."))
        district = data.get(f"q_{self.district_question.code}") if self.district_question else None
        if school is not None and district is not None and school.district_id != district.pk:
            self.add_error(
                school_field,
                _("This school is not in the district you chose (%(district)s): choose again.")
                % {"district": district.name},
            )
            school = None
        data["school_obj"] = school
        if self.grade_question is not None:
            value = data.get(f"q_{self.grade_question.code}")
            data["grade"] = int(value) if value and str(value).isdigit() else None
        person = (data.get("iin"), data.get("birth_date"), data.get("sex"))
        for field, message in iin_person_errors(*person).items():
            self.add_error(field, message)
        return data

    def person(self):
        data = self.cleaned_data
        district = None
        if self.district_question is not None:
            district = data.get(f"q_{self.district_question.code}")
        return {
            "last_name": data["last_name"],
            "first_name": data["first_name"],
            "middle_name": data.get("middle_name", ""),
            "iin": data.get("iin", ""),
            "sex": data["sex"],
            "birth_date": data["birth_date"],
            "grade": data.get("grade"),
            "school": data["school_obj"],
            "district": district,
            "phone": data.get("phone", ""),
            "consent": data["consent"],
        }

    def answers(self):
        data = self.cleaned_data
        result = {}
        for q in self.questions:
            value = data.get(f"q_{q.code}")
            if q.kind == Question.Kind.SINGLE:
                value = next((c for c in q.choices.all() if c.value == value), None)
            elif q.kind == Question.Kind.MULTIPLE:
                value = [c for c in q.choices.all() if c.value in (value or [])]
            elif q.kind == Question.Kind.SCHOOL:
                value = data["school_obj"].name if data.get("school_obj") else ""
            elif q.kind == Question.Kind.DISTRICT:
                value = value.name_kk if value else ""
            result[q] = value
        return result


class EnrolmentFilterForm(forms.Form):
    """Filters of the enrolment tool; no personal data, so it may be a GET form."""

    district = KazakhOrderModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False
    )
    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.none(), required=False)
    include_enrolled = forms.BooleanField(
        label=_("Include respondents already matched to a student"), required=False
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(region=program.region).order_by("name_kk")
        self.fields["track"].queryset = Track.objects.filter(program=program).order_by("order", "id")
