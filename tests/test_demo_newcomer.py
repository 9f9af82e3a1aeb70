"""A newcomer on the demo: the home page offers a survey that is open and can be filled
in, the 2020 needs survey says when it ran, and a certificate's short code verifies in
any case — without changing a figure of the report."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from birgemiz.models import School
from reporting.metrics import compute
from surveys.models import SurveyResponse
from volunteers.models import Award, Certificate

from .test_certificate_codes import SHORT

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_demo_home_page_offers_an_open_survey_a_newcomer_can_fill_in(client, db, demo_program):
    home = client.get(reverse("home"))
    assert home.status_code == 200
    body = home.content.decode()
    survey = demo_program.surveys.get(code="bko-2021-next")
    url = reverse("surveys:public", args=[survey.code])
    assert url in body and reverse("volunteers:apply", args=[demo_program.code]) in body
    assert reverse("surveys:public", args=["bko-2020-needs"]) not in body  # closed in 2020
    form = client.get(url)
    assert form.status_code == 200
    fields = form.context["form"].fields
    assert "grade" in fields and "q_grade" not in fields  # the grade asked once
    school = (
        School.objects.usable_for(demo_program)
        .filter(district__region=demo_program.region)
        .order_by("id")
        .first()
    )
    data = {
        "last_name": "Жаңабаева",
        "first_name": "Әсел",
        "birth_date": "2008-03-02",
        "sex": "F",
        "grade": "9",
        "q_district": str(school.district_id),
        "q_school": str(school.pk),
        "q_tracks": ["english"],
        "consent": "on",
        "website": "",
    }
    assert compute(demo_program, "survey_responses").value == 2641
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    saved = SurveyResponse.objects.get(survey=survey)
    assert saved.grade == 9 and saved.school == school


def test_the_demo_needs_survey_is_closed_with_its_dates(client, db, demo_program):
    response = client.get(reverse("surveys:public", args=["bko-2020-needs"]))
    assert response.status_code == 410
    body = response.content.decode()
    assert "16.03.2020" in body and "15.09.2020" in body
    assert reverse("surveys:public", args=["bko-2021-next"]) in body


def test_the_demo_certificates_have_short_codes_that_verify_in_any_case(client, db, demo_program):
    codes = list(Certificate.objects.filter(program=demo_program).values_list("code", flat=True))
    codes += list(Award.objects.filter(program=demo_program).values_list("certificate_code", flat=True))
    assert codes and all(SHORT.match(c) for c in codes)
    typed = codes[0].replace("-", "").lower()
    response = client.get(reverse("volunteers:verify-check"), {"code": typed}, follow=True)
    assert response.status_code == 200 and "alert-success" in response.content.decode()
