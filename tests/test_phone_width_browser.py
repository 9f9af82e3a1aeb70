"""No sideways scroll on a 360 px phone: as every role, headless Chromium opens every page
the role reaches from its navigation (the language crawler's walk, tests/test_language_crawl.py)
and measures `document.documentElement.scrollWidth`, which must not pass the viewport.
Wide tables scroll inside their own box (`.table-responsive`) instead of the page.

The pages are the demo programme's, rendered by Django's test client inside the demo's
transaction and handed to the browser through a route (so the browser sees exactly what a
phone would get, styles and scripts included, with no server thread outside that
transaction).
"""

import mimetypes
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client, override_settings

from birgemiz import roles

from .factories import UserFactory
from .test_language_crawl import DEMO_LOGIN, START, _links, _shape

# Page width does not depend on the database: the sweep runs in the SQLite pass of .ci/run.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        "postgresql" in settings.DATABASES["default"]["ENGINE"],
        reason="the width sweep runs once, on SQLite (page width does not depend on the database)",
    ),
]

WIDTH = 360
ORIGIN = "http://testserver"
PAGE_CAP = 150
MEASURE = "() => document.documentElement.scrollWidth"
# Which element sticks out, for the failure message.
WIDEST = """() => {
  const w = document.documentElement.clientWidth;
  const boxed = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  let worst = null;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 0.5 && (!worst || r.right > worst[1]) && !boxed(el)) {
      worst = [el.tagName + '.' + String(el.className || '').split(' ').join('.'), Math.round(r.right)];
    }
  }
  return worst;
}"""


def _client(role):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "kk"
    if role == roles.OPERATOR:
        client.force_login(UserFactory(username="width-operator", is_staff=True, roles=[roles.OPERATOR]))
    elif role != "anonymous":
        from django.contrib.auth.models import User

        client.force_login(User.objects.get(username=DEMO_LOGIN[role]))
    return client


def _static(path):
    found = finders.find(path[len(settings.STATIC_URL) :])
    return Path(found).read_bytes() if found else None


def _router(pages):
    """Serves the pages already rendered (the ORM stays in the test's own context: a
    route handler runs in another one, which would open a second connection) and the
    static files from disk."""

    def handle(route):
        parts = urlsplit(route.request.url)
        if parts.netloc != "testserver":
            return route.abort()
        if parts.path.startswith(settings.STATIC_URL):
            body = _static(parts.path)
            if body is None:
                return route.fulfill(status=404, body="")
            kind = mimetypes.guess_type(parts.path)[0] or "application/octet-stream"
            return route.fulfill(status=200, body=body, content_type=kind)
        if route.request.resource_type != "document":
            return route.fulfill(status=404, body="")
        response = pages.get(parts.path + ("?" + parts.query if parts.query else ""))
        if response is None:
            return route.fulfill(status=404, body="")
        return route.fulfill(
            status=response.status_code,
            body=response.content,
            content_type=response.get("Content-Type", "text/html"),
        )

    return handle


def _sweep(page, client, role):
    """(pages measured, {url: (scrollWidth, widest element)})."""
    seen, wide, queue, pages = set(), {}, deque(START[role]), {}
    page.route("**/*", _router(pages))
    while queue and len(seen) < PAGE_CAP:
        url = queue.popleft()
        shape = _shape(url)
        if shape in seen:
            continue
        seen.add(shape)
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.appendleft(response["Location"])
            seen.discard(shape)
            seen.add(shape + "→")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        pages.clear()
        pages[url] = response
        page.goto(ORIGIN + url, wait_until="load")
        width = page.evaluate(MEASURE)
        if width > WIDTH:
            wide[url] = (width, page.evaluate(WIDEST))
        queue.extend(link for link in _links(response.content.decode(), url) if _shape(link) not in seen)
    return seen, wide


@pytest.fixture
def phone(chromium):
    context = chromium.new_context(viewport={"width": WIDTH, "height": 740}, locale="kk-KZ")
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


@override_settings(DEBUG=False)
@pytest.mark.parametrize("role", list(START))
def test_it_never_scrolls_sideways_at_360_px(db, demo_program, phone, role, settings):
    settings.MEDIA_ROOT = str(demo_program.demo_media_root)  # the demo's files (minutes, evidence)
    seen, wide = _sweep(phone, _client(role), role)
    assert len(seen) >= len(START[role])
    report = "\n".join(f"{url}: {w} px, widest {el}" for url, (w, el) in sorted(wide.items()))
    assert not wide, f"{len(wide)} of {len(seen)} pages wider than {WIDTH} px ({role}):\n{report}"
