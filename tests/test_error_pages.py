"""The product's own error pages, in the page's language, with DEBUG off (Django's test
default): never Django's bare English «Not Found», «403 Forbidden», «Bad Request (400)»,
«Server Error (500)» or its English CSRF page."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, override_settings
from django.urls import path

from birgemiz.urls import urlpatterns as product_urls


def _forbidden(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("tampered")


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("t/forbidden/", _forbidden),
    path("t/bad/", _bad),
    path("t/boom/", _boom),
    *product_urls,
]

ENGLISH = ("Not Found", "Forbidden", "Bad Request", "Server Error", "CSRF verification failed")
EXPECTED = {
    # (status, kk title, ru title)
    "/no-such-page/": (404, "Бет табылмады", "Страница не найдена"),
    "/t/forbidden/": (403, "Рұқсат жоқ", "Доступ запрещён"),
    "/t/bad/": (400, "Сұраныс дұрыс емес", "Неверный запрос"),
    "/t/boom/": (500, "Бірдеңе дұрыс болмады", "Что-то пошло не так"),
}


def _client(language):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    return client


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("url", sorted(EXPECTED))
def test_it_answers_an_error_with_its_own_page_in_the_language(url, language):
    status, kk_title, ru_title = EXPECTED[url]
    response = _client(language).get(url)
    assert response.status_code == status
    body = response.content.decode()
    assert (kk_title if language == "kk" else ru_title) in body
    assert f'lang="{language}"' in body
    assert 'href="/"' in body  # the next step: the home page
    for english in ENGLISH:
        assert english not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title"), [("kk", "Форманың мерзімі өтті"), ("ru", "Срок действия формы истёк")]
)
def test_it_explains_a_refused_form_in_the_language(language, title):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = language
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert title in body
    assert "CSRF verification failed" not in body
