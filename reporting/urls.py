from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("programs/<slug:code>/report/", views.report_page, name="report"),
    path("programs/<slug:code>/report/issue/", views.report_issue_view, name="issue"),
    path("programs/<slug:code>/report/issued/<int:pk>/", views.issued_download, name="issued-download"),
]
