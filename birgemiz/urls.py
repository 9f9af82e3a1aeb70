from django.contrib import admin
from django.urls import include, path

from . import views
from .jobs.health import healthz

admin.site.site_header = "Birgemiz"
admin.site.site_title = "Birgemiz"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/registers/", include("birgemiz.registers.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("birgemiz.accounts")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("healthz", healthz, name="healthz"),
    path("", include("birgemiz.jobs.urls")),
    path("", include("courses.urls")),
    path("", include("volunteers.urls")),
    path("", include("assessments.urls")),
    path("", include("surveys.urls")),
    path("", include("reporting.urls")),
    path("", include("reporting.dashboard.urls")),
]
