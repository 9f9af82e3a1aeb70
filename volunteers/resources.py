"""Spreadsheet registers of volunteers and of volunteer applications.

Both are matched on re-import by IIN when given, otherwise by e-mail.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birgemiz.registers import register
from birgemiz.registers.resource import Lookup
from birgemiz.resources import ProgrammeResource

from .models import Volunteer, VolunteerApplication

PERSON = {
    "email": "aigul@example.kz",
    "last_name": "Нұрланова",
    "first_name": "Айгүл",
    "middle_name": "Серікқызы",
    "iin": "",
    "sex": "F",
    "birth_date": "15.01.2000",
    "phone": "+77011234567",
    "district": "Бөрлі",
    "occupation": "студент",
    "education": "жоғары",
    "social_status": "youth",
    "track": "english",
}


@register
class VolunteerResource(ProgrammeResource):
    name = "volunteers"
    verbose_name = gettext_lazy("volunteers")
    natural_keys = (("iin",), ("email",))
    required = ("email", "last_name", "first_name", "sex")
    district = Lookup("district", "district")
    track = Lookup("track", "track")
    example = {**PERSON, "disability": "жоқ", "status": "selected"}

    class Meta:
        model = Volunteer
        fields = (
            "email",
            "last_name",
            "first_name",
            "middle_name",
            "iin",
            "sex",
            "birth_date",
            "phone",
            "district",
            "occupation",
            "education",
            "social_status",
            "disability",
            "track",
            "status",
        )
        export_order = fields

    def export_queryset(self):
        return (
            self.get_queryset().select_related("district", "track").order_by("last_name", "first_name", "id")
        )


@register
class ApplicationResource(ProgrammeResource):
    name = "applications"
    verbose_name = gettext_lazy("volunteer applications")
    natural_keys = (("iin",), ("email",))
    required = ("email", "last_name", "first_name", "sex", "track", "consent")
    district = Lookup("district", "district")
    track = Lookup("track", "track")
    aliases = {"consent": ("келісім", "согласие")}
    example = {
        **PERSON,
        "subjects": "ағылшын тілі",
        "motivation": "Балаларға көмектескім келеді",
        "consent": "иә",
        "decision": "pending",
    }

    class Meta:
        model = VolunteerApplication
        fields = (
            "email",
            "last_name",
            "first_name",
            "middle_name",
            "iin",
            "sex",
            "birth_date",
            "phone",
            "district",
            "education",
            "occupation",
            "social_status",
            "track",
            "subjects",
            "motivation",
            "consent",
            "decision",
        )
        export_order = fields

    def export_queryset(self):
        return (
            self.get_queryset().select_related("district", "track").order_by("last_name", "first_name", "id")
        )

    def check_rules(self, instance):
        if not instance.consent:
            raise ValidationError(
                {"consent": _("An application needs the applicant's consent to personal data processing.")}
            )
