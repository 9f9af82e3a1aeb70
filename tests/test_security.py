"""Security baseline: password rules, login throttling by username, production
settings (secure cookies, HSTS, `check --deploy`), refusal of the default key."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from .factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery"  # the factories' password


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(
    "password",
    ["Qw3rty-Zx9!", "123456789012345", "password1234", "coordinator-1"],
    ids=["11-characters", "numeric", "common", "like-the-username"],
)
def test_it_refuses_weak_passwords(db, password):
    user = UserFactory.build(username="coordinator", email="coordinator@example.kz")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_it_accepts_a_long_uncommon_password(db):
    validate_password("Жайық-өзені-2020-көктем", UserFactory.build(username="aigul"))


# ---------------------------------------------------------------- throttling by username

LOGIN_URLS = ["login", "admin:login"]


def attempt(client, url_name, username, password, ip):
    return client.post(
        reverse(url_name), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.mark.parametrize("url_name", LOGIN_URLS)
def test_it_locks_a_username_after_five_wrong_passwords_from_any_address(client, db, url_name):
    UserFactory(username="aigul", is_staff=True)
    for i in range(4):
        response = attempt(client, url_name, "aigul", "wrong-password", f"10.0.0.{i + 1}")
        assert response.status_code == 200  # the form again, with an error
    # The fifth wrong password locks the username...
    assert attempt(client, url_name, "aigul", "wrong-password", "10.0.0.5").status_code == 429
    # ...so even the right password from yet another address is refused now.
    locked = attempt(client, url_name, "aigul", PASSWORD, "10.0.0.99")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("url_name", LOGIN_URLS)
def test_it_does_not_lock_another_username_on_the_same_address(client, db, url_name):
    UserFactory(username="aigul", is_staff=True)
    UserFactory(username="bolat", is_staff=True)
    for _ in range(5):
        attempt(client, url_name, "aigul", "wrong-password", "10.0.0.1")
    assert attempt(client, url_name, "aigul", PASSWORD, "10.0.0.1").status_code == 429
    response = attempt(client, url_name, "bolat", PASSWORD, "10.0.0.1")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_it_does_not_lock_after_four_wrong_passwords(client, db):
    UserFactory(username="aigul")
    for _ in range(4):
        attempt(client, "login", "aigul", "wrong-password", "10.0.0.1")
    assert attempt(client, "login", "aigul", PASSWORD, "10.0.0.1").status_code == 302


# ---------------------------------------------------------------- production settings


def production_env(tmp_path, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "SECURE_SSL_REDIRECT",
            "DJANGO_SETTINGS_MODULE",
            # Set by the browser tests' fixture; never part of a deployment.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
        and not k.startswith("PYTEST")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="birgemiz.settings",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="birgemiz.example.kz,testserver",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_it_passes_check_deploy_with_production_variables(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout


@pytest.mark.slow
def test_it_refuses_to_start_with_debug_off_and_the_default_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Only the static manifest (built by collectstatic on a real deployment) is swapped out.
storages = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=storages):
    response = Client().get("/accounts/login/", secure=True)
    insecure = Client().get("/accounts/login/")
print(json.dumps({
    "status": response.status_code,
    "hsts": response.headers.get("Strict-Transport-Security", ""),
    "csrf_cookie_secure": bool(response.cookies["csrftoken"]["secure"]),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "insecure_status": insecure.status_code,
    "insecure_location": insecure.headers.get("Location", ""),
}))
"""


@pytest.mark.slow
def test_it_sends_hsts_and_secure_cookies_and_redirects_to_https_in_production(tmp_path):
    result = run(["-c", PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["status"] == 200
    assert "max-age=31536000" in facts["hsts"] and "includeSubDomains" in facts["hsts"]
    assert facts["csrf_cookie_secure"] and facts["session_cookie_secure"] and facts["session_cookie_httponly"]
    assert facts["insecure_status"] == 301
    assert facts["insecure_location"].startswith("https://")


def test_it_sends_no_hsts_in_development(client, db):
    # The test settings run with DEBUG on: no HSTS, so a developer's browser never pins localhost.
    response = client.get(reverse("login"))
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# ---------------------------------------------------------------- DEBUG is off unless asked for


@pytest.mark.slow
def test_it_runs_without_debug_when_debug_is_not_set(tmp_path):
    """With DEBUG unset the app ran in debug mode with the public development key."""
    env = production_env(tmp_path)
    del env["DEBUG"]
    probe = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = run(["-c", probe], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"
    del env["SECRET_KEY"]
    refused = run(["manage.py", "check"], env)
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr


def test_the_makefile_turns_debug_on_for_development():
    makefile = (ROOT / "Makefile").read_text()
    assert "export DEBUG ?= True" in makefile


# ---------------------------------------------------------------- headers: CSP and no-store


def test_every_page_sends_a_content_security_policy_without_inline_scripts(client, db):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"] and "http" not in policy


def test_no_template_holds_an_inline_script():
    """The policy refuses inline scripts: every script is a vendored file."""
    inline = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1):
                inline.append(str(template.relative_to(ROOT)))
        if re.search(r"\son[a-z]+=\"", text):
            inline.append(f"{template.relative_to(ROOT)} (event handler attribute)")
    assert inline == []


@pytest.mark.parametrize("url_name", ["login", "password_reset"])
def test_public_pages_are_not_stored_by_browsers(client, db, url_name):
    assert "no-store" in client.get(reverse(url_name)).headers["Cache-Control"]


def test_pages_with_personal_data_are_not_stored(client, coordinator, group, program):
    client.force_login(coordinator)
    for url in (
        reverse("admin:courses_student_changelist"),
        reverse("assessments:lessons", args=[program.code]),
        reverse("volunteers:meetings", args=[program.code]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        cache_control = response.headers["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


def test_static_files_keep_their_cache(db, settings):
    from django.test import Client

    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/js/copy-links.js")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


# ---------------------------------------------------------------- password reset


def reset(client, email, ip="10.1.1.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_is_throttled_per_address_and_per_account(client, db, mailoutbox, settings):
    """40 requests used to send 40 e-mails."""
    from django.core.cache import cache

    cache.clear()
    settings.PASSWORD_RESET_LIMIT = 3
    UserFactory(username="aigul", email="aigul@example.kz")
    responses = [reset(client, "aigul@example.kz", ip=f"10.0.0.{i}") for i in range(40)]
    assert all(r.status_code == 302 for r in responses)  # the same answer every time
    assert len(mailoutbox) == 3
    # Another spelling of the address reaches the same account: still no more e-mails.
    reset(client, "AIGUL@example.kz")
    assert len(mailoutbox) == 3


def test_password_reset_is_throttled_per_network_address(client, db, mailoutbox, settings):
    from django.core.cache import cache

    cache.clear()
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 5
    for i in range(8):
        UserFactory(username=f"u{i}", email=f"u{i}@example.kz")
        reset(client, f"u{i}@example.kz", ip="10.9.9.9")
    assert len(mailoutbox) == 5


def test_password_reset_says_the_same_for_an_unknown_address(client, db, mailoutbox):
    from django.core.cache import cache

    cache.clear()
    UserFactory(username="aigul", email="aigul@example.kz")
    known, unknown = reset(client, "aigul@example.kz"), reset(client, "nobody@example.kz")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mailoutbox) == 1
