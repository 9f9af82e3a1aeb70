"""Typed dates have four-digit years (01.05.68 was read as 2068), and an IIN that
contradicts the birth date or the sex is an error on every write path: the admin,
the public application, the public survey, the portal and the spreadsheet import."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from birgemiz.models import District, School
from birgemiz.registers.engine import import_file
from birgemiz.registers.widgets import DateWidget
from birgemiz.validators import FullYearDateField, iin_person_errors, make_iin, validate_iin_person
from courses.models import Student
from surveys.models import SurveyResponse
from volunteers.models import VolunteerApplication

from .factories import DistrictFactory, SubjectFactory, TrackFactory
from .test_applications import post_data
from .test_applications import url as apply_url
from .test_surveys_helpers import needs_survey, survey_post

pytestmark = pytest.mark.django_db

BORN = datetime.date(2005, 5, 1)
MALE_IIN = make_iin(BORN, "M", 21)


# ---------------------------------------------------------------- the rule


def test_the_rule_compares_birth_date_and_sex_with_the_iin():
    assert iin_person_errors(MALE_IIN, BORN, "M") == {}
    assert set(iin_person_errors(MALE_IIN, BORN, "F")) == {"sex"}
    assert set(iin_person_errors(MALE_IIN, datetime.date(2005, 5, 2), "M")) == {"birth_date"}
    assert set(iin_person_errors(MALE_IIN, datetime.date(1905, 5, 1), "F")) == {"birth_date", "sex"}
    # Nothing to compare: an empty IIN, no birth date, no sex.
    assert iin_person_errors("", BORN, "F") == iin_person_errors(MALE_IIN, None, "") == {}
    with pytest.raises(ValidationError) as error:
        validate_iin_person(MALE_IIN, BORN, "F")
    assert "sex" in error.value.message_dict


# ---------------------------------------------------------------- two-digit years


@pytest.mark.parametrize("typed", ["01.05.68", "1.5.68", "01/05/68", "01.05.0068"])
def test_a_typed_date_with_a_two_digit_year_is_refused(typed):
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            FullYearDateField().clean(typed)
        assert "four digits" in " ".join(error.value.messages)
        with pytest.raises(ValueError, match="four digits"):
            DateWidget().clean(typed)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_plain_date_field_reads_the_day_first_and_refuses_two_digit_years(lang):
    # Django has no Kazakh formats: without birgemiz/formats a kk page read 01/03/2021 as
    # 3 January (US order) and Russian and English read 01.05.68 as 2068.
    from django import forms

    with translation.override(lang):
        assert forms.DateField().clean("01/03/2021") == datetime.date(2021, 3, 1)
        assert forms.DateField().clean("01.03.2021") == datetime.date(2021, 3, 1)
        with pytest.raises(ValidationError):
            forms.DateField().clean("01.05.68")


@pytest.mark.parametrize("typed", ["01.05.1968", "1968-05-01"])
def test_a_four_digit_year_is_read(typed):
    assert FullYearDateField().clean(typed) == datetime.date(1968, 5, 1)
    assert DateWidget().clean(typed) == datetime.date(1968, 5, 1)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_admin_refuses_a_two_digit_year_in_every_language(client, coordinator, program, lang):
    district = District.objects.create(region=program.region, name_kk="А")
    school = School.objects.create(district=district, name="М")
    client.force_login(coordinator)
    data = {
        "program": program.pk, "code": "S1", "last_name": "Ата", "first_name": "Ер", "middle_name": "",
        "iin": "", "sex": "M", "birth_date": "01.05.68", "grade": 10, "school": school.pk,
        "language": "kk", "social_status": "child", "phone": "",
    }
    response = client.post(reverse("admin:courses_student_add"), data, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    assert "birth_date" in response.context["adminform"].form.errors
    assert not Student.objects.exists()


def test_the_import_refuses_a_two_digit_year(program, coordinator):
    district = District.objects.create(region=program.region, name_kk="Бөрлі")
    School.objects.create(district=district, name="№1 мектеп")
    rows = "Оқушы коды;Тегі;Аты;Жынысы;Сынып;Мектеп;Туған күні\nS1;Ата;Ер;M;10;№1 мектеп;01.05.68\n"
    report = import_file("students", io.BytesIO(rows.encode()), "s.csv", program=program, user=coordinator)
    assert not report.ok and report.errors[0]["row"] == 2
    assert not Student.objects.exists()


# ---------------------------------------------------------------- IIN against the person, every path


def test_the_admin_refuses_an_iin_of_another_sex(client, coordinator, program):
    district = District.objects.create(region=program.region, name_kk="А")
    school = School.objects.create(district=district, name="М")
    client.force_login(coordinator)
    data = {
        "program": program.pk, "code": "S1", "last_name": "Ата", "first_name": "Айжан", "middle_name": "",
        "iin": MALE_IIN, "sex": "F", "birth_date": "01.05.2005", "grade": 10, "school": school.pk,
        "language": "kk", "social_status": "child", "phone": "",
    }
    response = client.post(reverse("admin:courses_student_add"), data)
    assert response.status_code == 200 and "sex" in response.context["adminform"].form.errors
    assert not Student.objects.exists()


def test_the_public_application_refuses_an_iin_that_says_another_birth_date(client, program, track):
    unt = TrackFactory(program=program, code="unt")
    choices = {"district": DistrictFactory(region=program.region), "unt": unt}
    choices["math"] = SubjectFactory(track=unt)
    iin = make_iin(datetime.date(2000, 3, 4), "F", 5)
    response = client.post(apply_url(program), post_data(choices, iin=iin, birth_date="2000-03-05"))
    assert response.status_code == 200
    assert "birth_date" in response.context["form"].errors
    assert not VolunteerApplication.objects.exists()


def test_the_public_survey_refuses_an_iin_of_another_person(client, program):
    setup = needs_survey(program)
    survey = setup["survey"]
    wrong = make_iin(datetime.date(2006, 1, 1), "M", 3)  # a boy born on another day
    data = survey_post(setup["schools"][0], iin=wrong)
    response = client.post(reverse("surveys:public", args=[survey.code]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "ЖСН" in body and not SurveyResponse.objects.exists()


def test_the_import_refuses_an_iin_that_contradicts_the_row(program, coordinator):
    district = District.objects.create(region=program.region, name_kk="Бөрлі")
    School.objects.create(district=district, name="№1 мектеп")
    rows = (
        "Оқушы коды;Тегі;Аты;ЖСН;Жынысы;Сынып;Мектеп;Туған күні\n"
        f"S1;Ата;Айжан;{MALE_IIN};F;10;№1 мектеп;01.05.2005\n"
        f"S2;Ата;Ержан;{make_iin(BORN, 'M', 22)};M;10;№1 мектеп;01.05.2005\n"
    )
    report = import_file("students", io.BytesIO(rows.encode()), "s.csv", program=program, user=coordinator)
    assert not report.ok
    assert [e["row"] for e in report.errors] == [2]
    assert not Student.objects.exists()
