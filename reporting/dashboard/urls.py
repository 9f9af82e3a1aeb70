"""The grant officer's nationwide dashboard and the consolidated report.

Included at the site root by `birgemiz/urls.py` under the namespace ``dashboard``.
"""

from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("dashboard/recheck/", views.recheck, name="recheck"),
    path("dashboard/consolidated/", views.consolidated, name="consolidated"),
]
