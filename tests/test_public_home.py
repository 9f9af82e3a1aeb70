"""No dead ends for a visitor: the home page offers the open surveys, the volunteer
application, the certificate check and the log-in (with «forgot password»); a closed
survey says when it ran and whom to ask; the admin links to the programme's own pages
and those pages link back; the demo keeps a survey open for a newcomer to fill in."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from birgemiz.models import Program

from .factories import ProgramFactory, SurveyFactory
from .test_surveys_helpers import needs_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _today():
    return timezone.localdate()


@pytest.fixture
def surveys(program):
    today = _today()
    needs_survey(program, code="open-now")
    SurveyFactory(
        program=program,
        code="closed-one",
        title_kk="Өткен сауалнама",
        is_published=True,
        opens=today - datetime.timedelta(days=60),
        closes=today - datetime.timedelta(days=30),
    )
    SurveyFactory(program=program, code="draft-one", title_kk="Жоба сауалнама", is_published=False)
    return program


@pytest.mark.parametrize(
    "language, words",
    [
        (
            "kk",
            [
                "Сауалнаманы толтыру",
                "Волонтер болу",
                "Сертификатты тексеру",
                "Кіру",
                "Құпиясөзіңізді ұмыттыңыз ба?",
            ],
        ),
        ("ru", ["Заполнить анкету", "Стать волонтёром", "Проверка сертификата", "Войти", "Забыли пароль?"]),
    ],
)
def test_the_home_page_offers_a_visitor_everything_public(client, surveys, language, words):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("surveys:public", args=["open-now"]) in body
    assert reverse("surveys:public", args=["closed-one"]) not in body
    assert reverse("surveys:public", args=["draft-one"]) not in body
    assert reverse("volunteers:apply", args=[surveys.code]) in body
    assert f'action="{reverse("volunteers:verify-check")}"' in body and 'name="code"' in body
    assert reverse("login") in body and reverse("password_reset") in body
    for word in words:
        assert word in body, word


def test_the_home_page_leaves_out_closed_and_generated_programmes(client, surveys):
    ProgramFactory(code="gen-2020", is_synthetic=True)
    ProgramFactory(code="old-2019", status=Program.Status.CLOSED)
    body = client.get(reverse("home")).content.decode()
    assert "/apply/gen-2020/" not in body and "/apply/old-2019/" not in body


def test_the_home_page_asks_a_fixed_number_of_queries(client, surveys, django_assert_max_num_queries):
    for n in range(5):
        needs_survey(ProgramFactory(code=f"more-{n}"), code=f"more-survey-{n}")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("home")).status_code == 200


def test_the_log_in_page_offers_forgot_password(client):
    body = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in body


def test_a_closed_survey_says_when_it_ran_and_whom_to_ask(client, surveys):
    org = surveys.organization
    org.phone, org.email = "+7 711 250 00 00", "info@example.kz"
    org.save()
    response = client.get(reverse("surveys:public", args=["closed-one"]))
    assert response.status_code == 410
    body = response.content.decode()
    closed = surveys.surveys.get(code="closed-one")
    assert closed.opens.strftime("%d.%m.%Y") in body and closed.closes.strftime("%d.%m.%Y") in body
    assert "info@example.kz" in body and "+7 711 250 00 00" in body and org.name_kk in body
    # The programme's open survey is one tap away, and the home page too.
    assert reverse("surveys:public", args=["open-now"]) in body and f'href="{reverse("home")}"' in body
    refused = client.post(reverse("surveys:public", args=["closed-one"]), {"last_name": "Серікова"})
    assert refused.status_code == 410


def test_a_survey_not_open_yet_says_when_it_opens(client, program):
    soon = _today() + datetime.timedelta(days=5)
    SurveyFactory(program=program, code="soon", is_published=True, opens=soon)
    response = client.get(reverse("surveys:public", args=["soon"]))
    assert response.status_code == 410 and soon.strftime("%d.%m.%Y") in response.content.decode()


def test_the_admin_links_to_the_programmes_own_pages_and_they_link_back(
    client, coordinator, program, outsider
):
    client.force_login(coordinator)
    body = client.get(reverse("admin:index")).content.decode()
    for name in ("reporting:report", "assessments:lessons", "surveys:list", "volunteers:ranking"):
        assert reverse(name, args=[program.code]) in body, name
    assert reverse("reporting:report", args=["other-2020"]) not in body  # another organisation's
    assert reverse("dashboard:index") in body and reverse("registers:index") in body
    page = client.get(reverse("surveys:list", args=[program.code])).content.decode()
    assert f'href="{reverse("admin:index")}#programme-pages"' in page
    assert reverse("dashboard:index") in page


def test_the_admin_log_in_page_offers_forgot_password_too(client):
    body = client.get(reverse("admin:login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in body
