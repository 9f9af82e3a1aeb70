from django.urls import path

from . import views, year_views

app_name = "reporting"

urlpatterns = [
    path("programs/new/", year_views.programme_new, name="programme-new"),
    path("programs/<slug:code>/year/", year_views.year, name="year"),
    path("programs/<slug:code>/report/", views.report_page, name="report"),
    path("programs/<slug:code>/report/issue/", views.report_issue_view, name="issue"),
    path("programs/<slug:code>/report/issued/<int:pk>/", views.issued_download, name="issued-download"),
]
