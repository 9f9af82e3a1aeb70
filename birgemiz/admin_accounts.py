"""The admins outside the programmes: the operator's security policy, and every other
package's admin (Django's accounts, django-axes, django-otp, the task queue)
re-registered with the project's safe lookups (no regular expressions, no IIN in the
address), so no changelist of the site runs a pattern a visitor typed.
"""

from django.apps import apps
from django.contrib import admin

from . import roles
from .admin_base import SafeLookupsMixin
from .models import SecurityPolicy


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
