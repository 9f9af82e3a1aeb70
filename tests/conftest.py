"""Personas shared by every test file.

- `program`: a programme of `org`, with one track, one group of three students.
- `coordinator`: coordinates `org`; `outsider`: coordinates another organisation.
- `officer`: a grant officer (reads everything, changes nothing).
- `operator`: the grant operator's staff administrator (reads everything; changes the
  shared reference data, organisations and the security policy).
- `superuser`: a superuser.
- `volunteer_user`: the volunteer who teaches `group`; `other_volunteer_user` teaches another group.
- `council_user`: a council member of `program`.
"""

import pytest

from birgemiz import roles

from .factories import (
    CouncilMemberFactory,
    CourseGroupFactory,
    EnrollmentFactory,
    OrganizationFactory,
    ProgramFactory,
    TrackFactory,
    UserFactory,
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "worker: starts real worker processes (needs PostgreSQL or BIRGEMIZ_TEST_SQLITE)"
    )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org(db):
    return OrganizationFactory()


@pytest.fixture
def program(org):
    return ProgramFactory(organization=org, code="test-2020")


@pytest.fixture
def track(program):
    return TrackFactory(program=program, code="english", name_kk="Ағылшын тілі")


@pytest.fixture
def coordinator(org):
    user = UserFactory(username="coord", is_staff=True, roles=[roles.COORDINATOR])
    org.members.add(user)
    return user


@pytest.fixture
def outsider(db):
    other_org = OrganizationFactory()
    ProgramFactory(organization=other_org, code="other-2020")
    user = UserFactory(username="outsider", is_staff=True, roles=[roles.COORDINATOR])
    other_org.members.add(user)
    return user


@pytest.fixture
def officer(db):
    return UserFactory(username="officer", is_staff=True, roles=[roles.OFFICER])


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_staff=True, roles=[roles.OPERATOR])


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def volunteer_user(program, track):
    return UserFactory(username="vol", roles=[roles.VOLUNTEER])


@pytest.fixture
def group(program, track, volunteer_user):
    group = CourseGroupFactory(program=program, track=track, name="Ағылшын-1")
    group.volunteer.user = volunteer_user
    group.volunteer.save()
    for _ in range(3):
        EnrollmentFactory(group=group)
    return group


@pytest.fixture
def other_volunteer_user(program, track):
    user = UserFactory(username="vol2", roles=[roles.VOLUNTEER])
    other = CourseGroupFactory(program=program, track=track, name="Ағылшын-2")
    other.volunteer.user = user
    other.volunteer.save()
    EnrollmentFactory(group=other)
    return user


@pytest.fixture
def council_user(program):
    user = UserFactory(username="council", roles=[roles.COUNCIL])
    CouncilMemberFactory(program=program, user=user)
    return user


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium driven by Playwright; skipped (with the reason) when absent.

    Playwright's sync API keeps an event loop running in this thread for the rest of the
    session: a later test whose code calls async_to_sync makes that call in a thread of its
    own (tests/test_jobs_worker.py, the health check)."""
    import os
    import shutil

    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        pytest.skip("Chromium is not installed (apt-get install -y chromium); browser tests skipped")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed; browser tests skipped")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made
    # by the test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
            headless=True,
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium):
    """A fresh browser context the size of a 360 px wide phone."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="kk-KZ")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def demo_program(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 2020 West Kazakhstan demo programme (`manage.py load_demo`), loaded once per module.

    It is written inside a transaction that is rolled back when the module ends, so
    other modules never see it. Use it together with `db`: each test then runs in a
    savepoint inside that transaction. Evidence files go to a temporary MEDIA_ROOT,
    kept as `demo_program.demo_media_root` for tests that read them.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction
    from django.test import override_settings

    from birgemiz.models import Program
    from demo.bko2020 import PROGRAM_CODE

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=str(media), DEBUG=True):
                call_command("load_demo", stdout=io.StringIO())
            program = Program.objects.get(code=PROGRAM_CODE)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    program.demo_media_root = media
    try:
        yield program
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
