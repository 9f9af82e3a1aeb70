"""Survey results, XLSX download and the enrolment tool (coordinator pages)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses.models import CourseGroup, Enrollment, Student
from surveys import services
from surveys.models import SurveyResponse

from .factories import CourseGroupFactory, EnrollmentFactory, StudentFactory, VolunteerFactory
from .test_surveys_helpers import BIRTH, needs_survey, valid_iin


def respond(setup, n, *, tracks=("english",), school=None, start=0, **person):
    survey = setup["survey"]
    q = {x.code: x for x in survey.questions.prefetch_related("choices")}
    made = []
    for i in range(start, start + n):
        school_obj = school or setup["schools"][i % len(setup["schools"])]
        data = {
            "last_name": f"Оқушы{i}",
            "first_name": "Ерлан",
            "sex": "M",
            "birth_date": BIRTH,
            "grade": 9,
            "school": school_obj,
            "consent": True,
            "iin": "",
        }
        data.update(person)
        answers = {
            q["tracks"]: [c for c in q["tracks"].choices.all() if c.value in tracks],
            q["comment"]: '=HYPERLINK("http://evil")' if i == start else "жақсы",
        }
        made.append(services.response_submit(survey=survey, person=data, answers=answers, language="kk"))
    return made


@pytest.fixture
def setup(program):
    return needs_survey(program)


def results_url(program, setup):
    return reverse("surveys:results", args=[program.code, setup["survey"].code])


def test_it_shows_counts_by_district_and_track_with_charts(client, coordinator, program, setup):
    respond(setup, 3, tracks=("english",), school=setup["schools"][0])
    respond(setup, 2, tracks=("english", "unt"), school=setup["schools"][2], start=10)
    client.force_login(coordinator)
    response = client.get(results_url(program, setup))
    assert response.status_code == 200
    r = response.context["r"]
    assert r["total"] == 5
    assert {b.label: b.value for b in r["by_track"]} == {"Ағылшын тілі": 5, "ҰБТ-ға дайындық": 2}
    by_district = {b.label: b.value for b in r["by_district"]}
    assert by_district[setup["districts"][0].name_kk] == 3
    assert by_district[setup["districts"][1].name_kk] == 2
    assert "<svg" in response.content.decode()


def test_it_keeps_queries_flat_as_responses_grow(
    client, coordinator, program, setup, django_assert_max_num_queries
):
    client.force_login(coordinator)
    respond(setup, 3)
    with django_assert_max_num_queries(20) as small:
        client.get(results_url(program, setup))
    respond(setup, 30, start=100, tracks=("english", "unt"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(results_url(program, setup))


def test_it_downloads_xlsx_where_typed_text_never_becomes_a_formula(client, coordinator, program, setup):
    respond(setup, 2)
    client.force_login(coordinator)
    response = client.get(reverse("surveys:results-xlsx", args=[program.code, setup["survey"].code]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    sheet = wb.worksheets[-1]
    cells = [
        c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert cells, "the formula-like comment is exported"
    assert all(c.data_type == "s" for c in cells)


def test_an_officer_takes_the_answers_without_the_students_iin_phone_or_birth_date(
    client, coordinator, officer, operator, program, setup
):
    iin = valid_iin(serial=7, sex="M")
    respond(setup, 1, iin=iin, phone="+77011234567")
    url = reverse("surveys:results-xlsx", args=[program.code, setup["survey"].code])

    def responses_sheet(user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[-1]
        return [[c.value for c in row] for row in sheet.iter_rows()]

    kept = responses_sheet(coordinator)
    assert "ЖСН" in kept[0] and iin in kept[1] and "+77011234567" in kept[1]
    for reader in (officer, operator):
        rows = responses_sheet(reader)
        text = " ".join(str(v) for row in rows for v in row)
        assert iin not in text and "+77011234567" not in text and "Оқушы0" not in text
        assert BIRTH.isoformat() not in text and "ЖСН" not in rows[0]
        assert "жақсы" in text or any("HYPERLINK" in str(v) for v in rows[1])  # the answers stay


def test_it_lets_officers_read_and_hides_results_from_others(
    client, officer, outsider, volunteer_user, council_user, program, setup
):
    url = results_url(program, setup)
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(officer)
    assert client.get(url).status_code == 200
    for user in (outsider, volunteer_user, council_user):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_it_lists_the_programme_surveys(client, coordinator, program, setup):
    client.force_login(coordinator)
    response = client.get(reverse("surveys:list", args=[program.code]))
    assert response.status_code == 200
    assert "/s/bko-2020-needs/" in response.content.decode()


# ---------------------------------------------------------------- enrolment


@pytest.fixture
def two_volunteers(program, setup):
    english = setup["english"]
    english.group_capacity = 2
    english.save()
    return [VolunteerFactory(program=program, track=english, last_name=f"Апай{i}") for i in range(2)]


def test_it_plans_groups_up_to_the_capacity_per_volunteer(program, setup, two_volunteers):
    responses = respond(setup, 5)
    plan = services.enrolment_plan(survey=setup["survey"], responses=SurveyResponse.objects.all())
    assert len(plan.to_enrol) == 4
    assert plan.count(services.Action.NO_PLACE) == 1
    assert [s.added for s in plan.slots] == [2, 2]
    assert all(s.is_new for s in plan.slots)
    assert plan.new_students == 4
    assert Student.objects.count() == 0  # a preview writes nothing
    assert len(responses) == 5


def test_it_fills_existing_groups_and_respects_their_capacity(program, setup, two_volunteers):
    first = two_volunteers[0]
    group = CourseGroupFactory(program=program, track=setup["english"], volunteer=first, capacity=25)
    EnrollmentFactory(group=group)  # one place of the volunteer's two is taken
    respond(setup, 4)
    plan = services.enrolment_plan(survey=setup["survey"], responses=SurveyResponse.objects.all())
    by_volunteer = {s.volunteer: s for s in plan.slots}
    assert by_volunteer[first].group == group and by_volunteer[first].added == 1
    assert by_volunteer[two_volunteers[1]].added == 2
    assert plan.count(services.Action.NO_PLACE) == 1


def test_it_matches_existing_students_and_skips_those_already_enrolled(program, setup, two_volunteers):
    iin = valid_iin(serial=42, sex="M")
    school = setup["schools"][0]
    existing = StudentFactory(program=program, iin=iin, school=school, last_name="Бар")
    respond(setup, 1, iin=iin, school=school)
    plan = services.enrolment_plan(survey=setup["survey"], responses=SurveyResponse.objects.all())
    assert plan.to_enrol[0].student == existing and plan.new_students == 0
    services.enrolment_apply(survey=setup["survey"], responses=SurveyResponse.objects.all())
    again = services.enrolment_plan(survey=setup["survey"], responses=SurveyResponse.objects.all())
    assert again.already_count == 1 and not again.to_enrol


def test_it_previews_then_applies_through_the_page(client, coordinator, program, setup, two_volunteers):
    respond(setup, 3, tracks=("english", "unt"))
    client.force_login(coordinator)
    url = reverse("surveys:enrol", args=[program.code, setup["survey"].code])
    page = client.get(url, {"track": setup["english"].pk})
    assert page.status_code == 200
    ids = [str(r.pk) for r in page.context["candidates"]]
    assert len(ids) == 3
    preview = client.post(url, {"track": setup["english"].pk, "response": ids, "action": "preview"})
    assert preview.status_code == 200 and len(preview.context["plan"].to_enrol) == 3
    assert Enrollment.objects.count() == 0
    applied = client.post(url, {"track": setup["english"].pk, "response": ids, "action": "apply"})
    assert applied.status_code == 302
    assert Student.objects.filter(program=program).count() == 3
    assert Enrollment.objects.filter(group__track=setup["english"]).count() == 3
    sizes = sorted(g.enrollments.count() for g in CourseGroup.objects.filter(track=setup["english"]))
    assert sizes == [1, 2]
    assert not Enrollment.objects.filter(group__track=setup["unt"]).exists()  # filtered to English
    assert SurveyResponse.objects.filter(student__isnull=False).count() == 3


def test_it_lets_only_coordinators_use_the_enrolment_tool(
    client, officer, outsider, volunteer_user, program, setup
):
    url = reverse("surveys:enrol", args=[program.code, setup["survey"].code])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "apply"}).status_code == 403
    for user in (outsider, volunteer_user):
        client.force_login(user)
        assert client.get(url).status_code == 404
