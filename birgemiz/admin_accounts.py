"""The admins outside the programmes: the operator's security policy, and every other
package's admin (Django's accounts, django-axes, django-otp, the task queue)
re-registered with the project's safe lookups (no regular expressions, no IIN in the
address), so no changelist of the site runs a pattern a visitor typed.
"""

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import access, invitations, roles
from .admin_base import SafeLookupsMixin
from .models import Invitation, SecurityPolicy


def harden_every_admin(site=admin.site):
    """Re-register every admin not built on the project's bases (auth, axes, django-otp,
    the task queue's) with `SafeLookupsMixin`. Called from `BirgemizConfig.ready`, after
    every app's admin module has registered."""
    for model in apps.get_models():
        if not site.is_registered(model):
            continue
        base = type(site.get_model_admin(model))
        if issubclass(base, SafeLookupsMixin):
            continue
        site.unregister(model)
        site.register(model, type(base.__name__, (SafeLookupsMixin, base), {"__module__": base.__module__}))


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """One row; the operator (or a superuser) changes it, staff read it."""

    list_display = ["__str__", "require_staff_two_factor", "updated_at", "updated_by"]
    fields = ["require_staff_two_factor", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return roles.manages_reference_data(request.user) and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["role", "email", "full_name", "organization", "program", "language"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = request.user
        allowed = invitations.roles_for(user)
        self.fields["role"].choices = [(r, label) for r, label in Invitation.Role.choices if r in allowed]
        if not (user.is_superuser or roles.is_operator(user)):
            self.fields["organization"].queryset = user.organizations.order_by("name_kk")
        self.fields["program"].queryset = access.editable_programs_for(user).order_by("-start", "code")
        self.fields["organization"].help_text = _("For a coordinator: the organisation they will work for.")
        self.fields["program"].help_text = _(
            "For a council member or a volunteer: the programme. A volunteer is invited by the "
            "e-mail written in their volunteer record."
        )
        self.fields["language"].initial = translation.get_language() or "kk"
        self._request = request

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        probe = Invitation(
            email=(data.get("email") or "").strip().lower(),
            full_name=data.get("full_name") or "",
            role=data.get("role"),
            organization=data.get("organization"),
            program=data.get("program"),
        )
        try:
            invitations.check(probe, self._request.user)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        self.subject_id = probe.subject_id
        return data


@admin.register(Invitation)
class InvitationAdmin(SafeLookupsMixin, admin.ModelAdmin):
    """Sent from here, never edited: a wrong one is revoked, a lost one sent again (a new
    link; the old one stops working). Only the hash of each link's secret is stored."""

    list_display = [
        "email",
        "full_name",
        "role",
        "organization",
        "program",
        "state",
        "expires_at",
        "invited_by",
    ]
    list_filter = ["role"]
    list_select_related = ["organization", "program", "invited_by"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["state", "expires_at", "accepted_at", "revoked_at", "user", "invited_by", "created_at"]
    actions = ["revoke", "resend"]

    def _may(self, request):
        return bool(invitations.roles_for(request.user))

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return self._may(request)

    has_resend_permission = has_revoke_permission

    def get_actions(self, request):
        # No spreadsheet of invitations: nothing in one is needed outside this page.
        return {name: act for name, act in super().get_actions(request).items() if name in self.actions}

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        # Those who may not invite get no page at all (the permissions refuse them first).
        if user.is_superuser or roles.is_operator(user) or not self._may(request):
            return qs
        return qs.filter(
            Q(organization__in=user.organizations.all()) | Q(program__in=access.editable_programs_for(user))
        ).distinct()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:  # the read-only page of a sent invitation
            return super().get_form(request, obj, change=change, **kwargs)

        class Bound(InvitationForm):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return Bound

    def get_fields(self, request, obj=None):
        if obj is None:
            return InvitationForm.Meta.fields
        return ["email", "full_name", "role", "organization", "program", "language", *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        sent = invitations.invitation_send(
            invited_by=request.user,
            role=obj.role,
            email=obj.email,
            full_name=obj.full_name,
            organization=obj.organization,
            program=obj.program,
            language=obj.language,
            subject_id=getattr(form, "subject_id", None),
            base_url=request.build_absolute_uri("/"),
        )
        obj.pk = sent.pk
        obj.refresh_from_db()
        self._link_message(request, sent)

    def log_addition(self, request, obj, message):
        return None

    def message_user(self, request, message, *args, **kwargs):
        # Django's "was added successfully" after save_model adds nothing to our message.
        if getattr(request, "_invitation_sent", False) and "added" in str(message):
            return None
        return super().message_user(request, message, *args, **kwargs)

    def _link_message(self, request, sent):
        request._invitation_sent = True
        messages.success(
            request,
            format_html(
                "{} <code>{}</code>",
                _(
                    "The invitation was sent to %(email)s. If the letter does not arrive, give them this "
                    "link (it is shown only now, works once and for %(days)d days):"
                )
                % {"email": sent.email, "days": invitations.INVITATION_DAYS},
                sent.link,
            ),
        )

    @admin.display(description=_("state"))
    def state(self, obj):
        return Invitation.Status(obj.status).label

    @admin.action(description=_("Revoke the selected invitations"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = 0
        for invitation in queryset:
            if invitation.is_usable():
                invitations.invitation_revoke(invitation=invitation)
                count += 1
        self.message_user(
            request,
            ngettext("%(count)d invitation revoked.", "%(count)d invitations revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Send the selected invitations again (new links)"), permissions=["resend"])
    def resend(self, request, queryset):
        count = 0
        for invitation in queryset.filter(accepted_at__isnull=True):
            try:
                invitations.invitation_resend(
                    invitation=invitation, invited_by=request.user, base_url=request.build_absolute_uri("/")
                )
            except ValidationError as exc:
                self.message_user(request, f"{invitation.email}: {' '.join(exc.messages)}", messages.ERROR)
                continue
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d invitation sent again.", "%(count)d invitations sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
