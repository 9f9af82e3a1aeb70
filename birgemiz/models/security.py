"""The operator's security policy: one row, read by the two-factor middleware."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityPolicy(models.Model):
    require_staff_two_factor = models.BooleanField(
        _("staff must use two-factor authentication"),
        default=False,
        help_text=_(
            "Coordinators, grant officers and the operator without an authenticator app are "
            "sent to set one up after they log in, and can open no other page until they do."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="birgemiz_securitypolicy_single_row")
        ]

    def __str__(self):
        return str(_("Security policy"))

    @classmethod
    def current(cls):
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy
