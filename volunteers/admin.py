from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from birgemiz.admin_base import ProgramScopedAdmin, ScopedInline, register_scope

from .models import (
    ActivationToken,
    ApplicationScore,
    Award,
    Certificate,
    CouncilMeeting,
    CouncilMember,
    SelectionCriterion,
    Trainer,
    TrainingEvent,
    Volunteer,
    VolunteerApplication,
)

register_scope(ApplicationScore, "application__program")
register_scope(ActivationToken, "volunteer__program")


@admin.register(Volunteer)
class VolunteerAdmin(ProgramScopedAdmin):
    list_display = ["name", "email", "track", "district", "status", "program"]
    list_filter = ["status", "track", "district", "program"]
    list_select_related = ["track", "district", "program"]
    search_fields = ["last_name", "first_name", "email", "iin"]

    @admin.display(description=_("full name"), ordering="last_name")
    def name(self, obj):
        return obj.full_name


@admin.register(SelectionCriterion)
class SelectionCriterionAdmin(ProgramScopedAdmin):
    list_display = ["name_kk", "name_ru", "order", "program"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["name_kk", "name_ru"]


@admin.register(CouncilMember)
class CouncilMemberAdmin(ProgramScopedAdmin):
    list_display = ["full_name", "role", "workplace_position", "user", "program"]
    list_filter = ["role", "program"]
    list_select_related = ["user", "program"]
    search_fields = ["full_name", "workplace_position"]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(ProgramScopedAdmin):
    list_display = ["number", "date", "program"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["agenda", "decisions"]
    filter_horizontal = ["attendees"]


class ApplicationScoreInline(ScopedInline, admin.TabularInline):
    model = ApplicationScore
    fields = ["member", "criterion", "score"]
    extra = 0


@admin.register(VolunteerApplication)
class VolunteerApplicationAdmin(ProgramScopedAdmin):
    list_display = ["__str__", "email", "track", "district", "decision", "decided_at", "created_at"]
    list_filter = ["decision", "track", "district", "program"]
    list_select_related = ["track", "district", "decided_at"]
    search_fields = ["last_name", "first_name", "email", "iin"]
    # Decisions go through the meeting page, which creates the volunteer and account.
    readonly_fields = ["decision", "decided_at", "volunteer"]
    inlines = [ApplicationScoreInline]


@admin.register(ApplicationScore)
class ApplicationScoreAdmin(ProgramScopedAdmin):
    # Newest first by primary key: no sort through joins over big tables.
    ordering = ["-id"]
    program_path = "application__program"
    list_display = ["application", "member", "criterion", "score"]
    list_filter = ["criterion", "member"]
    list_select_related = ["application", "member", "criterion"]
    search_fields = ["application__last_name", "member__full_name"]
    autocomplete_fields = ["application", "member", "criterion"]


@admin.register(Trainer)
class TrainerAdmin(ProgramScopedAdmin):
    list_display = ["full_name", "workplace_position", "program"]
    list_filter = ["program"]
    list_select_related = ["program"]
    search_fields = ["full_name", "workplace_position"]
    filter_horizontal = ["tracks"]


@admin.register(TrainingEvent)
class TrainingEventAdmin(ProgramScopedAdmin):
    list_display = ["date", "title", "track", "trainer", "program"]
    list_filter = ["track", "program"]
    list_select_related = ["track", "trainer", "program"]
    search_fields = ["title"]
    autocomplete_fields = ["trainer", "attendees"]


@admin.register(Award)
class AwardAdmin(ProgramScopedAdmin):
    list_display = ["volunteer", "title", "awarded_on", "meeting", "certificate_code"]
    list_filter = ["program", "meeting"]
    list_select_related = ["volunteer", "meeting"]
    search_fields = ["volunteer__last_name", "title", "certificate_code"]
    autocomplete_fields = ["volunteer"]


@admin.register(Certificate)
class CertificateAdmin(ProgramScopedAdmin):
    list_display = ["code", "volunteer", "kind", "language", "issued_on", "verify_link"]
    list_filter = ["kind", "language", "program"]
    list_select_related = ["volunteer"]
    search_fields = ["code", "volunteer__last_name"]
    autocomplete_fields = ["volunteer", "award"]

    @admin.display(description=_("verification page"))
    def verify_link(self, obj):
        return f"/verify/{obj.code}/"


@admin.register(ActivationToken)
class ActivationTokenAdmin(ProgramScopedAdmin):
    """Links are issued by the council meeting page (selecting an application, «Make a
    new link») and never edited: a wrong or leaked one is revoked and a new one made.
    Only the hash of each link's secret is stored, so none can be shown again here."""

    program_path = "volunteer__program"
    list_display = ["volunteer", "user", "created_at", "expires_at", "used_at", "created_by", "state"]
    list_filter = [("used_at", admin.EmptyFieldListFilter)]
    list_select_related = ["volunteer", "user", "created_by"]
    search_fields = ["volunteer__last_name", "volunteer__first_name"]
    fields = ["volunteer", "user", "created_at", "expires_at", "used_at", "created_by"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return super().has_change_permission(request)

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.used_at:
            return _("used")
        return _("valid") if obj.is_usable() else _("expired or revoked")

    @admin.action(description=_("Revoke the selected links"), permissions=["revoke"])
    def revoke(self, request, queryset):
        now = timezone.now()
        mine = queryset.filter(
            volunteer__program__in=self.editable_programs(request), used_at__isnull=True, expires_at__gt=now
        )
        count = mine.update(expires_at=now, updated_at=now)
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
