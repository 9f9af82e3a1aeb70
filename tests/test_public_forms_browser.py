"""The public survey and application forms in headless Chromium on a 360 px wide phone."""

import pytest
from django.core.cache import cache

from surveys.models import SurveyResponse
from volunteers.models import VolunteerApplication

from .factories import DistrictFactory, OrganizationFactory, ProgramFactory, SubjectFactory
from .test_surveys_helpers import needs_survey, valid_iin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_program(transactional_db):
    cache.clear()
    return ProgramFactory(organization=OrganizationFactory(), code="bko-2020")


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_it_fills_the_survey_on_a_phone(live_server, phone_page, public_program):
    setup = needs_survey(public_program)
    school = setup["schools"][1]
    page = phone_page
    page.goto(f"{live_server.url}/s/bko-2020-needs/")
    assert no_horizontal_scroll(page)
    page.fill("#id_last_name", "Серікова")
    page.fill("#id_first_name", "Аружан")
    page.fill("#id_iin", "12345")  # wrong on purpose: the form must come back with everything kept
    page.fill("#id_birth_date", "2006-04-12")
    page.check("#id_sex_1")
    page.select_option("#id_grade", "10")
    page.select_option("#id_school", str(school.pk))
    page.check("input[name=q_tracks][value=english]")
    page.fill("#id_q_comment", "Ағылшын тілі керек")
    page.check("#id_consent")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".invalid-feedback, .is-invalid").count() > 0
    assert page.input_value("#id_q_comment") == "Ағылшын тілі керек"
    assert page.is_checked("input[name=q_tracks][value=english]")
    page.fill("#id_iin", valid_iin(serial=3, sex="F"))
    page.check("#id_consent")
    page.click("main button[type=submit]")
    page.wait_for_url("**/s/bko-2020-needs/thanks/")
    assert "bko-2020-needs/thanks/" in page.url and "?" not in page.url
    saved = SurveyResponse.objects.get()
    assert saved.school == school and saved.answers.filter(choice__value="english").exists()


def test_it_fills_the_application_form_on_a_phone(live_server, phone_page, public_program):
    from .factories import TrackFactory

    district = DistrictFactory(region=public_program.region)
    track = TrackFactory(program=public_program, code="unt", name_kk="ҰБТ-ға дайындық")
    subject = SubjectFactory(track=track, name_kk="Математика")
    page = phone_page
    page.goto(f"{live_server.url}/apply/bko-2020/")
    assert no_horizontal_scroll(page)
    page.fill("#id_last_name", "Жақсыбаева")
    page.fill("#id_first_name", "Дана")
    page.fill("#id_iin", valid_iin(serial=8, sex="F"))
    page.check("#id_sex_1")
    page.fill("#id_birth_date", "2006-04-12")
    page.fill("#id_email", "dana@example.kz")
    page.fill("#id_phone", "+77010000000")
    page.select_option("#id_district", str(district.pk))
    page.fill("#id_education", "ЖОО")
    page.check(f"input[name=track][value='{track.pk}']")
    page.check(f"input[name=subject_list][value='{subject.pk}']")
    page.fill("#id_motivation", "Ауыл балаларына көмектескім келеді")
    with page.expect_navigation():
        page.click("main button[type=submit]")  # consent missing: rejected, nothing lost
    assert page.input_value("#id_motivation") == "Ауыл балаларына көмектескім келеді"
    assert not VolunteerApplication.objects.exists()
    page.check("#id_consent")
    page.click("main button[type=submit]")
    page.wait_for_url("**/apply/bko-2020/thanks/")
    app = VolunteerApplication.objects.get()
    assert app.track == track and app.subjects == "Математика" and app.consent
