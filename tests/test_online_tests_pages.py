"""The volunteer's links page and the coordinator's pages: scope, actions, statistics,
conflicts, the XLSX importer and query budgets."""

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments import models as am
from assessments.models import QuizAttempt, QuizQuestion, ScoreConflict
from assessments.quiz_services import answer_save, attempt_submit, attempts_issue_for_group

from . import factories as f
from .factories import EnrollmentFactory, QuizAttemptFactory, VolunteerFactory
from .test_online_tests_support import build_quiz, open_program


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def quiz_setup(program, track, group):
    open_program(program)
    return build_quiz(program, track)


def _login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------- the volunteer's links page


def test_it_shows_a_volunteer_their_groups_links(client, volunteer_user, group, quiz_setup):
    attempts_issue_for_group(group=group, kind="pre")
    response = _login(client, volunteer_user).get(reverse("assessments:group_links", args=[group.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for attempt in QuizAttempt.objects.filter(group=group):
        assert reverse("assessments:take", args=[attempt.token]) in html
    assert "https://wa.me/" in html
    assert "copy-link" in html


def test_it_sends_whatsapp_to_the_students_phone(client, volunteer_user, group, quiz_setup):
    enrollment = group.enrollments.select_related("student").first()
    enrollment.student.phone = "8 (701) 234-56-78"
    enrollment.student.save()
    attempts_issue_for_group(group=group, kind="pre")
    html = (
        _login(client, volunteer_user)
        .get(reverse("assessments:group_links", args=[group.pk]))
        .content.decode()
    )
    assert "https://wa.me/77012345678?text=" in html


def test_it_hides_other_groups_links(client, other_volunteer_user, group, quiz_setup):
    response = _login(client, other_volunteer_user).get(reverse("assessments:group_links", args=[group.pk]))
    assert response.status_code == 404


def test_it_hides_group_links_from_coordinators_page_route(client, coordinator, group, quiz_setup):
    # Coordinators use the test's page of all links; this page is the volunteer's own.
    response = _login(client, coordinator).get(reverse("assessments:group_links", args=[group.pk]))
    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client, group):
    response = client.get(reverse("assessments:group_links", args=[group.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_lets_a_volunteer_issue_links(client, volunteer_user, group, quiz_setup):
    _login(client, volunteer_user)
    url = reverse("assessments:group_links_issue", args=[group.pk])
    response = client.post(url, {"kind": "post"})
    assert response.status_code == 302
    assert QuizAttempt.objects.filter(group=group, kind="post").count() == 3
    assert client.get(url).status_code == 405


def test_it_refuses_issuing_for_another_volunteers_group(client, other_volunteer_user, group, quiz_setup):
    url = reverse("assessments:group_links_issue", args=[group.pk])
    assert _login(client, other_volunteer_user).post(url, {"kind": "pre"}).status_code == 404
    assert not QuizAttempt.objects.exists()


def test_it_keeps_the_links_page_within_a_query_budget(
    client, volunteer_user, group, quiz_setup, django_assert_max_num_queries
):
    _login(client, volunteer_user)
    url = reverse("assessments:group_links", args=[group.pk])
    attempts_issue_for_group(group=group, kind="pre")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for _ in range(15):
        EnrollmentFactory(group=group)
    attempts_issue_for_group(group=group, kind="pre")
    attempts_issue_for_group(group=group, kind="post")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_it_lists_a_volunteers_own_training_tests(client, program, track, volunteer_user, group):
    open_program(program)
    quiz, _q, _c = build_quiz(program, None, audience="volunteers")
    volunteer = group.volunteer
    attempt = QuizAttemptFactory(quiz=quiz, student=None, volunteer=volunteer, kind="pre")
    other = QuizAttemptFactory(
        quiz=quiz, student=None, volunteer=VolunteerFactory(program=program), kind="pre"
    )
    html = _login(client, volunteer_user).get(reverse("assessments:my_tests")).content.decode()
    assert reverse("assessments:take", args=[attempt.token]) in html
    assert other.token not in html


def test_it_hides_my_tests_from_non_volunteers(client, coordinator):
    assert _login(client, coordinator).get(reverse("assessments:my_tests")).status_code == 404


# ---------------------------------------------------------------- the coordinator's pages


def _submit(attempt, answers):
    for question, kwargs in answers:
        answer_save(attempt=attempt, question=question, **kwargs)
    return attempt_submit(attempt=attempt)


@pytest.fixture
def taken(program, track, group, quiz_setup):
    """Two of three students took the pre-test and the post-test."""
    quiz, q, c = quiz_setup
    attempts_issue_for_group(group=group, kind="pre")
    attempts_issue_for_group(group=group, kind="post")
    students = [e.student for e in group.enrollments.order_by("student_id")]
    get = QuizAttempt.objects.get
    _submit(get(student=students[0], kind="pre"), [(q["single"], {"choice_ids": [c["s_right"].pk]})])
    _submit(get(student=students[1], kind="pre"), [(q["number"], {"number": "36"})])
    _submit(
        get(student=students[0], kind="post"),
        [
            (q["single"], {"choice_ids": [c["s_right"].pk]}),
            (q["multiple"], {"choice_ids": [c["m_a"].pk, c["m_c"].pk]}),
            (q["number"], {"number": "36"}),
        ],
    )
    _submit(get(student=students[1], kind="post"), [(q["single"], {"choice_ids": [c["s_right"].pk]})])
    return quiz, q, c


def test_it_shows_coordinators_who_took_the_test_and_what_moved(client, coordinator, program, taken):
    quiz, q, _c = taken
    response = _login(client, coordinator).get(
        reverse("assessments:quiz_detail", args=[program.code, quiz.pk])
    )
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.population == 3
    pre, post = stats.kinds
    assert (pre.submitted, post.submitted) == (2, 2)
    assert pre.share_taken == Decimal("66.7")
    # Pre scores 33.33 and 16.67, post 100 and 33.33.
    assert pre.mean == Decimal("25.0") and post.mean == Decimal("66.7")
    assert [b["count"] for b in post.bins] == [0, 0, 0, 1, 0, 0, 0, 0, 0, 1]
    rows = {row.question.pk: row for row in stats.questions}
    assert (rows[q["single"].pk].pre, rows[q["single"].pk].post) == (Decimal("50.0"), Decimal("100.0"))
    assert (rows[q["multiple"].pk].pre, rows[q["multiple"].pk].post) == (Decimal("0.0"), Decimal("50.0"))
    assert (rows[q["number"].pk].pre, rows[q["number"].pk].post) == (Decimal("50.0"), Decimal("50.0"))
    topics = [(t.topic, t.delta) for t in stats.topics]
    assert topics == [
        ("Grammar", Decimal("50.0")),
        ("Vocabulary", Decimal("50.0")),
        ("Numbers", Decimal("0.0")),
    ]


def test_it_compares_parallel_forms_by_topic(client, coordinator, program, track, group):
    open_program(program)
    pre_quiz, pq, pc = build_quiz(program, track, use="pre")
    post_quiz, tq, tc = build_quiz(program, track, use="post")
    attempts_issue_for_group(group=group, kind="pre")
    attempts_issue_for_group(group=group, kind="post")
    student = group.enrollments.first().student
    _submit(QuizAttempt.objects.get(student=student, kind="pre"), [])
    _submit(
        QuizAttempt.objects.get(student=student, kind="post"),
        [(tq["single"], {"choice_ids": [tc["s_right"].pk]})],
    )
    stats = (
        _login(client, coordinator)
        .get(reverse("assessments:quiz_detail", args=[program.code, post_quiz.pk]))
        .context["stats"]
    )
    grammar = next(t for t in stats.topics if t.topic == "Grammar")
    # One student: wrong before (on the pre form), right after (on the parallel post form).
    assert (grammar.pre, grammar.post, grammar.delta) == (Decimal("0.0"), Decimal("100.0"), Decimal("100.0"))


def test_it_keeps_the_statistics_page_within_a_query_budget(
    client, coordinator, program, track, taken, django_assert_max_num_queries
):
    quiz, q, c = taken
    _login(client, coordinator)
    url = reverse("assessments:quiz_detail", args=[program.code, quiz.pk])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    group = f.CourseGroupFactory(program=program, track=track)
    for _ in range(10):
        EnrollmentFactory(group=group)
    attempts_issue_for_group(group=group, kind="pre")
    for attempt in QuizAttempt.objects.filter(group=group):
        _submit(attempt, [(q["single"], {"choice_ids": [c["s_wrong"].pk]}), (q["number"], {"number": "1"})])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def test_it_lets_officers_read_but_not_act(client, officer, program, taken):
    quiz, _q, _c = taken
    _login(client, officer)
    assert client.get(reverse("assessments:quiz_list", args=[program.code])).status_code == 200
    assert client.get(reverse("assessments:quiz_detail", args=[program.code, quiz.pk])).status_code == 200
    assert client.get(reverse("assessments:conflicts", args=[program.code])).status_code == 200
    assert (
        client.post(
            reverse("assessments:quiz_issue", args=[program.code, quiz.pk]), {"kind": "pre"}
        ).status_code
        == 403
    )
    assert client.get(reverse("assessments:quiz_links", args=[program.code, quiz.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["outsider", "volunteer_user", "council_user"])
def test_it_hides_coordinator_pages_from_everyone_else(client, request, program, taken, persona):
    quiz, _q, _c = taken
    _login(client, request.getfixturevalue(persona))
    for url in (
        reverse("assessments:quiz_list", args=[program.code]),
        reverse("assessments:quiz_detail", args=[program.code, quiz.pk]),
        reverse("assessments:conflicts", args=[program.code]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("assessments:quiz_issue", args=[program.code, quiz.pk]), {"kind": "pre"}
        ).status_code
        == 404
    )


def test_it_lists_a_programmes_tests(client, coordinator, program, taken):
    quiz, _q, _c = taken
    response = _login(client, coordinator).get(reverse("assessments:quiz_list", args=[program.code]))
    row = response.context["rows"][0]
    assert (row["quiz"], row["pre"], row["post"], row["quiz"].n_questions) == (quiz, 2, 2, 3)


def test_it_issues_links_to_every_group_of_the_track(
    client, coordinator, program, track, group, other_volunteer_user, quiz_setup
):
    quiz, _q, _c = quiz_setup
    _login(client, coordinator)
    url = reverse("assessments:quiz_issue", args=[program.code, quiz.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"kind": "pre"})
    assert response["Location"] == reverse("assessments:quiz_links", args=[program.code, quiz.pk])
    assert QuizAttempt.objects.filter(kind="pre").count() == 4  # 3 + 1 student in two groups
    links = client.get(response["Location"]).content.decode()
    assert all(a.token in links for a in QuizAttempt.objects.all())


# ---------------------------------------------------------------- conflicts


@pytest.fixture
def conflict(program, track, group, quiz_setup):
    quiz, q, c = quiz_setup
    attempts_issue_for_group(group=group, kind="pre")
    attempt = QuizAttempt.objects.filter(kind="pre").select_related("student").first()
    f.TestResultFactory(student=attempt.student, track=track, kind="pre", score=Decimal("90"))
    _submit(attempt, [(q["single"], {"choice_ids": [c["s_right"].pk]})])
    return ScoreConflict.objects.get()


def test_it_lists_and_resolves_conflicts(client, coordinator, program, conflict):
    _login(client, coordinator)
    page = client.get(reverse("assessments:conflicts", args=[program.code]))
    assert conflict in page.context["open_rows"]
    url = reverse("assessments:conflict_resolve", args=[program.code, conflict.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"decision": "take_online"})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == ScoreConflict.Status.TOOK_ONLINE
    assert am.TestResult.objects.get(pk=conflict.result_id).score == Decimal("33.33")


def test_it_refuses_conflict_resolution_to_officers_and_outsiders(
    client, officer, outsider, program, conflict
):
    url = reverse("assessments:conflict_resolve", args=[program.code, conflict.pk])
    assert _login(client, officer).post(url, {"decision": "take_online"}).status_code == 403
    assert _login(client, outsider).post(url, {"decision": "take_online"}).status_code == 404
    other_url = reverse("assessments:conflict_resolve", args=["other-2020", conflict.pk])
    assert client.post(other_url, {"decision": "take_online"}).status_code == 404
    conflict.refresh_from_db()
    assert conflict.status == ScoreConflict.Status.OPEN


# ---------------------------------------------------------------- the XLSX importer


def _xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("questions.xlsx", buffer.getvalue())


HEADER = [
    "kind",
    "points",
    "topic",
    "text_kk",
    "text_ru",
    "correct",
    "tolerance",
    "a_kk",
    "a_ru",
    "b_kk",
    "b_ru",
    "c_kk",
]


def test_it_imports_questions_from_xlsx(client, coordinator, program, track):
    open_program(program)
    quiz = f.QuizFactory(program=program, track=track)
    upload = _xlsx(
        [
            HEADER,
            ["single", 2, "Grammar", "Қайсысы дұрыс?", "Что верно?", "B", None, "go", "go", "goes", "goes"],
            [
                "multiple",
                3,
                "Vocabulary",
                "Жемістер?",
                "Фрукты?",
                "a, c",
                None,
                "apple",
                "",
                "chair",
                "",
                "pear",
            ],
            ["number", 1, "Numbers", "12 × 3", "", "36", "0,5"],
        ]
    )
    response = _login(client, coordinator).post(
        reverse("assessments:quiz_import", args=[program.code, quiz.pk]), {"file": upload}
    )
    assert response.status_code == 302
    questions = list(quiz.questions.prefetch_related("choices"))
    assert [(x.kind, x.points, x.topic) for x in questions] == [
        ("single", 2, "Grammar"),
        ("multiple", 3, "Vocabulary"),
        ("number", 1, "Numbers"),
    ]
    assert [c.is_correct for c in questions[0].choices.all()] == [False, True]
    assert [c.is_correct for c in questions[1].choices.all()] == [True, False, True]
    assert questions[2].answer_number == Decimal("36") and questions[2].tolerance == Decimal("0.5")


def test_it_imports_nothing_from_a_file_with_a_bad_row(client, coordinator, program, track):
    quiz = f.QuizFactory(program=program, track=track)
    upload = _xlsx(
        [
            HEADER,
            ["single", 1, "", "Дұрыс жол", "", "A", None, "yes", "", "no"],
            ["single", 0, "", "", "", "D", None, "x", "", "y"],
            ["choice", 1, "", "Сұрақ", "", "A", None, "x", "", "y"],
            ["number", 1, "", "Сан", "", "many"],
        ]
    )
    response = _login(client, coordinator).post(
        reverse("assessments:quiz_import", args=[program.code, quiz.pk]), {"file": upload}, follow=True
    )
    # The import is a background job: its page lists every bad row.
    assert response.context["job"].status == "failed"
    errors = {(e["row"], e["column"]) for e in response.context["errors"]}
    assert {(3, "points"), (3, "text_kk"), (3, "correct"), (4, "kind"), (5, "correct")} <= errors
    assert not QuizQuestion.objects.exists()


def test_it_names_unknown_columns(client, coordinator, program, track):
    quiz = f.QuizFactory(program=program, track=track)
    upload = _xlsx([["kind", "points", "question", "correct"], ["single", 1, "x", "A"]])
    response = _login(client, coordinator).post(
        reverse("assessments:quiz_import", args=[program.code, quiz.pk]), {"file": upload}, follow=True
    )
    errors = {(e["row"], e["column"]) for e in response.context["errors"]}
    assert errors == {(1, "question"), (1, "text_kk")}


def test_it_refuses_imports_to_officers(client, officer, program, track):
    quiz = f.QuizFactory(program=program, track=track)
    url = reverse("assessments:quiz_import", args=[program.code, quiz.pk])
    assert _login(client, officer).get(url).status_code == 200
    assert client.post(url, {"file": _xlsx([HEADER])}).status_code == 403


def test_it_serves_an_importable_template(client, coordinator, program, track):
    quiz = f.QuizFactory(program=program, track=track)
    _login(client, coordinator)
    template = client.get(reverse("assessments:quiz_import_template", args=[program.code]))
    header = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert header[:4] == ("kind", "points", "topic", "text_kk")
    upload = SimpleUploadedFile("template.xlsx", template.content)
    client.post(reverse("assessments:quiz_import", args=[program.code, quiz.pk]), {"file": upload})
    assert quiz.questions.count() == 2


# ---------------------------------------------------------------- the admin


ASSESSMENT_MODELS = [
    "testresult",
    "untoutcome",
    "contest",
    "contestentry",
    "quiz",
    "quizquestion",
    "quizchoice",
    "quizattempt",
    "quizanswer",
    "scoreconflict",
]


def test_it_shows_every_assessments_model_in_the_admin(client, coordinator, program, conflict):
    _login(client, coordinator)
    for model in ASSESSMENT_MODELS:
        assert client.get(reverse(f"admin:assessments_{model}_changelist")).status_code == 200, model
    quiz = am.Quiz.objects.get()
    assert client.get(reverse("admin:assessments_quiz_change", args=[quiz.pk])).status_code == 200
    question = quiz.questions.first()
    assert client.get(reverse("admin:assessments_quizquestion_change", args=[question.pk])).status_code == 200
    attempt = QuizAttempt.objects.first()
    page = client.get(reverse("admin:assessments_quizattempt_change", args=[attempt.pk]))
    assert page.status_code == 200 and attempt.token in page.content.decode()


def test_it_scopes_the_admin_to_the_programmes_of_the_user(client, outsider, officer, program, conflict):
    _login(client, outsider)
    assert client.get(reverse("admin:assessments_quiz_changelist")).context["cl"].result_count == 0
    quiz = am.Quiz.objects.get()
    assert client.get(reverse("admin:assessments_quiz_change", args=[quiz.pk])).status_code == 302
    _login(client, officer)
    assert client.get(reverse("admin:assessments_quiz_changelist")).context["cl"].result_count == 1
    assert client.get(reverse("admin:assessments_quiz_add")).status_code == 403
