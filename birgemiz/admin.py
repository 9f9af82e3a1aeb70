"""The coordinators' back office for the programme core.

Every programme record goes through `ProgramScopedAdmin` (rows and choices limited
to the user's programmes, officers read-only). Regions, districts and schools are
shared reference data kept by the operator (`admin_geography`); the security policy
and the hardened admins of accounts are in `admin_accounts`.
"""

import json

from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext, pgettext_lazy

from . import admin_accounts, admin_geography, roles  # noqa: F401  (their admins register on import)
from .access import manageable_users
from .admin_base import (
    AuditLinkMixin,
    PostedSearchMixin,
    ProgramScopedAdmin,
    SafeLookupsMixin,
    ScopedInline,
    keep_current_accounts,
    register_scope,
)
from .admin_filters import KazakhRelatedOnlyFilter
from .metric_registry import metric_choices
from .models import (
    Activity,
    AuditEntry,
    Evidence,
    Indicator,
    InfoWorkGroup,
    InfoWorkPlan,
    Meeting,
    Narrative,
    Organization,
    Partner,
    Program,
    ProjectProposal,
    Publication,
    SocioEconomicIndicator,
    StateRecommendation,
    Subject,
    Task,
    Track,
)

register_scope(Activity, "task__program")
register_scope(Indicator, "activity__task__program")
register_scope(InfoWorkPlan, "group__program")
register_scope(Subject, "track__program")

# Choices in Kazakh alphabetical order (birgemiz.admin_filters).
RelatedOnly = KazakhRelatedOnlyFilter

# Django admin's breadcrumb, also used by the admin pages of the registers and courses:
# the core catalogue is in LOCALE_PATHS, so its translation wins over django.contrib.admin's
# and every admin page reads the same word.
gettext_noop("Home")


# ---------------------------------------------------------------- grantee and programme


@admin.register(Organization)
class OrganizationAdmin(PostedSearchMixin, SafeLookupsMixin, admin.ModelAdmin):
    """A coordinator sees and edits their own organisation's details; the operator (and
    superusers) add organisations and choose who coordinates them, among the accounts
    they may manage (`access.manageable_users`: never a superuser, officer or operator)."""

    list_display = ["name_kk", "name_ru", "chair_name", "email", "phone"]
    search_fields = ["name_kk", "name_ru", "chair_name"]
    filter_horizontal = ["members"]

    @staticmethod
    def _manages(user):
        return user.is_superuser or roles.is_operator(user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        if roles.reads_every_programme(user):
            return qs
        return qs.filter(members=user)

    def get_readonly_fields(self, request, obj=None):
        return [] if self._manages(request.user) else ["members"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = manageable_users(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            keep_current_accounts(form, obj)
        return form

    def has_add_permission(self, request):
        return self._manages(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if self._manages(request.user) or obj is None:
            return True
        return obj.members.filter(pk=request.user.pk).exists()

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class NarrativeInline(ScopedInline, admin.StackedInline):
    model = Narrative
    parent_program_path = ""
    extra = 0
    fields = ["key", "text_kk", "text_ru"]


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdmin):
    program_path = ""
    list_display = ["code", "title_kk", "organization", "region", "start", "end", "status"]
    list_filter = ["status", ("organization", RelatedOnly), ("region", RelatedOnly)]
    list_select_related = ["organization", "region"]
    search_fields = ["code", "title_kk", "title_ru"]
    date_hierarchy = "start"
    inlines = [NarrativeInline]
    fieldsets = [
        (None, {"fields": ["organization", "code", "status"]}),
        (_("Grant"), {"fields": [
            "title_kk", "title_ru", "topic_kk", "topic_ru", "grant_amount",
            "operator_kk", "operator_ru", "goal_kk", "goal_ru",
        ]}),
        (_("Period and place"), {"fields": ["start", "end", "report_date", "region"]}),
        (_("Plan"), {"fields": ["planned_beneficiaries", "planned_volunteers"]}),
    ]

    def has_add_permission(self, request):
        # A coordinator may start a programme for their own organisation even before
        # it has any programme to edit.
        user = request.user
        if not admin.ModelAdmin.has_add_permission(self, request):
            return False
        return user.is_superuser or Organization.objects.filter(members=user).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and not request.user.is_superuser:
            kwargs["queryset"] = Organization.objects.filter(members=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            # A new programme is checked by its organisation, not by an existing id.
            user = request.user
            if not (user.is_superuser or obj.organization.members.filter(pk=user.pk).exists()):
                raise PermissionDenied
            obj.save()
            return
        super().save_model(request, obj, form, change)


@admin.register(Narrative)
class NarrativeAdmin(ProgramScopedAdmin):
    list_display = ["program", "key", "short_text"]
    list_filter = ["key", ("program", RelatedOnly)]
    list_select_related = ["program"]
    search_fields = ["text_kk", "text_ru"]

    @admin.display(description=_("text"))
    def short_text(self, obj):
        text = obj.text()
        return text[:120] + ("…" if len(text) > 120 else "")


# ---------------------------------------------------------------- plan: tasks, activities, indicators


class MetricChoiceForm(forms.ModelForm):
    """The metric is picked from the registry instead of typed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name_kk", "name_ru"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(rows=2)

    metric = forms.ChoiceField(
        label=_("metric"),
        choices=metric_choices,
        required=False,
        help_text=_("Named metric that computes the fact from records; empty to type the fact."),
    )


class ActivityInline(ScopedInline, admin.TabularInline):
    model = Activity
    parent_program_path = "program"
    extra = 0
    fields = ["number", "title_kk", "start", "end", "completeness_percent"]
    show_change_link = True


@admin.register(Task)
class TaskAdmin(ProgramScopedAdmin):
    list_display = ["number", "title_kk", "program", "activity_count"]
    list_display_links = ["number", "title_kk"]
    list_filter = [("program", RelatedOnly)]
    list_select_related = ["program"]
    search_fields = ["title_kk", "title_ru"]
    inlines = [ActivityInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_activities=Count("activities"))

    @admin.display(description=_("activities"), ordering="_activities")
    def activity_count(self, obj):
        return obj._activities


class IndicatorInline(ScopedInline, admin.StackedInline):
    model = Indicator
    form = MetricChoiceForm
    parent_program_path = "task__program"
    extra = 0
    fields = [
        ("order", "unit"),
        ("name_kk", "name_ru"),
        ("comparator", "target_value", "target_text_kk", "target_text_ru"),
        "per",
        ("fact_value", "fact_text", "fact_text_ru"),
        ("metric", "metric_param"),
    ]
    show_change_link = True


@admin.register(Activity)
class ActivityAdmin(ProgramScopedAdmin):
    program_path = "task__program"
    list_display = ["label", "title_short", "task", "start", "end", "completeness_percent", "program_code"]
    list_display_links = ["label", "title_short"]
    list_filter = [("task__program", RelatedOnly), ("task", RelatedOnly)]
    list_select_related = ["task", "task__program"]
    search_fields = ["title_kk", "title_ru", "place"]
    date_hierarchy = "start"
    autocomplete_fields = ["task"]
    inlines = [IndicatorInline]
    # Every text the report prints, its Kazakh and Russian side by side.
    fieldsets = [
        (None, {"fields": ["task", "number", ("title_kk", "title_ru"), "appendix_number"]}),
        (_("When and where"), {"fields": [
            ("period_kk", "period_ru"), ("start", "end"), ("place", "place_ru"),
        ]}),
        (_("Participants"), {"fields": [
            ("participants_metric", "participants_typed"),
            ("participant_category_kk", "participant_category_ru"),
            ("experts", "experts_ru"),
        ]}),
        (_("Completeness and results"), {"fields": [
            "completeness_percent", ("summary_kk", "summary_ru"), ("result_kk", "result_ru"),
        ]}),
        (_("Narrative"), {"fields": [("narrative_kk", "narrative_ru")]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "participants_metric" in form.base_fields:
            form.base_fields["participants_metric"] = forms.ChoiceField(
                label=_("participants metric"),
                choices=metric_choices,
                required=False,
                help_text=Activity._meta.get_field("participants_metric").help_text,
            )
        return form

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=pgettext_lazy("sequence number", "number"), ordering="number")
    def label(self, obj):
        return f"{obj.task.number}.{obj.number}"

    @admin.display(description=_("title"))
    def title_short(self, obj):
        return obj.title[:100]

    @admin.display(description=_("programme"), ordering="task__program__code")
    def program_code(self, obj):
        return obj.task.program.code


@admin.register(Indicator)
class IndicatorAdmin(AuditLinkMixin, ProgramScopedAdmin):
    program_path = "activity__task__program"
    form = MetricChoiceForm
    list_display = ["name_short", "activity", "plan", "fact_value", "metric", "program_code"]
    list_filter = ["comparator", ("activity__task__program", RelatedOnly), ("activity__task", RelatedOnly)]
    list_select_related = ["activity", "activity__task", "activity__task__program"]
    search_fields = ["name_kk", "name_ru", "metric"]
    autocomplete_fields = ["activity"]

    @admin.display(description=_("name"))
    def name_short(self, obj):
        return obj.name[:100]

    @admin.display(description=_("plan"))
    def plan(self, obj):
        return obj.plan_display()

    @admin.display(description=_("programme"), ordering="activity__task__program__code")
    def program_code(self, obj):
        return obj.activity.task.program.code


# ---------------------------------------------------------------- tracks and subjects


class SubjectInline(ScopedInline, admin.TabularInline):
    model = Subject
    parent_program_path = "program"
    extra = 0
    fields = ["order", "name_kk", "name_ru"]


@admin.register(Track)
class TrackAdmin(ProgramScopedAdmin):
    list_display = [
        "order", "name_kk", "code", "planned_hours", "planned_students", "planned_volunteers", "program"
    ]
    list_display_links = ["order", "name_kk"]
    list_filter = [("program", RelatedOnly)]
    list_select_related = ["program"]
    search_fields = ["name_kk", "name_ru", "code"]
    autocomplete_fields = ["activity"]
    inlines = [SubjectInline]


@admin.register(Subject)
class SubjectAdmin(ProgramScopedAdmin):
    program_path = "track__program"
    list_display = ["name_kk", "name_ru", "track", "order", "program_code"]
    list_filter = [("track", RelatedOnly), ("track__program", RelatedOnly)]
    list_select_related = ["track", "track__program"]
    search_fields = ["name_kk", "name_ru"]

    @admin.display(description=_("programme"), ordering="track__program__code")
    def program_code(self, obj):
        return obj.track.program.code


# ---------------------------------------------------------------- outreach and media


@admin.register(Meeting)
class MeetingAdmin(ProgramScopedAdmin):
    list_display = ["date", "place", "district", "audience", "participants", "has_protocol", "program"]
    list_filter = [
        "has_protocol", "has_participant_list", ("district", RelatedOnly), ("program", RelatedOnly)
    ]
    list_select_related = ["district", "program"]
    search_fields = ["place", "audience"]
    date_hierarchy = "date"
    autocomplete_fields = ["activity", "district"]


class InfoWorkPlanInline(ScopedInline, admin.TabularInline):
    model = InfoWorkPlan
    parent_program_path = "program"
    extra = 0
    fields = ["kind", "label_kk", "label_ru", "plan_text_kk", "plan_text_ru", "plan_value"]


@admin.register(InfoWorkGroup)
class InfoWorkGroupAdmin(ProgramScopedAdmin):
    list_display = ["number", "title_kk", "program"]
    list_display_links = ["number", "title_kk"]
    list_filter = [("program", RelatedOnly)]
    list_select_related = ["program"]
    search_fields = ["title_kk", "title_ru"]
    inlines = [InfoWorkPlanInline]


@admin.register(InfoWorkPlan)
class InfoWorkPlanAdmin(ProgramScopedAdmin):
    program_path = "group__program"
    list_display = ["label_kk", "group", "kind", "plan_value", "program_code"]
    list_filter = ["kind", ("group__program", RelatedOnly)]
    list_select_related = ["group", "group__program"]
    search_fields = ["label_kk", "label_ru"]

    @admin.display(description=_("programme"), ordering="group__program__code")
    def program_code(self, obj):
        return obj.group.program.code


@admin.register(Publication)
class PublicationAdmin(ProgramScopedAdmin):
    list_display = ["date", "kind", "outlet", "title", "language", "views", "link", "program"]
    list_display_links = ["date", "title"]
    list_filter = ["kind", "language", ("group", RelatedOnly), ("program", RelatedOnly)]
    list_select_related = ["program"]
    search_fields = ["title", "title_ru", "outlet", "url"]
    date_hierarchy = "date"
    autocomplete_fields = ["activity"]
    fieldsets = [
        (None, {"fields": ["program", ("kind", "language"), ("outlet", "outlet_ru"), ("title", "title_ru")]}),
        (_("Where and when"), {"fields": [("date", "views"), "url", ("group", "activity")]}),
    ]

    @admin.display(description=_("URL"))
    def link(self, obj):
        if not obj.url:
            return "—"
        return format_html('<a href="{}" rel="noopener noreferrer" target="_blank">↗</a>', obj.url)


@admin.register(Partner)
class PartnerAdmin(ProgramScopedAdmin):
    list_display = ["order", "name", "role", "contact", "program"]
    list_display_links = ["order", "name"]
    list_filter = [("program", RelatedOnly)]
    list_select_related = ["program"]
    search_fields = ["name", "name_ru", "role", "role_ru", "contact"]
    fields = ["program", ("order", "contact"), ("name", "name_ru"), ("role", "role_ru"), ("note", "note_ru")]


@admin.register(SocioEconomicIndicator)
class SocioEconomicIndicatorAdmin(AuditLinkMixin, ProgramScopedAdmin):
    form = MetricChoiceForm
    list_display = ["number", "name_kk", "unit_kk", "plan_value", "fact_value", "metric", "program"]
    list_display_links = ["number", "name_kk"]
    list_filter = [("program", RelatedOnly)]
    list_select_related = ["program"]
    search_fields = ["name_kk", "name_ru"]


@admin.register(ProjectProposal)
class ProjectProposalAdmin(ProgramScopedAdmin):
    list_display = ["number", "title", "amount", "grant_direction", "program"]
    list_display_links = ["number", "title"]
    list_filter = [("program", RelatedOnly)]
    list_select_related = ["program"]
    search_fields = ["title", "title_ru", "summary", "summary_ru"]
    fields = [
        "program",
        ("number", "grant_direction"),
        ("title", "title_ru"),
        ("justification", "justification_ru"),
        ("goal", "goal_ru"),
        ("tasks", "tasks_ru"),
        ("summary", "summary_ru"),
        ("amount", "amount_ru"),
        ("place", "place_ru"),
        ("expected_results", "expected_results_ru"),
    ]


@admin.register(StateRecommendation)
class StateRecommendationAdmin(ProgramScopedAdmin):
    list_display = ["body", "letter_number", "letter_date", "program"]
    list_filter = [("program", RelatedOnly)]
    list_select_related = ["program"]
    search_fields = ["body", "body_ru", "text", "text_ru", "letter_number"]
    date_hierarchy = "letter_date"
    fields = ["program", ("body", "body_ru"), ("text", "text_ru"), ("letter_number", "letter_date")]


# ---------------------------------------------------------------- evidence


class ScopedFileInput(forms.ClearableFileInput):
    """Never renders the stored file's URL: the download link goes through the
    scoped view (see `EvidenceAdmin.download`)."""

    def is_initial(self, value):
        return False


@admin.register(Evidence)
class EvidenceAdmin(ProgramScopedAdmin):
    list_display = [
        "title", "kind", "activity", "meeting", "download", "uploaded_by", "created_at", "program"
    ]
    list_filter = ["kind", ("program", RelatedOnly)]
    list_select_related = ["activity", "activity__task", "meeting", "uploaded_by", "program"]
    search_fields = ["title", "title_ru"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["activity", "meeting"]
    fields = [
        "program", ("kind", "date"), ("title", "title_ru"), "activity", "meeting", "file", "download",
        "uploaded_by",
    ]
    readonly_fields = ["download", "uploaded_by"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            kwargs["widget"] = ScopedFileInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=pgettext_lazy("file link", "download"))
    def download(self, obj):
        if obj is None or not obj.pk or not obj.file:
            return "—"
        url = reverse("evidence-download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


# ---------------------------------------------------------------- audit trail


def _field_label(model_label, field):
    """A changed field as people read it (its verbose name), not its code name."""
    if field == "note":
        return pgettext("audit entry", "note")
    try:
        return capfirst(apps.get_model(model_label)._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist, AttributeError):
        return field


@admin.register(AuditEntry)
class AuditEntryAdmin(ProgramScopedAdmin):
    """Read-only for everyone. Entries without a programme (shell, reference data)
    are shown to superusers only."""

    list_display = ["at", "user", "action", "model", "object_repr", "source", "program"]
    list_filter = ["action", "model", "source", ("program", RelatedOnly), ("user", RelatedOnly)]
    list_select_related = ["user", "program"]
    search_fields = ["object_repr", "object_id", "user__username", "model"]
    date_hierarchy = "at"
    fields = [
        "at", "user", "program", "action", "model", "object_id", "object_repr", "source", "changes_table"
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        if request.user.is_superuser:
            return admin.ModelAdmin.get_queryset(self, request)
        return super().get_queryset(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("changes"))
    def changes_table(self, obj):
        if not obj.changes:
            return "—"
        rows = []
        for field, value in sorted(obj.changes.items()):
            before, after = value if isinstance(value, list) and len(value) == 2 else ("", value)
            rows.append(
                (
                    _field_label(obj.model, field),
                    json.dumps(before, ensure_ascii=False),
                    json.dumps(after, ensure_ascii=False),
                )
            )
        header = format_html(
            "<thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>",
            _("field"),
            _("before"),
            _("after"),
        )
        body = format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows)
        return format_html("<table>{}<tbody>{}</tbody></table>", header, body)
