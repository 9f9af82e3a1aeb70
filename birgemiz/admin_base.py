"""The base every admin class of a programme record uses.

- Rows are limited to the programmes the user may read (`programs_for`).
- Changing, adding and deleting need both the model permission (role group) and a
  programme the user may edit (`editable_programs_for`): a grant officer reads
  everything and changes nothing; a coordinator changes only their organisation's.
- Foreign-key choices are limited the same way, so a coordinator never picks
  another organisation's school list, track or student.
- Lookups in the changelist's query string are allowed on most fields, because the
  report links to filtered changelists, but never into password hashes or user
  accounts, and never from shared reference data (schools, districts) back down
  into rows of other organisations: such a filter would be an oracle across tenants.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import roles
from .access import editable_programs_for, programs_for
from .models import Program


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


class ProgramScopedAdmin(admin.ModelAdmin):
    # Lookup path from the model to its Program ("program", "group__program", …);
    # "" for Program itself.
    program_path = "program"
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        editable = editable_programs_for(request.user)
        if related is Program:
            kwargs["queryset"] = editable
        else:
            path = scope_path_for(related)
            if path is not None:
                kwargs["queryset"] = related._default_manager.filter(
                    **{f"{path}__in": editable.values("pk")}
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.related_model
        path = scope_path_for(related)
        if path is not None:
            editable = editable_programs_for(request.user)
            kwargs["queryset"] = related._default_manager.filter(
                **{f"{path}__in": editable.values("pk")}
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        program_id = self.program_id_of(obj)
        if program_id is not None and not may_edit_program(request, program_id):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class ScopedInline:
    """Mixin for inlines: same permission and choice rules as the parent admin."""

    program_path = "program"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        path = scope_path_for(related)
        if path is not None:
            editable = editable_programs_for(request.user)
            kwargs["queryset"] = related._default_manager.filter(
                **{f"{path}__in": editable.values("pk")}
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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


def lookup_is_safe(model, lookup):
    """May a changelist be filtered by `lookup` ("group__track__code__iexact")?"""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import FieldDoesNotExist

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
