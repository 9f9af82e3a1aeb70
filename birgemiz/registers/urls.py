"""Admin pages of the registers, mounted at /admin/registers/ (before the admin's own
catch-all) and wrapped in `admin.site.admin_view` for the staff login."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "registers"


def _admin(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("", _admin(views.index), name="index"),
    path("jobs/<int:pk>/", _admin(views.job_detail), name="job"),
    path("jobs/<int:pk>/confirm/", _admin(views.job_confirm), name="job-confirm"),
    path("jobs/<int:pk>/cancel/", _admin(views.job_cancel_view), name="job-cancel"),
    path("jobs/<int:pk>/errors.csv", _admin(views.job_errors_csv), name="job-errors"),
    path("model/<slug:app_label>/<slug:model_name>/import/", _admin(views.model_import), name="model-import"),
    path(
        "model/<slug:app_label>/<slug:model_name>/template/",
        _admin(views.model_template),
        name="model-template",
    ),
    path(
        "model/<slug:app_label>/<slug:model_name>/export/",
        _admin(views.changelist_export),
        name="changelist-export",
    ),
    path("<slug:name>/import/", _admin(views.import_start), name="import"),
    path("<slug:name>/export/", _admin(views.export), name="export"),
    path("<slug:name>/template/", _admin(views.template), name="template"),
]
