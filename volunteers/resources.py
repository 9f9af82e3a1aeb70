"""Spreadsheet registers of volunteers and of volunteer applications.

Both are matched on re-import by IIN when given, otherwise by e-mail.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birgemiz.registers import register
from birgemiz.registers.bulk import BulkImportMixin
from birgemiz.registers.resource import Lookup
from birgemiz.resources import ProgrammeResource

from .models import CouncilMember, Volunteer, VolunteerApplication

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
class VolunteerResource(BulkImportMixin, ProgrammeResource):
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
class ApplicationResource(BulkImportMixin, ProgrammeResource):
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


@register
class CouncilMemberResource(BulkImportMixin, ProgrammeResource):
    """The programme's council (the volunteers' selection board), matched by full name."""

    name = "council-members"
    verbose_name = gettext_lazy("council members")
    natural_keys = (("full_name",),)
    required = ("full_name",)
    aliases = {
        "full_name": ("аты-жөні", "ф. и. о.", "фио", "full name", "name"),
        "workplace_position": ("жұмыс орны", "место работы", "лауазымы", "должность"),
        "role": ("рөлі", "роль"),
    }
    example = {
        "full_name": "Ахметова Гүлнар Серікқызы",
        "workplace_position": "Бөрлі аудандық білім бөлімі, әдіскер",
        "role": "member",
    }

    class Meta:
        model = CouncilMember
        fields = ("full_name", "workplace_position", "role")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("id")

    def check_rules(self, instance):
        if instance.role != CouncilMember.Role.CHAIR:
            return
        chairs = self.cached(
            "chairs",
            lambda: set(
                CouncilMember.objects.filter(program=self.program, role=CouncilMember.Role.CHAIR).values_list(
                    "full_name", flat=True
                )
            ),
        )
        others = chairs - {instance.full_name}
        if others:
            raise ValidationError(
                {
                    "role": _(
                        "The council already has a chair (%(name)s): make this member a member, or that one."
                    )
                    % {"name": ", ".join(sorted(others))}
                }
            )
        chairs.add(instance.full_name)
