from django.urls import path

from .views import awards, lessons, links, portal, staff, take, training

app_name = "assessments"

urlpatterns = [
    # The student's (or training volunteer's) personal link: no account needed.
    path("t/<str:token>/", take.take, name="take"),
    path("t/<str:token>/q/<int:number>/", take.question, name="question"),
    path("t/<str:token>/review/", take.review, name="review"),
    path("t/<str:token>/submit/", take.submit, name="submit"),
    # Volunteers: the portal's pages with scores (the lesson form is courses.urls).
    path("portal/", portal.portal, name="portal"),
    path("portal/groups/<int:pk>/", portal.group_detail, name="group"),
    path("portal/groups/<int:pk>/scores/", portal.score_grid, name="scores"),
    path("portal/groups/<int:pk>/students/<int:student_pk>/", portal.student_detail, name="student"),
    path("groups/<int:pk>/test-links/", links.group_links, name="group_links"),
    path("groups/<int:pk>/test-links/issue/", links.group_links_issue, name="group_links_issue"),
    path("tests/mine/", links.my_tests, name="my_tests"),
    # Coordinators (officers read).
    path("programs/<slug:code>/lessons/", lessons.coordinator, name="lessons"),
    path("programs/<slug:program_code>/training/", training.training, name="training"),
    path("programs/<slug:program_code>/training/<int:pk>/", training.training_event, name="training-event"),
    path("programs/<slug:program_code>/certificates/", awards.certificates, name="certificates"),
    path(
        "programs/<slug:program_code>/volunteers/<int:pk>/certificate/",
        awards.certificate_issue,
        name="certificate-issue",
    ),
    path("programs/<slug:program_code>/awards/", awards.awards, name="awards"),
    path("programs/<slug:program_code>/awards/confirm/", awards.awards_confirm, name="awards-confirm"),
    path("programs/<slug:code>/tests/", staff.quiz_list, name="quiz_list"),
    path(
        "programs/<slug:code>/tests/import-template.xlsx",
        staff.quiz_import_template,
        name="quiz_import_template",
    ),
    path("programs/<slug:code>/tests/conflicts/", staff.conflicts, name="conflicts"),
    path(
        "programs/<slug:code>/tests/conflicts/<int:pk>/resolve/",
        staff.conflict_resolve_view,
        name="conflict_resolve",
    ),
    path("programs/<slug:code>/tests/<int:pk>/", staff.quiz_detail, name="quiz_detail"),
    path("programs/<slug:code>/tests/<int:pk>/links/", staff.quiz_links, name="quiz_links"),
    path("programs/<slug:code>/tests/<int:pk>/links/print/", staff.quiz_links_print, name="quiz_links_print"),
    path("programs/<slug:code>/tests/<int:pk>/links.xlsx", staff.quiz_links_xlsx, name="quiz_links_xlsx"),
    path("programs/<slug:code>/tests/<int:pk>/issue/", staff.quiz_issue, name="quiz_issue"),
    path("programs/<slug:code>/tests/<int:pk>/import/", staff.quiz_import, name="quiz_import"),
]
