"""The public volunteer application form: /apply/CODE/."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from volunteers.models import VolunteerApplication

from .factories import DistrictFactory, SubjectFactory, TrackFactory
from .test_surveys_helpers import bad_iin, valid_iin


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def form_setup(program, track):
    district = DistrictFactory(region=program.region)
    unt = TrackFactory(program=program, code="unt", name_kk="ҰБТ")
    math = SubjectFactory(track=unt, name_kk="Математика")
    return {"district": district, "track": track, "unt": unt, "math": math}


def post_data(form_setup, **overrides):
    data = {
        "last_name": "Жақсыбаева",
        "first_name": "Дана",
        "middle_name": "",
        "iin": valid_iin(serial=5, sex="F", birth=__import__("datetime").date(2000, 3, 4)),
        "sex": "F",
        "birth_date": "2000-03-04",
        "email": "dana@example.kz",
        "phone": "+77010000000",
        "district": str(form_setup["district"].pk),
        "education": "ЖОО, 3 курс",
        "occupation": "студент",
        "social_status": "youth",
        "track": str(form_setup["unt"].pk),
        "subject_list": [str(form_setup["math"].pk)],
        "motivation": "Ауыл балаларына көмектескім келеді",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def url(program):
    return reverse("volunteers:apply", args=[program.code])


def test_it_serves_the_form_without_an_account(client, program, form_setup):
    response = client.get(url(program))
    assert response.status_code == 200
    assert "Математика" in response.content.decode()


def test_it_saves_an_application_and_redirects_without_identifiers(client, program, form_setup):
    response = client.post(url(program), post_data(form_setup))
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:apply-thanks", args=[program.code])
    app = VolunteerApplication.objects.get()
    assert app.consent and app.track == form_setup["unt"] and app.subjects == "Математика"
    assert app.decision == VolunteerApplication.Decision.PENDING
    assert client.get(response["Location"]).status_code == 200


def test_it_rejects_a_bad_iin_and_keeps_what_was_typed(client, program, form_setup):
    response = client.post(url(program), post_data(form_setup, iin=bad_iin()))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ауыл балаларына көмектескім келеді" in body and "dana@example.kz" in body
    assert not VolunteerApplication.objects.exists()


def test_it_requires_consent(client, program, form_setup):
    response = client.post(url(program), post_data(form_setup, consent=None))
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert not VolunteerApplication.objects.exists()


def test_it_keeps_the_first_of_duplicate_applications_and_answers_the_same(client, program, form_setup):
    first = client.post(url(program), post_data(form_setup))
    again = client.post(url(program), post_data(form_setup, email="DANA@example.kz", last_name="Басқа"))
    # «Already received» would tell anyone that this e-mail or IIN has applied.
    assert again.status_code == first.status_code == 302
    assert again["Location"] == first["Location"]
    assert VolunteerApplication.objects.count() == 1
    assert VolunteerApplication.objects.get().last_name != "Басқа"


def test_it_refuses_subjects_of_another_track(client, program, form_setup):
    response = client.post(url(program), post_data(form_setup, track=str(form_setup["track"].pk)))
    assert response.status_code == 200
    assert "subject_list" in response.context["form"].errors


def test_it_silently_drops_a_bot_that_filled_the_honeypot(client, program, form_setup):
    response = client.post(url(program), post_data(form_setup, website="buy now"))
    assert response.status_code == 302
    assert not VolunteerApplication.objects.exists()


def test_it_rate_limits_per_address(client, program, form_setup, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 1
    assert client.post(url(program), post_data(form_setup)).status_code == 302
    blocked = client.post(url(program), post_data(form_setup, email="other@example.kz", iin=""))
    assert blocked.status_code == 429
    assert VolunteerApplication.objects.count() == 1


def test_it_404s_an_unknown_or_closed_programme(client, program):
    assert client.get(reverse("volunteers:apply", args=["nope"])).status_code == 404
    program.status = program.Status.CLOSED
    program.save()
    assert client.get(url(program)).status_code == 404
