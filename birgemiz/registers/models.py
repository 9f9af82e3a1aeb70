"""A spreadsheet import started in the admin: its file, its preview and its result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", pgettext_lazy("job status", "cancelled")

    class Phase(models.TextChoices):
        PREVIEW = "preview", _("preview")
        IMPORT = "import", _("import")

    program = models.ForeignKey(
        "birgemiz.Program", on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("programme")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    register = models.CharField(pgettext_lazy("spreadsheet register", "register"), max_length=40)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices, default=Phase.PREVIEW)
    status = models.CharField(
        pgettext_lazy("processing state", "status"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
    )
    # The background job of the current phase (birgemiz.jobs): its progress, cancel, heartbeat.
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )
    report = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.register} ← {self.original_name} ({self.get_status_display()})"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED)
