from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "Birgemiz"
admin.site.site_title = "Birgemiz"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/registers/", include("birgemiz.registers.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("", include("courses.urls")),
    path("", include("volunteers.urls")),
    path("", include("assessments.urls")),
    path("", include("surveys.urls")),
    path("", include("reporting.urls")),
    path("", include("reporting.dashboard.urls")),
]
