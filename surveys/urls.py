from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("s/<slug:code>/", views.public, name="public"),
    path("s/<slug:code>/thanks/", views.thanks, name="thanks"),
    path("programs/<slug:program_code>/surveys/", views.survey_list, name="list"),
    path("programs/<slug:program_code>/surveys/<slug:survey_code>/", views.results, name="results"),
    path(
        "programs/<slug:program_code>/surveys/<slug:survey_code>/results.xlsx",
        views.results_xlsx,
        name="results-xlsx",
    ),
    path("programs/<slug:program_code>/surveys/<slug:survey_code>/enrol/", views.enrol, name="enrol"),
]
