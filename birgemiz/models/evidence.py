"""Evidence files: the documents the report lists as appendices."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_evidence_file
from .base import TimeStamped
from .outreach import Meeting
from .programme import Activity, Program


def evidence_upload_to(instance, filename):
    # A random name under the programme: never guessable, never the original name.
    suffix = Path(filename).suffix.lower()
    return f"evidence/{instance.program_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(TimeStamped):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        MINUTES = "minutes", _("minutes")
        PARTICIPANT_LIST = "participant_list", _("participant list")
        ATTENDANCE = "attendance", _("attendance journal")
        SCREENSHOT = "screenshot", _("screenshot")
        CERTIFICATE = "certificate", _("certificate")
        LETTER = "letter", _("letter")
        CURRICULUM = "curriculum", _("curriculum")
        FEEDBACK = "feedback", _("participant feedback")
        OTHER = "other", _("other document")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("programme")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("activity"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("outreach meeting"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    date = models.DateField(
        _("document date"),
        null=True,
        blank=True,
        help_text=_("The date the document bears (a letter's, a list's); empty when it has none."),
    )
    file = models.FileField(
        _("file"),
        upload_to=evidence_upload_to,
        validators=[validate_evidence_file],
        help_text=_("PDF, PNG, JPEG, DOCX or XLSX, up to 10 MB."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["program", "activity", "id"]

    def __str__(self):
        return self.title
