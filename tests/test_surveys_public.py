"""The public survey form: /s/CODE/."""

import logging
import re
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.urls import reverse

from surveys.models import Answer, SurveyResponse

from .test_surveys_helpers import bad_iin, needs_survey, survey_post, valid_iin


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def setup(program):
    return needs_survey(program)


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def checked_values(body, name):
    parser = _Inputs()
    parser.feed(body)
    return {i.get("value") for i in parser.inputs if i.get("name") == name and "checked" in i}


def url(setup):
    return reverse("surveys:public", args=[setup["survey"].code])


def test_it_serves_the_form_without_an_account(client, setup):
    response = client.get(url(setup))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Қай курсқа қатысқыңыз келеді?" in body
    assert 'name="website"' in body  # the honeypot
    # The form works without JavaScript: no inline script (the CSP refuses them), at
    # most the site's own deferred progressive enhancement from /static/.
    scripts = re.findall(r"<script[^>]*>", body)
    assert all(re.search(r'src="/static/[^"]+" defer', tag) for tag in scripts), scripts


def test_it_shows_questions_in_russian(client, setup):
    response = client.get(url(setup), HTTP_ACCEPT_LANGUAGE="ru")
    assert "На какой курс вы хотите?" in response.content.decode()


def test_it_saves_a_response_with_answers_and_redirects_without_identifiers(client, setup):
    school = setup["schools"][0]
    response = client.post(url(setup), survey_post(school, iin=valid_iin()))
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[setup["survey"].code])
    saved = SurveyResponse.objects.get()
    assert saved.school == school and saved.district == school.district
    assert saved.consent is True and saved.grade == 10
    assert saved.identity_key and valid_iin() not in saved.identity_key
    answers = Answer.objects.filter(response=saved)
    assert {a.choice.value for a in answers if a.choice_id} == {"english", "unt", "math"}
    assert any(a.text == "Көбірек сабақ" for a in answers)
    assert any(a.number == 4 for a in answers)
    assert client.get(response["Location"]).status_code == 200


def test_it_rejects_a_bad_iin_and_keeps_what_was_typed(client, setup):
    response = client.post(url(setup), survey_post(setup["schools"][0], iin=bad_iin(), q_comment="сақталсын"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "сақталсын" in body and "Серікова" in body
    # Exactly the ticked choices come back ticked (the consent box is always checked,
    # so only the answers' own inputs say whether the choices were kept).
    assert checked_values(body, "q_tracks") == {"english", "unt"}
    assert checked_values(body, "q_subject") == {"math"}
    assert SurveyResponse.objects.count() == 0


def test_it_counts_a_second_response_of_the_same_student_by_iin_once_and_says_nothing(client, setup):
    iin = valid_iin()
    first = client.post(url(setup), survey_post(setup["schools"][0], iin=iin))
    again = client.post(url(setup), survey_post(setup["schools"][1], iin=iin, last_name="Басқа"))
    # The same answer as for anyone: «already received» would tell a stranger this IIN answered.
    assert again.status_code == first.status_code == 302
    assert again["Location"] == first["Location"] == reverse("surveys:thanks", args=[setup["survey"].code])
    assert SurveyResponse.objects.count() == 1
    assert SurveyResponse.objects.get().last_name == "Серікова"


def test_it_refuses_a_second_response_by_name_school_and_birth_date(client, setup):
    school = setup["schools"][0]
    client.post(url(setup), survey_post(school))
    again = client.post(url(setup), survey_post(school, last_name=" серікова ", first_name="АРУЖАН"))
    assert again.status_code == 302
    assert SurveyResponse.objects.count() == 1
    other_school = client.post(url(setup), survey_post(setup["schools"][1]))
    assert other_school.status_code == 302
    assert SurveyResponse.objects.count() == 2


def test_it_requires_consent(client, setup):
    data = survey_post(setup["schools"][0])
    del data["consent"]
    response = client.post(url(setup), data)
    assert response.status_code == 200
    assert SurveyResponse.objects.count() == 0


def test_it_requires_a_school_of_the_programme_region(client, setup):
    from .factories import SchoolFactory

    elsewhere = SchoolFactory()
    response = client.post(url(setup), survey_post(setup["schools"][0], school=str(elsewhere.pk)))
    assert response.status_code == 200
    assert SurveyResponse.objects.count() == 0


def test_it_silently_drops_a_submission_with_the_honeypot_filled(client, setup):
    response = client.post(url(setup), survey_post(setup["schools"][0], website="http://spam.example"))
    assert response.status_code == 302  # the bot learns nothing
    assert SurveyResponse.objects.count() == 0


def test_it_rate_limits_submissions_per_address_and_survey(client, setup, settings, program):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    schools = setup["schools"]
    for i in range(2):
        assert client.post(url(setup), survey_post(schools[i], first_name=f"Бала{i}")).status_code == 302
    blocked = client.post(url(setup), survey_post(schools[2], first_name="Үшінші"))
    assert blocked.status_code == 429
    assert "Үшінші" in blocked.content.decode()  # nothing typed is lost
    assert SurveyResponse.objects.count() == 2
    # Another address is not affected, nor is another survey from the same address.
    other = client.post(url(setup), survey_post(schools[2], first_name="Үшінші"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    second = needs_survey(program, code="second-survey")
    resp = client.post(
        reverse("surveys:public", args=["second-survey"]),
        survey_post(second["schools"][0], first_name="Басқа"),
    )
    assert resp.status_code == 302


def test_it_keeps_personal_data_out_of_logs(client, setup, caplog):
    iin = valid_iin(serial=7)
    with caplog.at_level(logging.DEBUG):
        client.post(url(setup), survey_post(setup["schools"][0], iin=iin))
        client.post(url(setup), survey_post(setup["schools"][0], iin=iin))
    assert iin not in caplog.text and "Серікова" not in caplog.text


def test_it_hides_unpublished_surveys(client, setup):
    survey = setup["survey"]
    survey.is_published = False
    survey.save()
    assert client.get(url(setup)).status_code == 404


def test_it_says_a_closed_survey_is_closed(client, setup):
    import datetime

    survey = setup["survey"]
    survey.opens = datetime.date(2020, 1, 1)
    survey.closes = datetime.date(2020, 2, 1)
    survey.save()
    assert client.get(url(setup)).status_code == 410
    assert client.post(url(setup), survey_post(setup["schools"][0])).status_code == 410


def test_it_refuses_other_methods(client, setup):
    assert client.put(url(setup)).status_code == 405
