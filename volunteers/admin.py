from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
    list_display = ["full_name", "email", "track", "district", "status", "program"]
    list_filter = ["status", "track", "district", "program"]
    list_select_related = ["track", "district", "program"]
    search_fields = ["last_name", "first_name", "email", "iin"]
    raw_id_fields = ["user"]


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
    raw_id_fields = ["user"]


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
    program_path = "volunteer__program"
    list_display = ["volunteer", "expires_at", "used_at", "created_by"]
    list_filter = ["used_at"]
    list_select_related = ["volunteer", "created_by"]
    search_fields = ["volunteer__last_name"]
    raw_id_fields = ["user", "created_by"]
    autocomplete_fields = ["volunteer"]
    readonly_fields = ["token", "used_at"]
