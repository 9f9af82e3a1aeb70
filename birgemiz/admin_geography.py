"""Regions, districts and schools: reference data shared by every organisation.

Only the operator (and superusers) change them; officers and coordinators look. A
coordinator who misses a school adds it as a proposal of their organisation: its
programmes pick it at once, other organisations see it once the operator approves it
(the «Approve» action, or clearing «proposed by»). Until then the coordinator may
correct or delete their own proposal.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import roles
from .admin_base import PostedSearchMixin, SafeLookupsMixin
from .admin_filters import KazakhRelatedOnlyFilter
from .models import District, Organization, Region, School


class ReferenceAdmin(PostedSearchMixin, SafeLookupsMixin, admin.ModelAdmin):
    """Changed by the operator only, whatever the model permissions say."""

    def has_add_permission(self, request):
        return roles.manages_reference_data(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return roles.manages_reference_data(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return roles.manages_reference_data(request.user) and super().has_delete_permission(request, obj)


@admin.register(Region)
class RegionAdmin(ReferenceAdmin):
    list_display = ["name_kk", "name_ru", "code"]
    search_fields = ["name_kk", "name_ru", "code"]


@admin.register(District)
class DistrictAdmin(ReferenceAdmin):
    list_display = ["name_kk", "name_ru", "region", "is_city"]
    list_filter = ["is_city", "region"]
    list_select_related = ["region"]
    search_fields = ["name_kk", "name_ru"]
    autocomplete_fields = ["region"]


class ProposalFilter(admin.SimpleListFilter):
    title = _("approval")
    parameter_name = "approval"

    def lookups(self, request, model_admin):
        return [("approved", _("approved")), ("proposed", _("proposed, waiting for the operator"))]

    def queryset(self, request, queryset):
        if self.value() == "approved":
            return queryset.filter(proposed_by__isnull=True)
        if self.value() == "proposed":
            return queryset.filter(proposed_by__isnull=False)
        return queryset


@admin.register(School)
class SchoolAdmin(ReferenceAdmin):
    list_display = ["name", "settlement", "district", "proposed_by"]
    list_filter = [ProposalFilter, ("district", KazakhRelatedOnlyFilter)]
    list_select_related = ["district", "proposed_by"]
    search_fields = ["name", "settlement", "district__name_kk", "district__name_ru"]
    autocomplete_fields = ["district"]
    list_per_page = 50
    show_full_result_count = False
    actions = ["approve"]

    @staticmethod
    def _own_organizations(user):
        return Organization.objects.filter(members=user)

    def _proposes(self, request):
        user = request.user
        return roles.is_coordinator(user) and not roles.only_reads(user) and not user.is_superuser

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if roles.reads_every_programme(request.user):
            return qs
        return qs.usable_by(self._own_organizations(request.user).values("pk"))

    def get_fields(self, request, obj=None):
        fields = ["district", "name", "settlement"]
        return fields + ["proposed_by"] if roles.manages_reference_data(request.user) else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "proposed_by":
            kwargs["required"] = False
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _own_proposal(self, request, obj):
        return (
            obj is None
            or obj.proposed_by_id is not None
            and self._own_organizations(request.user).filter(pk=obj.proposed_by_id).exists()
        )

    def has_add_permission(self, request):
        if self._proposes(request):
            return admin.ModelAdmin.has_add_permission(self, request) and self._own_organizations(
                request.user
            ).exists()
        return super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if self._proposes(request):
            return admin.ModelAdmin.has_change_permission(self, request, obj) and self._own_proposal(
                request, obj
            )
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._proposes(request):
            return admin.ModelAdmin.has_delete_permission(self, request, obj) and self._own_proposal(
                request, obj
            )
        return super().has_delete_permission(request, obj)

    def has_approve_permission(self, request):
        return roles.manages_reference_data(request.user)

    def save_model(self, request, obj, form, change):
        if self._proposes(request) and obj.proposed_by_id is None:
            # A coordinator's school is a proposal of their organisation until approved.
            obj.proposed_by = self._own_organizations(request.user).order_by("pk").first()
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Approve the selected schools for every programme"), permissions=["approve"])
    def approve(self, request, queryset):
        count = queryset.filter(proposed_by__isnull=False).update(proposed_by=None)
        self.message_user(
            request,
            ngettext("%(count)d school approved.", "%(count)d schools approved.", count) % {"count": count},
            messages.SUCCESS,
        )
