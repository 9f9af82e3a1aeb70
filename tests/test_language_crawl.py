"""A crawler that cannot be fooled: as every role, in kk and in ru, it visits every page
reachable from the navigation and the admin index (each changelist, add form and the
first change form), plus the error pages with DEBUG off, and fails on visible English,
on a msgid shown untranslated, and on the other language's interface text
(tests/language_crawl.py says what counts)."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client, override_settings

from birgemiz import roles

from .factories import UserFactory
from .language_crawl import foreign_texts

# Which language a page speaks does not depend on the database: the crawler (several
# minutes) runs in the SQLite pass of .ci/run and is skipped in the PostgreSQL one.
pytestmark = pytest.mark.skipif(
    "postgresql" in settings.DATABASES["default"]["ENGINE"],
    reason="the crawler runs once, on SQLite (page language does not depend on the database)",
)

HREF = re.compile(r'href="([^"#]+)"')
# Files, downloads and state-changing links are not pages to read.
SKIP = re.compile(
    r"(logout|/i18n/|\.pdf|\.xlsx|\.csv|/export|/download|/evidence/|/static/|/media/|"
    r"/jsi18n/|/r/\d+/|/autocomplete/|\?_changelist_filters|/delete/$|/history/$|mailto:|tel:)"
)
START = {
    "anonymous": [
        "/",
        "/accounts/login/",
        "/accounts/password_reset/",
        "/s/bko-2020-needs/",
        "/apply/bko-2020/",
        "/no-such-page/",
    ],
    roles.VOLUNTEER: ["/portal/"],
    roles.COUNCIL: ["/council/"],
    roles.COORDINATOR: ["/admin/", "/dashboard/", "/programs/bko-2020/report/"],
    roles.OFFICER: ["/dashboard/", "/admin/"],
    roles.OPERATOR: ["/admin/", "/dashboard/"],
}
DEMO_LOGIN = {
    roles.VOLUNTEER: "volunteer",
    roles.COUNCIL: "council",
    roles.COORDINATOR: "coordinator",
    roles.OFFICER: "officer",
}
PAGE_CAP = 400


def _shape(url):
    """One page per URL shape: /admin/x/y/12/change/ and /admin/x/y/13/change/ are one, and
    a changelist filtered or sorted is the same page; a report in the other language is not."""
    parts = urlsplit(url)
    language = re.search(r"(?:^|&)(lang=\w+)", parts.query)
    return re.sub(r"/\d+(?=/)", "/N", parts.path) + ("?" + language.group(1) if language else "")


def _links(html, base):
    for href in HREF.findall(html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or SKIP.search(url):
            continue
        yield parts.path + ("?" + parts.query if parts.query else "")


def _data_texts():
    """Every short text the records hold (names, titles, codes): data, not interface."""
    texts, words = set(), set()
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, models.CharField) and not f.choices and f.max_length and f.max_length <= 300
        ]
        for field in fields:
            for value in model.objects.values_list(field, flat=True).distinct()[:5000]:
                if value:
                    value = " ".join(str(value).split())
                    texts.add(value)
                    words.update(re.findall(r"[A-Za-z]+", value))
    return texts, words


def _crawl(client, role, language):
    seen, problems, queue = set(), {}, deque(START[role])
    while queue and len(seen) < PAGE_CAP:
        url = queue.popleft()
        shape = _shape(url)
        if shape in seen:
            continue
        seen.add(shape)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code in (301, 302):
            queue.appendleft(response["Location"])
            seen.discard(shape)
            seen.add(shape + "→")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        found = foreign_texts(html, language, _DATA[0])
        found = [p for p in found if not _only_data_words(p)]
        if found:
            problems[url] = found
        queue.extend(link for link in _links(html, url) if _shape(link) not in seen)
    return seen, problems


def _only_data_words(problem):
    """An English-looking run made only of words the records hold (an English course's
    quiz, a school's Latin name) is data."""
    match = re.match(r"English words '([^']+)'", problem)
    return bool(match) and all(w in _DATA[1] for w in re.findall(r"[A-Za-z]+", match.group(1)))


_DATA = (set(), set())


@pytest.fixture
def crawl_client(db, demo_program, settings):
    settings.DEBUG = False
    _DATA[0].clear()
    _DATA[1].clear()
    texts, words = _data_texts()
    _DATA[0].update(texts)
    _DATA[1].update(words)

    def make(role, language):
        client = Client(raise_request_exception=False)
        client.cookies["django_language"] = language
        if role == roles.OPERATOR:
            client.force_login(UserFactory(username="crawl-operator", is_staff=True, roles=[roles.OPERATOR]))
        elif role != "anonymous":
            from django.contrib.auth.models import User

            client.force_login(User.objects.get(username=DEMO_LOGIN[role]))
        return client

    return make


@override_settings(DEBUG=False)
@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("role", list(START))
def test_every_page_a_role_reaches_speaks_only_the_language(crawl_client, role, language):
    seen, problems = _crawl(crawl_client(role, language), role, language)
    assert len(seen) >= len(START[role])
    where = {}
    for url, found in sorted(problems.items()):
        for problem in found:
            where.setdefault(problem.split(" in '")[0], []).append(url)
    report = "\n".join(
        f"{problem} — {len(urls)} pages, e.g. {urls[0]}" for problem, urls in sorted(where.items())
    )
    assert not problems, f"{len(problems)} of {len(seen)} pages ({role}, {language}):\n{report}"


def test_it_catches_english_and_the_other_language():
    """The crawler's own eyes: the strings it must never let through."""
    page = (
        "<html><body><p>Recent actions</p><button title='Show counts'>x</button>"
        "<p>Please enter the correct username and password for a staff account.</p>"
        "<span>Birgemiz</span><span>12.03.2021</span><p>%s</p></body></html>"
    )
    kk_page = page % "Выйти"
    found = foreign_texts(kk_page, "kk")
    assert any("Recent actions" in p for p in found)
    assert any("Show counts" in p for p in found)
    assert any("username and password" in p for p in found)
    assert not any("Birgemiz" in p or "12.03.2021" in p for p in found)
    assert foreign_texts("<p>Бағдарлама</p>", "kk") == []
