"""The audit trail's rows (written by `birgemiz.audit`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .programme import Program


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # No database constraint and no cascade: the trail outlives the records it
    # describes, including a deleted programme (whose deletion writes entries too).
    program = models.ForeignKey(
        Program,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=30, blank=True, help_text=_("admin, portal, import, …")
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="birgemiz_audit_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user or '—'} {self.action} {self.object_repr}"
