"""Invitations: how every account but the first operator's comes to exist.

The operator invites grantee organisations' coordinators (and officers, other operators);
a coordinator invites their programmes' council members and volunteers. The e-mail
carries a one-time link that expires; only the SHA-256 of its secret is stored.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .programme import Organization, Program


def hash_secret(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        COUNCIL = "council", _("expert council member")
        VOLUNTEER = "volunteer", pgettext_lazy("role", "volunteer")
        OFFICER = "officer", _("grant officer")
        OPERATOR = "operator", _("operator")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the person")
        ACCEPTED = "accepted", _("accepted")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")

    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("grantee organisation"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("programme"),
    )
    # The primary key of the record the account is tied to (a volunteer, a council seat),
    # resolved by the app that owns it (birgemiz.invitations.register_role).
    subject_id = models.PositiveIntegerField(_("record"), null=True, blank=True, editable=False)
    language = models.CharField(
        _("language of the letter"), max_length=2, choices=settings.LANGUAGES, default="kk"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        editable=False,
        verbose_name=_("account"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
        editable=False,
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["email", "role"], name="birgemiz_invitation_email_role")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="coordinator") | Q(organization__isnull=False),
                name="birgemiz_invitation_coordinator_has_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["council", "volunteer"]) | Q(program__isnull=False),
                name="birgemiz_invitation_programme_role_has_programme",
            ),
        ]

    def __str__(self):
        return f"{self.email} — {self.get_role_display()}"

    @property
    def status(self):
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def is_usable(self, now=None):
        return (
            self.accepted_at is None and self.revoked_at is None and self.expires_at > (now or timezone.now())
        )

    @classmethod
    def find(cls, raw):
        """The invitation whose secret is `raw`, or None."""
        if not raw or len(raw) > 100:
            return None
        return (
            cls.objects.select_related("organization", "program").filter(token_hash=hash_secret(raw)).first()
        )
