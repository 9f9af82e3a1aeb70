from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """The spreadsheet registers engine: its import jobs, admin pages and catalogue.

    Part of the core (it imports no domain app); each app registers its own
    resources from its AppConfig.ready()."""

    name = "birgemiz.registers"
    label = "registers"
    verbose_name = _("Spreadsheet registers")

    def ready(self):
        from . import (
            admin_integration,  # noqa: F401  (import / export buttons on every changelist)
            jobs,  # noqa: F401  (the import's kind of background job)
        )
