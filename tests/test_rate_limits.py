"""Rate limits that stop bots, not classes (issue 16, item 8): only accepted or
honeypot-tripped submissions count, per survey and client address, the address taken
through a configured number of trusted proxies, and the 429 page says how long."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from birgemiz import antibot
from surveys.models import SurveyResponse

from .test_surveys_helpers import bad_iin, needs_survey, survey_post, valid_iin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def setup(program):
    return needs_survey(program)


def url(setup):
    return reverse("surveys:public", args=[setup["survey"].code])


def request_from(remote="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_uses_remote_addr_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert antibot.client_address(request_from("10.0.0.1", "6.6.6.6")) == "10.0.0.1"


def test_it_takes_the_address_the_trusted_proxies_saw_not_the_left_most(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote 6.6.6.6 itself; our one proxy appended the address it saw.
    assert antibot.client_address(request_from("172.16.0.2", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert antibot.client_address(request_from("172.16.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.5")) == (
        "203.0.113.7"
    )
    # Fewer entries than proxies: the left-most one, never REMOTE_ADDR (a proxy's own).
    assert antibot.client_address(request_from("172.16.0.2", "203.0.113.7")) == "203.0.113.7"
    assert antibot.client_address(request_from("172.16.0.2")) == "172.16.0.2"


def test_it_reads_the_trusted_proxy_count_from_the_environment():
    import subprocess
    import sys

    code = "import django;django.setup();from django.conf import settings;print(settings.TRUSTED_PROXY_COUNT)"
    env = {"DJANGO_SETTINGS_MODULE": "birgemiz.settings", "DEBUG": "True", "PATH": "/usr/bin:/bin"}
    plain = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    two = subprocess.run(
        [sys.executable, "-c", code], env={**env, "TRUSTED_PROXY_COUNT": "2"}, capture_output=True, text=True
    )
    one = subprocess.run(
        [sys.executable, "-c", code], env={**env, "BEHIND_PROXY": "True"}, capture_output=True, text=True
    )
    assert (plain.stdout.strip(), two.stdout.strip(), one.stdout.strip()) == ("0", "2", "1"), plain.stderr


def test_it_allows_at_least_two_hundred_answers_an_hour_from_one_address(client, setup, settings):
    for name in ("PUBLIC_FORM_RATE_LIMIT", "PUBLIC_FORM_RATE_WINDOW"):
        if hasattr(settings, name):
            delattr(settings, name)
    assert antibot.DEFAULT_LIMIT >= 200 and antibot.DEFAULT_WINDOW == 3600
    scope = f"survey:{setup['survey'].pk}"
    request = request_from("127.0.0.1")
    for _ in range(199):  # a school's 199 answers, counted as the view counts them
        assert not antibot.rate_limit_count(request, scope)
    assert client.post(url(setup), survey_post(setup["schools"][0])).status_code == 302
    assert SurveyResponse.objects.count() == 1
    blocked = client.post(url(setup), survey_post(setup["schools"][1], first_name="Екінші"))
    assert blocked.status_code == 429


def test_it_does_not_count_rejected_submissions(client, setup, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    schools = setup["schools"]
    for _ in range(31):  # typos sent back to be corrected cost nothing
        assert client.post(url(setup), survey_post(schools[0], iin=bad_iin())).status_code == 200
    for i in range(2):
        assert client.post(url(setup), survey_post(schools[i], first_name=f"Бала{i}")).status_code == 302
    assert client.post(url(setup), survey_post(schools[2], first_name="Үшінші")).status_code == 429
    assert SurveyResponse.objects.count() == 2


def test_it_counts_a_tripped_honeypot(client, setup, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 1
    assert client.post(url(setup), survey_post(setup["schools"][0], website="spam")).status_code == 302
    assert client.post(url(setup), survey_post(setup["schools"][0])).status_code == 429
    assert SurveyResponse.objects.count() == 0


def test_it_says_how_long_the_block_lasts(client, setup, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 1
    settings.PUBLIC_FORM_RATE_WINDOW = 600
    client.post(url(setup), survey_post(setup["schools"][0]))
    blocked = client.post(url(setup), survey_post(setup["schools"][1]), HTTP_ACCEPT_LANGUAGE="ru")
    body = blocked.content.decode()
    assert blocked.status_code == 429
    assert "10" in body and "минут" in body and "час" not in body.split("минут")[0][-80:]


def test_it_says_how_long_a_bad_test_link_block_lasts(client, settings):
    settings.QUIZ_RATE_BAD_TOKEN_PER_IP = (1, 600)
    token = "A" * 22
    client.get(reverse("assessments:take", args=[token]))
    blocked = client.get(reverse("assessments:take", args=[token]), HTTP_ACCEPT_LANGUAGE="ru")
    assert blocked.status_code == 429
    body = blocked.content.decode()
    assert "10 минут" in body and "минуту" not in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_blocks_one_client_behind_the_proxy_and_not_its_neighbour(live_server, chromium, settings):
    from .factories import OrganizationFactory, ProgramFactory

    settings.TRUSTED_PROXY_COUNT = 1
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    cache.clear()
    program = ProgramFactory(organization=OrganizationFactory(), code="bko-2020")
    setup = needs_survey(program)
    survey_url = f"{live_server.url}/s/{setup['survey'].code}/"

    def phone(forwarded):
        context = chromium.new_context(
            viewport={"width": 360, "height": 740},
            locale="kk-KZ",
            extra_http_headers={"X-Forwarded-For": forwarded},
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        return context, page

    def fill(page, school, first_name, iin):
        page.goto(survey_url)
        data = survey_post(school, first_name=first_name, iin=iin)
        page.fill("#id_last_name", data["last_name"])
        page.fill("#id_first_name", first_name)
        page.fill("#id_iin", data["iin"])
        page.fill("#id_birth_date", str(data["birth_date"]))
        page.check("#id_sex_1")
        page.select_option("#id_grade", str(data["grade"]))
        page.select_option("#id_school", str(school.pk))
        page.check("input[name=q_tracks][value=english]")
        page.check("#id_consent")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        return page

    schools = setup["schools"]
    room, room_page = phone("6.6.6.6, 203.0.113.7")  # the client's own left-most entry is ignored
    neighbour, neighbour_page = phone("6.6.6.6, 203.0.113.8")
    try:
        fill(room_page, schools[0], "Бір", bad_iin())  # rejected: does not count
        assert "/thanks/" not in room_page.url
        for i in range(2):
            fill(room_page, schools[i], f"Бала{i}", valid_iin(serial=10 + i))
            assert "/thanks/" in room_page.url
        # Changing the spoofed part changes nothing: the proxy's entry is the key.
        room.set_extra_http_headers({"X-Forwarded-For": "7.7.7.7, 203.0.113.7"})
        fill(room_page, schools[2], "Үшінші", valid_iin(serial=12))
        assert "/thanks/" not in room_page.url
        assert room_page.locator("text=60").count() >= 1  # «… 60 минуттан кейін …»
        assert room_page.input_value("#id_first_name") == "Үшінші"  # nothing typed is lost
        fill(neighbour_page, schools[2], "Көрші", valid_iin(serial=13))
        assert "/thanks/" in neighbour_page.url
        assert SurveyResponse.objects.count() == 3
    finally:
        room.close()
        neighbour.close()
