from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BirgemizConfig(AppConfig):
    name = "birgemiz"
    verbose_name = _("Programme")

    def ready(self):
        from .permissions import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="birgemiz-role-permissions")
        from . import resources  # noqa: F401  (spreadsheet registers and their admin integration)
        from .admin_accounts import harden_every_admin

        # Every admin is registered by now (django.contrib.admin autodiscovers first).
        harden_every_admin()
