"""Regions, districts and schools: shared by every programme of a region.

They are reference data kept by the grant operator. A coordinator who misses a school
adds it as a proposal (`School.proposed_by` = their organisation): their programmes use
it at once, nobody else sees it until the operator approves it (clears the field).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import BilingualName


class Region(BilingualName):
    code = models.SlugField(pgettext_lazy("identifier", "code"), unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_kk"]



class District(BilingualName):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    is_city = models.BooleanField(_("city"), default=False)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_kk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name_kk"], name="birgemiz_district_unique_name"
            )
        ]



class SchoolLanguage(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")
    MIXED = "kk-ru", _("Kazakh and Russian")


class SchoolQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(proposed_by__isnull=True)

    def usable_by(self, organizations):
        """Approved schools and those proposed by `organizations` (a queryset or ids)."""
        return self.filter(Q(proposed_by__isnull=True) | Q(proposed_by__in=organizations))

    def usable_for(self, program):
        """The schools a programme may pick: approved ones and its organisation's proposals."""
        if program is None:
            return self.approved()
        return self.filter(Q(proposed_by__isnull=True) | Q(proposed_by_id=program.organization_id))


class School(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=300)
    settlement = models.CharField(_("settlement"), max_length=200, blank=True)
    language = models.CharField(
        _("language of instruction"), max_length=5, blank=True, choices=SchoolLanguage.choices
    )
    proposed_by = models.ForeignKey(
        "birgemiz.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposed_schools",
        verbose_name=_("proposed by"),
        help_text=_(
            "A school a coordinator added: their organisation's programmes use it at once, "
            "others once the operator approves it (empty = approved)."
        ),
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="birgemiz_school_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.district})"
