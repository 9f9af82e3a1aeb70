from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("portal/groups/<int:pk>/lessons/new/", views.lesson_new, name="lesson_new"),
    path("portal/lessons/<int:pk>/", views.lesson_edit, name="lesson_edit"),
    path("portal/lessons/<int:pk>/delete/", views.lesson_delete, name="lesson_delete"),
    path("programs/<slug:code>/lessons/hours.xlsx", views.coordinator_hours_xlsx, name="hours_xlsx"),
    path("programs/<slug:code>/lessons/confirm/", views.coordinator_confirm_many, name="confirm_many"),
    path("programs/<slug:code>/lessons/<int:pk>/confirm/", views.coordinator_confirm, name="confirm"),
    path("programs/<slug:code>/lessons/<int:pk>/reject/", views.coordinator_reject, name="reject"),
]
