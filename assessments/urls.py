from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    # The student's (or training volunteer's) personal link: no account needed.
    path("t/<str:token>/", views.take, name="take"),
    path("t/<str:token>/q/<int:number>/", views.question, name="question"),
    path("t/<str:token>/review/", views.review, name="review"),
    path("t/<str:token>/submit/", views.submit, name="submit"),
    # Volunteers.
    path("groups/<int:pk>/test-links/", views.group_links, name="group_links"),
    path("groups/<int:pk>/test-links/issue/", views.group_links_issue, name="group_links_issue"),
    path("tests/mine/", views.my_tests, name="my_tests"),
    # Coordinators (officers read).
    path("programs/<slug:code>/tests/", views.quiz_list, name="quiz_list"),
    path(
        "programs/<slug:code>/tests/import-template.xlsx",
        views.quiz_import_template,
        name="quiz_import_template",
    ),
    path("programs/<slug:code>/tests/conflicts/", views.conflicts, name="conflicts"),
    path(
        "programs/<slug:code>/tests/conflicts/<int:pk>/resolve/",
        views.conflict_resolve_view,
        name="conflict_resolve",
    ),
    path("programs/<slug:code>/tests/<int:pk>/", views.quiz_detail, name="quiz_detail"),
    path("programs/<slug:code>/tests/<int:pk>/links/", views.quiz_links, name="quiz_links"),
    path("programs/<slug:code>/tests/<int:pk>/issue/", views.quiz_issue, name="quiz_issue"),
    path("programs/<slug:code>/tests/<int:pk>/import/", views.quiz_import, name="quiz_import"),
]
