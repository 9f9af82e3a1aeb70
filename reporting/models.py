"""Issued final reports: the file as it was signed off, kept byte for byte."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birgemiz.models import Lang, Program


def issued_report_upload_to(instance, filename):
    # A random name under the programme; the download name is built from the record.
    return f"reports/{instance.program_id}/{uuid.uuid4().hex}.{instance.format}"


class IssuedReport(models.Model):
    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="issued_reports", verbose_name=_("programme")
    )
    language = models.CharField(_("language"), max_length=2, choices=Lang.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    file = models.FileField(_("file"), upload_to=issued_report_upload_to)
    size = models.PositiveIntegerField(_("size, bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    as_of = models.DateField(_("as of"), help_text=_("The date the figures were computed at."))
    warnings = models.PositiveIntegerField(
        _("warnings"), default=0, help_text=_("Checks that did not add up when it was issued.")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("report", "issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=["kk", "ru"]), name="reporting_issuedreport_language_kk_ru"
            ),
            models.CheckConstraint(
                condition=Q(format__in=["pdf", "xlsx"]), name="reporting_issuedreport_format_known"
            ),
        ]

    def __str__(self):
        return f"{self.program.code} {self.language} {self.format} {self.issued_at:%Y-%m-%d %H:%M}"

    @property
    def download_name(self):
        return f"{self.program.code}-report-{self.language}-{self.issued_at:%Y%m%d-%H%M%S}.{self.format}"
