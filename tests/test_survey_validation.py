"""The public survey refuses answers that contradict each other: a school outside the
chosen district, a grade asked twice; no radio button starts on an empty choice; and its
district and school lists follow the Kazakh alphabet."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from surveys.models import Question, SurveyResponse

from .factories import ChoiceFactory, DistrictFactory, QuestionFactory, SchoolFactory
from .test_surveys_helpers import needs_survey, survey_post
from .test_surveys_public import _Inputs

KAZAKH_ORDER = ["Ақжайық", "Бөкей ордасы", "Жаңақала", "Қаратөбе", "Теректі", "Ұялы", "Шыңғырлау"]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def setup(program):
    """The helpers' survey with the demo's district and school pickers and its grade question."""
    data = needs_survey(program)
    survey = data["survey"]
    QuestionFactory(survey=survey, code="district", kind=Question.Kind.DISTRICT, order=0, text_kk="Ауданыңыз")
    QuestionFactory(survey=survey, code="school", kind=Question.Kind.SCHOOL, order=0, text_kk="Мектебіңіз")
    grade = QuestionFactory(
        survey=survey, code="grade", kind=Question.Kind.SINGLE, order=0, text_kk="Сыныбыңыз"
    )
    for g in (8, 9, 10, 11):
        ChoiceFactory(question=grade, value=str(g), text_kk=f"{g}-сынып", order=g)
    return data


def url(setup):
    return reverse("surveys:public", args=[setup["survey"].code])


def answer(setup, school, district, **overrides):
    data = survey_post(school, school=None, grade=None, q_school=str(school.pk), q_district=str(district.pk))
    data["q_grade"] = "10"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_it_refuses_a_school_of_another_district_and_keeps_what_was_typed(client, setup):
    school, elsewhere = setup["schools"][0], setup["districts"][1]
    assert school.district != elsewhere
    response = client.post(url(setup), answer(setup, school, elsewhere, q_comment="сақталсын"))
    assert response.status_code == 200
    body = response.content.decode()
    errors = response.context["form"].errors
    assert list(errors) == ["q_school"] and elsewhere.name_kk in errors["q_school"][0]
    assert "сақталсын" in body and "Серікова" in body
    assert SurveyResponse.objects.count() == 0
    ok = client.post(url(setup), answer(setup, school, school.district))
    assert ok.status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.school == school and saved.district == school.district


def test_it_asks_the_grade_once_and_saves_that_answer(client, setup):
    body = client.get(url(setup)).content.decode()
    assert 'name="grade"' not in body and body.count('name="q_grade"') == 4
    # A second, contradicting grade in the request changes nothing: only the question counts.
    school = setup["schools"][0]
    response = client.post(url(setup), answer(setup, school, school.district, grade="8"))
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.grade == 10
    assert saved.answers.get(question__code="grade").choice.value == "10"


def test_it_requires_the_grade_question(client, setup):
    school = setup["schools"][0]
    response = client.post(url(setup), answer(setup, school, school.district, q_grade=None))
    assert response.status_code == 200 and SurveyResponse.objects.count() == 0


def test_a_survey_without_a_grade_question_still_asks_the_grade(client, program):
    data = needs_survey(program, code="plain")
    body = client.get(reverse("surveys:public", args=["plain"])).content.decode()
    assert 'name="grade"' in body
    response = client.post(reverse("surveys:public", args=["plain"]), survey_post(data["schools"][0]))
    assert response.status_code == 302 and SurveyResponse.objects.get().grade == 10


def test_no_radio_button_starts_on_an_empty_choice(client, setup):
    parser = _Inputs()
    parser.feed(client.get(url(setup)).content.decode())
    radios = [i for i in parser.inputs if i.get("type") == "radio"]
    assert {r["name"] for r in radios} >= {"sex", "q_grade", "q_subject"}
    assert all(r.get("value") for r in radios), [r for r in radios if not r.get("value")]
    assert not [r for r in radios if "checked" in r]


def test_districts_and_schools_follow_the_kazakh_alphabet(client, program):
    data = needs_survey(program, code="order")
    survey = data["survey"]
    QuestionFactory(survey=survey, code="district", kind=Question.Kind.DISTRICT, order=0)
    QuestionFactory(survey=survey, code="school", kind=Question.Kind.SCHOOL, order=0)
    for d in data["districts"]:
        d.schools.all().delete()
        d.delete()
    for name in reversed(KAZAKH_ORDER):
        district = DistrictFactory(region=program.region, name_kk=name)
        for school in ("Шағын мектеп", "Қызылжар мектебі", "Ақтау мектебі"):
            SchoolFactory(district=district, name=f"{school} ({name})")
    body = client.get(reverse("surveys:public", args=["order"])).content.decode()
    district_select = re.search(r'<select name="q_district".*?</select>', body, re.S).group(0)
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', district_select)
    assert options == KAZAKH_ORDER
    school_select = re.search(r'<select name="q_school".*?</select>', body, re.S).group(0)
    assert re.findall(r'<optgroup label="([^"]+)"', school_select) == KAZAKH_ORDER
    first_group = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', school_select)[:3]
    assert first_group == ["Ақтау мектебі (Ақжайық)", "Қызылжар мектебі (Ақжайық)", "Шағын мектеп (Ақжайық)"]
