"""The base every admin class of a programme record uses.

- Rows are limited to the programmes the user may read (`programs_for`).
- Changing, adding and deleting need both the model permission (role group) and a
  programme the user may edit (`editable_programs_for`): a grant officer reads
  everything and changes nothing; a coordinator changes only their organisation's.
- Foreign-key choices are limited the same way, so a coordinator never picks
  another organisation's school list, track or student.
- Fields that point at a user account offer only the accounts the editor may manage
  (`access.manageable_users`): a coordinator never attaches a superuser or another
  organisation's staff to a record of theirs.
- Lookups in the changelist's query string are allowed on most fields, because the
  report links to filtered changelists, but never into password hashes or user
  accounts, never by regular expression (a pattern can run for minutes), never on an
  IIN (it would sit in the address and the access log), and never from shared
  reference data (schools, districts) back down into rows of other organisations:
  such a filter would be an oracle across tenants.
- The search box posts (`PostedSearchMixin`): what was typed — an IIN, a phone — stays
  in the session and the address carries only a random reference to it.
- Officers and the operator read without the personal fields (IIN, phone, birth
  date) and take no row exports (`access.may_export_rows`).
"""

import secrets
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.views.main import IS_FACETS_VAR, SEARCH_VAR, ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import roles
from .access import editable_programs_for, manageable_users, may_export_rows, programs_for
from .models import Organization, Program, School
from .validators import FullYearDateField

# Lookups that run a user-supplied pattern in the database (or in Python, on SQLite).
FORBIDDEN_LOOKUPS = {"regex", "iregex"}
# Fields that identify a person: never in a URL, never shown to read-only roles.
PERSONAL_FIELDS = ("iin", "phone", "birth_date")
# The admin's row exports (birgemiz.registers.admin_integration), not for read-only roles.
ROW_EXPORT_ACTIONS = ("registers_export_selected_xlsx", "registers_export_selected_csv")


def sees_every_programme(user):
    """Superusers and grant officers: their scope is the whole table, so no join to
    the programme is needed to limit it."""
    return user.is_superuser or roles.is_officer(user)


class ProgramListFilter(admin.SimpleListFilter):
    """Filter by programme, offering only the programmes the user may read.

    Replaces `("…program", RelatedOnlyFieldListFilter)`, which lists the programmes
    by a DISTINCT over every row of the table (half a million attendance rows at
    national scale); this one reads the short programme table instead.
    """

    title = _("programme")
    parameter_name = "programme"
    field_path = "program"

    def lookups(self, request, model_admin):
        return [(str(p.pk), p.code) for p in programs_for(request.user).order_by("code")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.field_path}__id": int(self.value())})
        return queryset


def program_list_filter(path):
    return type("ProgramListFilter", (ProgramListFilter,), {"field_path": path})


def resolve_program_id(obj, path):
    """Follow `path` ("group__program") from obj to the programme id; "" is Program itself."""
    if not path:
        return obj.pk
    current = obj
    parts = path.split("__")
    for part in parts[:-1]:
        current = getattr(current, part, None)
        if current is None:
            return None
    last = parts[-1]
    if hasattr(current, f"{last}_id"):
        return getattr(current, f"{last}_id")
    value = getattr(current, last, None)
    if value is None or isinstance(value, int):
        return value
    return value.pk


def editable_ids(request):
    """The ids of the programmes the user may change, read once per request: the
    admin asks every registered model's permissions on each page (sidebar, actions)."""
    cached = getattr(request, "_birgemiz_editable_ids", None)
    if cached is None:
        cached = frozenset(editable_programs_for(request.user).values_list("pk", flat=True))
        request._birgemiz_editable_ids = cached
    return cached


def may_edit_program(request, program_id):
    """May the user change records of this programme (None: a record not tied to
    one yet, allowed when the user may edit any programme)?"""
    ids = editable_ids(request)
    if program_id is None:
        return bool(ids)
    return program_id in ids


def _is_iin_field(name):
    return name.lstrip("^=@").split("__")[-1] == "iin"


def _is_personal_field(name):
    return name.lstrip("^=@").split("__")[-1] in PERSONAL_FIELDS


class SafeLookupsMixin:
    """No regular-expression lookups and no IIN in the address, on any admin."""

    def lookup_allowed(self, lookup, value, request=None):
        if not lookup_has_no_pattern_or_iin(lookup):
            return False
        return super().lookup_allowed(lookup, value, request)


class SearchRefChangeList(ChangeList):
    """Links of the changelist (filters, sorting, pages) carry the search's reference,
    never the searched text."""

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        ref = getattr(request, "_birgemiz_search_ref", None)
        if ref:
            self.params.pop(SEARCH_VAR, None)
            self.filter_params.pop(SEARCH_VAR, None)
            self.params[PostedSearchMixin.REF_VAR] = ref
            self.filter_params[PostedSearchMixin.REF_VAR] = [ref]
            self.remove_facet_link = self.get_query_string(remove=[IS_FACETS_VAR])
            self.add_facet_link = self.get_query_string({IS_FACETS_VAR: True})
            filters = [k for k in self.get_filters_params() if k != PostedSearchMixin.REF_VAR]
            self.clear_all_filters_qs = self.get_query_string(remove=filters)


class PostedSearchMixin:
    """The changelist's search box posts; the text is kept in the session under a random
    reference (`?_sq=…`), so an IIN or a phone number never reaches an address, a
    browser history or an access log. Searches by IIN work only this way."""

    posted_search = True  # read by templates/admin/search_form.html
    REF_VAR = "_sq"
    SESSION_KEY = "birgemiz_admin_searches"
    KEPT = 20

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "_search" in request.POST:
            return self._remember_search(request)
        return super().changelist_view(request, extra_context)

    def get_changelist_instance(self, request):
        # The list (and the spreadsheet export, which builds the same list) reads the
        # text behind `_sq` while it is built; the page's links keep only `_sq`.
        ref = request.GET.get(self.REF_VAR)
        if ref is None:
            return super().get_changelist_instance(request)
        original = request.GET
        params = original.copy()
        del params[self.REF_VAR]
        query = request.session.get(self.SESSION_KEY, {}).get(ref, "")
        if query:
            params[SEARCH_VAR] = query
            request._birgemiz_search_ref = ref
        request.GET = params
        try:
            return super().get_changelist_instance(request)
        finally:
            request.GET = original

    def _remember_search(self, request):
        skip = {SEARCH_VAR, "_search", "csrfmiddlewaretoken", self.REF_VAR}
        params = {k: v for k, v in request.POST.items() if k not in skip}
        query = request.POST.get(SEARCH_VAR, "").strip()
        if query:
            searches = dict(request.session.get(self.SESSION_KEY, {}))
            ref = secrets.token_urlsafe(9)
            searches[ref] = query
            request.session[self.SESSION_KEY] = dict(list(searches.items())[-self.KEPT :])
            params[self.REF_VAR] = ref
        return HttpResponseRedirect(f"{request.path}?{urlencode(params)}" if params else request.path)

    def get_changelist(self, request, **kwargs):
        return SearchRefChangeList

    def get_preserved_filters(self, request):
        # Asked while the list is built (the text is in request.GET then): keep `_sq`.
        preserved = super().get_preserved_filters(request)
        ref = getattr(request, "_birgemiz_search_ref", None)
        if not (preserved and ref and SEARCH_VAR in request.GET):
            return preserved
        params = request.GET.copy()
        del params[SEARCH_VAR]
        params[self.REF_VAR] = ref
        return urlencode({"_changelist_filters": params.urlencode()})

    def get_search_fields(self, request):
        fields = list(super().get_search_fields(request))
        if not getattr(request, "_birgemiz_search_ref", None):
            # A search that came by address (autocomplete, a typed URL): not by IIN.
            fields = [f for f in fields if not _is_iin_field(f)]
        if roles.only_reads(request.user):
            fields = [f for f in fields if not _is_personal_field(f)]
        return fields


# Every typed date of the admin has a four-digit year (birgemiz.validators).
DATE_OVERRIDES = {models.DateField: {"form_class": FullYearDateField}}


class ProgramScopedAdmin(PostedSearchMixin, SafeLookupsMixin, admin.ModelAdmin):
    # Lookup path from the model to its Program ("program", "group__program", …);
    # "" for Program itself.
    program_path = "program"
    formfield_overrides = DATE_OVERRIDES
    list_per_page = 50
    show_full_result_count = False

    # ------------------------------------------------------------ scope

    def scope_filter(self, programs):
        if not self.program_path:
            return {"pk__in": programs.values("pk")}
        return {f"{self.program_path}__in": programs.values("pk")}

    def get_queryset(self, request):
        # A select_related set here replaces list_select_related in the changelist
        # (Django applies it only to a queryset without one); subclasses that add
        # one for autocomplete pass `*self.list_select_related`.
        qs = super().get_queryset(request)
        if sees_every_programme(request.user) and self._every_row_has_a_programme():
            return qs
        return qs.filter(**self.scope_filter(programs_for(request.user)))

    def _every_row_has_a_programme(self):
        """True when no foreign key on the path to the programme can be empty, so
        "every programme" means "every row" (rows tied to none stay hidden)."""
        model = self.model
        for name in filter(None, self.program_path.split("__")):
            field = model._meta.get_field(name)
            if field.null:
                return False
            model = field.related_model
        return True

    def get_list_filter(self, request):
        # The programme filter reads the programme table, never the rows (see ProgramListFilter).
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, tuple) and item[0] == (self.program_path or "pk"):
                item = program_list_filter(item[0])
            filters.append(item)
        return filters

    def program_id_of(self, obj):
        if not self.program_path:
            return obj.pk
        return resolve_program_id(obj, self.program_path)

    def _may_edit(self, request, obj):
        # A new row not yet tied to a programme counts as editable when any programme is.
        return may_edit_program(request, None if obj is None else self.program_id_of(obj))

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self._may_edit(request, None)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def lookup_allowed(self, lookup, value, request=None):
        return lookup_is_safe(self.model, lookup)

    def editable_programs(self, request):
        return editable_programs_for(request.user)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            keep_current_accounts(form, obj)
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = choices_for(db_field.related_model, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = choices_for(db_field.related_model, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # ------------------------------------------------------------ read-only roles

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not roles.only_reads(request.user):
            return fieldsets
        return [(name, {**opts, "fields": _without_personal(opts["fields"])}) for name, opts in fieldsets]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if roles.only_reads(request.user):
            names = {f.name for f in self.model._meta.get_fields()}
            exclude += [f for f in PERSONAL_FIELDS if f in names]
        return exclude or None

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if roles.only_reads(request.user):
            return [f for f in shown if not (isinstance(f, str) and _is_personal_field(f))]
        return shown

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not may_export_rows(request.user):
            for name in ROW_EXPORT_ACTIONS:
                actions.pop(name, None)
        return actions

    def save_model(self, request, obj, form, change):
        program_id = self.program_id_of(obj)
        if program_id is not None and not may_edit_program(request, program_id):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


def _without_personal(fields):
    kept = []
    for item in fields:
        if isinstance(item, (list, tuple)):
            item = tuple(f for f in item if not _is_personal_field(f))
            if item:
                kept.append(item)
        elif not _is_personal_field(item):
            kept.append(item)
    return kept


def keep_current_accounts(form, obj):
    """An account already attached stays a choice (saving the form must not detach a
    user the editor could not have picked); no other account is added."""
    from django.db.models import Q

    user_model = get_user_model()
    for name, field in form.base_fields.items():
        queryset = getattr(field, "queryset", None)
        if queryset is None or queryset.model is not user_model:
            continue
        model_field = obj._meta.get_field(name)
        if model_field.many_to_many:
            current = list(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
        else:
            current = [getattr(obj, model_field.attname)] if getattr(obj, model_field.attname) else []
        if current:
            field.queryset = user_model._default_manager.filter(
                Q(pk__in=queryset.values("pk")) | Q(pk__in=current)
            )


def choices_for(related, user):
    """The rows a form field pointing at `related` may offer to `user`, or None to leave
    the field's own queryset: accounts the user may manage, the programmes they may
    edit (and those programmes' rows), approved schools and their own proposals."""
    if related is get_user_model():
        return manageable_users(user)
    editable = editable_programs_for(user)
    if related is Program:
        return editable
    if related is School:
        return School.objects.usable_by(Organization.objects.filter(programs__in=editable).values("pk"))
    path = scope_path_for(related)
    if path is None:
        return None
    return related._default_manager.filter(**{f"{path}__in": editable.values("pk")})


class ScopedInline:
    """Mixin for inlines: same permission and choice rules as the parent admin."""

    program_path = "program"
    formfield_overrides = DATE_OVERRIDES

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = choices_for(db_field.related_model, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = choices_for(db_field.related_model, request.user)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _may_edit(self, request, obj):
        # obj is the parent; None on the parent's add page.
        program_id = None if obj is None else resolve_program_id(obj, self.parent_program_path)
        return may_edit_program(request, program_id)

    # The parent object's path to Program (the admin passes the parent to inlines).
    parent_program_path = "program"

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)


# Fields of a user account that a changelist filter may reach (never the password hash).
USER_LOOKUP_FIELDS = {"id", "pk", "username", "first_name", "last_name"}


def lookup_has_no_pattern_or_iin(lookup):
    parts = lookup.split("__")
    return not (FORBIDDEN_LOOKUPS & set(parts)) and "iin" not in parts


def lookup_is_safe(model, lookup):
    """May a changelist be filtered by `lookup` ("group__track__code__iexact")?"""
    from django.core.exceptions import FieldDoesNotExist

    if not lookup_has_no_pattern_or_iin(lookup):
        return False
    user_model = get_user_model()
    current = model
    for part in lookup.split("__"):
        if current is user_model and part not in USER_LOOKUP_FIELDS:
            return False
        if part == "password":
            return False
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return True  # a lookup ("exact", "in", "isnull"): the path ends here
        if not field.is_relation:
            continue
        backwards = field.auto_created and not field.concrete
        if backwards and current is not Program and scope_path_for(current) is None:
            # From shared reference data back to rows: other organisations' rows.
            return False
        current = field.related_model
    return True


# How to reach Program from models that foreign keys point at. Apps extend this
# with `register_scope(Model, "path")`; models with a `program` field need nothing.
_SCOPE_PATHS = {}


def register_scope(model, path):
    _SCOPE_PATHS[model] = path


def scope_path_for(model):
    """The lookup path from `model` to Program, or None for shared reference data
    (regions, districts, schools, users)."""
    if model in _SCOPE_PATHS:
        return _SCOPE_PATHS[model]
    if model is Program:
        return "pk"
    field_names = {f.name for f in model._meta.get_fields()}
    if "program" in field_names:
        return "program"
    return None


class AuditLinkMixin:
    """Adds a read-only "audit trail" link to the change page of an audited model."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk and "audit_trail" not in fields:
            fields.append("audit_trail")
        return fields

    @admin.display(description=_("audit trail"))
    def audit_trail(self, obj):
        if obj is None or not obj.pk:
            return "—"
        url = reverse("admin:birgemiz_auditentry_changelist")
        query = urlencode({"model": obj._meta.label_lower, "object_id": obj.pk})
        return format_html('<a href="{}?{}">{}</a>', url, query, _("Who changed this record and when"))


def autocomplete_if_registered(model_admin, names):
    """Autocomplete for foreign keys whose target admin (maybe another app's) is
    registered with search fields; a plain select otherwise, so a missing admin
    never breaks the system checks."""
    site = model_admin.admin_site
    result = []
    for name in names:
        related = model_admin.model._meta.get_field(name).related_model
        if site.is_registered(related) and site.get_model_admin(related).search_fields:
            result.append(name)
    return result
