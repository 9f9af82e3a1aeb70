from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        # Spreadsheet registers, and the open surveys on the public home page.
        from . import home, resources  # noqa: F401
