from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender, using="default", **kwargs):
    """`migrate` creates the database cache's table (a no-op when the cache is elsewhere)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class JobsConfig(AppConfig):
    """Background jobs: their model, status page, worker heartbeat and /healthz (core)."""

    name = "birgemiz.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="birgemiz-jobs-cache-table")
