from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("apply/<slug:code>/", views.apply, name="apply"),
    path("apply/<slug:code>/thanks/", views.apply_thanks, name="apply-thanks"),
    path("verify/", views.verify, name="verify-check"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("activate/<str:token>/", views.activate, name="activate"),
    path("council/", views.council, name="council"),
    path("council/applications/<int:pk>/", views.council_application, name="council-application"),
    path("certificates/<str:code>.pdf", views.certificate_pdf, name="certificate-pdf"),
    path("programs/<slug:program_code>/applications/", views.ranking, name="ranking"),
    path("programs/<slug:program_code>/meetings/", views.meetings, name="meetings"),
    path("programs/<slug:program_code>/meetings/<int:number>/", views.meeting, name="meeting"),
    path(
        "programs/<slug:program_code>/meetings/<int:number>/decide/",
        views.meeting_decide,
        name="meeting-decide",
    ),
    path(
        "programs/<slug:program_code>/meetings/<int:number>/minutes/",
        views.meeting_minutes,
        name="meeting-minutes",
    ),
    path(
        "programs/<slug:program_code>/volunteers/<int:pk>/activation/",
        views.activation_reissue,
        name="activation-reissue",
    ),
]
