"""The password pages are the product's (its header and language switch), in kk and ru:
not the admin's «Даңғо әкімшілігі» frame with an English body."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .factories import UserFactory

PAGES = {
    "/accounts/password_reset/": {"kk": "Құпиясөзді қалпына келтіру", "ru": "Восстановление пароля"},
    "/accounts/password_reset/done/": {"kk": "Құпиясөзді қалпына келтіру хаты жіберілді", "ru": "Письмо"},
    "/accounts/reset/done/": {"kk": "Құпиясөз қалпына келтірілді", "ru": "Восстановление пароля завершено"},
    "/accounts/reset/MQ/bad-token/": {
        "kk": "Құпиясөз қалпына келтірілмеді",
        "ru": "Ошибка восстановления пароля",
    },
}


def _get(url, language, client=None):
    client = client or Client()
    client.cookies["django_language"] = language
    return client.get(url, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("url", sorted(PAGES))
def test_the_password_pages_are_ours_in_the_language(url, language):
    response = _get(url, language)
    assert response.status_code == 200
    body = response.content.decode()
    assert PAGES[url][language] in body
    assert 'class="navbar' in body and "lang-switch" in body  # the product's frame
    assert "Даңғо" not in body and "Django" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("kk", "Жаңа құпиясөз енгізіңіз"), ("ru", "Введите новый пароль")]
)
def test_a_valid_reset_link_asks_for_the_new_password_in_the_language(language, heading):
    user = UserFactory(username="resetme", email="resetme@example.kz")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    response = _get(f"/accounts/reset/{uid}/{token}/", language)
    body = response.content.decode()
    assert heading in body
    assert "new_password1" in body


@pytest.mark.django_db
def test_the_password_change_page_is_ours(coordinator):
    client = Client()
    client.force_login(coordinator)
    body = _get("/accounts/password_change/", "kk", client).content.decode()
    assert "Құпиясөзді өзгерту" in body and "old_password" in body
    assert "Please enter your old password" not in body
