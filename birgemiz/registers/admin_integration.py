"""Hook the registers into the admin without touching any ModelAdmin:

- "export the selected rows" actions on every changelist (`admin.site.add_action`);
- `register_models`, `can_import_registers` and `can_export_registers` in every admin
  page's context, read by the `templates/admin/change_list.html` override to show
  Import / Template / Export (row exports carry IINs and phones: only for those who
  may take them, `access.may_export_rows`).
"""

import functools

from django.contrib import admin

from birgemiz import registers
from birgemiz.access import editable_programs_for, may_export_rows
from birgemiz.roles import is_officer

from . import views

_installed = False


def _can_import(user):
    return (user.is_superuser or not is_officer(user)) and editable_programs_for(user).exists()


def install(site=admin.site):
    global _installed
    if _installed:
        return
    _installed = True
    site.add_action(views.export_selected_xlsx, "registers_export_selected_xlsx")
    site.add_action(views.export_selected_csv, "registers_export_selected_csv")
    original = site.each_context

    def each_context(request):
        context = original(request)
        context["register_models"] = _register_models()
        user = request.user
        # Evaluated by the template only on changelists of register models.
        context["can_import_registers"] = lambda: _can_import(user)
        context["can_export_registers"] = lambda: may_export_rows(user)
        return context

    each_context.without_registers = original  # for the benchmark beside it (bench_pages)
    site.each_context = each_context


@functools.cache
def _register_models():
    # Registers are all known once the apps are ready: the set is built once, not per page.
    return frozenset(r._meta.model._meta.label_lower for r in registers.all_registers())


install()
