"""A background job as the person who started it sees it, and the workers' heartbeats."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("job status", "waiting")
        RUNNING = "running", pgettext_lazy("job status", "running")
        DONE = "done", pgettext_lazy("job status", "done")
        FAILED = "failed", pgettext_lazy("job status", "failed")
        CANCELLED = "cancelled", pgettext_lazy("job status", "cancelled")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(pgettext_lazy("job", "kind"), max_length=40)
    # One per request (a form's hidden token): a double click or a reload of the POST
    # finds the job the first one made.
    key = models.CharField(_("request key"), max_length=120, unique=True)
    # One per piece of work while it is queued or running (e.g. "this report, PDF, kk"):
    # two people asking for the same thing together join one job. Cleared when it ends.
    lock = models.CharField(_("work key"), max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(
        pgettext_lazy("processing state", "status"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    program = models.ForeignKey(
        "birgemiz.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("programme"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    progress_done = models.PositiveIntegerField(_("done so far"), default=0)
    progress_total = models.PositiveIntegerField(_("to do"), null=True, blank=True)
    # What the page shows when it ended: a summary line, row errors, counts.
    result = models.JSONField(_("result"), default=dict, blank=True)
    result_url = models.CharField(_("result address"), max_length=500, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/results/%Y/%m/", blank=True)
    input_file = models.FileField(_("uploaded file"), upload_to="jobs/inputs/%Y/%m/", blank=True)
    error = models.TextField(_("reason"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heard of"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="jobs_job_status_beat"),
            models.Index(fields=["user", "-created_at"], name="jobs_job_user_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lock__isnull=True) | Q(status__in=["queued", "running"]),
                name="jobs_job_lock_only_while_active",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def active(self):
        return self.status in self.ACTIVE

    @property
    def finished(self):
        return not self.active

    @property
    def percent(self):
        if not self.progress_total:
            return None
        return min(100, int(100 * self.progress_done / self.progress_total))


class WorkerBeat(models.Model):
    """A worker process that said it is alive (the database queue's workers; RQ keeps its own)."""

    worker_id = models.CharField(_("worker"), max_length=100, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self):
        return f"{self.worker_id} @ {self.hostname}"
