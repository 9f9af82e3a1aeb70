"""A volunteer on a 360 px phone: log in, log a lesson with two students absent, enter a
post-test score, and see hours (once the coordinator confirms) and growth change.

Screenshots of each page land in $BIRGEMIZ_SCREENSHOTS when it is set (else in tmp_path).
"""

import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from birgemiz import roles
from courses.models import Lesson

from .factories import (
    CourseGroupFactory,
    EnrollmentFactory,
    OrganizationFactory,
    ProgramFactory,
    SubjectFactory,
    TrackFactory,
    UserFactory,
)
from .factories import (
    TestResultFactory as ScoreFactory,
)

PASSWORD = "correct-horse-battery"
PHONE_WIDTH = 360

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def world(transactional_db):
    # transactional_db flushes the role groups the migration made; bring them back.
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    today = timezone.localdate()
    org = OrganizationFactory()
    program = ProgramFactory(
        organization=org,
        code="bko-live",
        start=today - datetime.timedelta(days=90),
        end=today + datetime.timedelta(days=90),
    )
    track = TrackFactory(program=program, name_kk="Ағылшын тілі", planned_hours=Decimal("48"))
    volunteer_user = UserFactory(username="aigul", roles=[roles.VOLUNTEER])
    group = CourseGroupFactory(
        program=program,
        track=track,
        subject=SubjectFactory(track=track, name_kk="Грамматика"),
        name="Ағылшын-7",
        schedule="Сс, Бс 16:00 (Zoom)",
    )
    group.volunteer.user = volunteer_user
    group.volunteer.save()
    names = ["Әбілқайырова Дана", "Бекова Жанар", "Қасымов Ерлан", "Нұрланұлы Арман", "Серікова Әйгерім"]
    students = []
    for name in names:
        last, first = name.split()
        enrollment = EnrollmentFactory(group=group, student__last_name=last, student__first_name=first)
        students.append(enrollment.student)
        ScoreFactory(student=enrollment.student, track=track, kind="pre", score=Decimal("46"))
    coordinator = UserFactory(username="coord-live", is_staff=True, roles=[roles.COORDINATOR])
    org.members.add(coordinator)
    return {"program": program, "group": group, "students": students, "coordinator": coordinator}


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("BIRGEMIZ_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name, phone=True):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        if phone:
            # Phone first: nothing may push the page sideways.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, f"{name}: page is {width}px wide at {PHONE_WIDTH}px"

    return take


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def text_of(page, selector):
    return page.locator(selector).inner_text().strip()


def test_a_volunteer_logs_a_lesson_and_a_score_from_a_phone(live_server, phone_page, chromium, world, shots):
    page, base = phone_page, live_server.url
    group, students = world["group"], world["students"]
    absent = students[1:3]

    log_in(page, base, "aigul")
    assert page.url == f"{base}/portal/"
    assert text_of(page, "[data-test=confirmed-hours]") == "0"
    assert "Ағылшын-7" in page.content()
    shots(page, "1-portal-home")

    # Log today's lesson with two students absent.
    page.click(f"a[href='/portal/groups/{group.pk}/lessons/new/']")
    assert page.input_value("input[name=date]") == timezone.localdate().isoformat()
    page.select_option("select[name=hours]", "2")
    page.fill("input[name=topic]", "Past Simple: тұрақсыз етістіктер")
    for student in absent:
        page.uncheck(f"input[name=present][value='{student.pk}']")
    shots(page, "2-lesson-form")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{base}/portal/groups/{group.pk}/"

    lesson = Lesson.objects.get(group=group)
    assert lesson.status == Lesson.Status.PENDING and lesson.hours == Decimal("2")
    assert sorted(lesson.attendance.filter(present=False).values_list("student_id", flat=True)) == sorted(
        s.pk for s in absent
    )

    # Pending hours show separately; confirmed hours have not moved.
    page.goto(f"{base}/portal/")
    assert text_of(page, "[data-test=confirmed-hours]") == "0"
    assert "2" in text_of(page, "[data-test=pending-hours]")

    # Post-test score for the first student, typed with a comma.
    page.goto(f"{base}/portal/groups/{group.pk}/scores/")
    # A typo first: the grid comes back with the typed values and the bad cell marked.
    page.fill(f"input[name=post_{students[0].pk}]", "80,5")
    page.fill(f"input[name=post_{students[1].pk}]", "8O")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.input_value(f"input[name=post_{students[0].pk}]") == "80,5"
    assert page.input_value(f"input[name=post_{students[1].pk}]") == "8O"
    assert page.locator("input.is-invalid").count() == 1
    shots(page, "3-score-grid-error")
    page.fill(f"input[name=post_{students[1].pk}]", "")
    shots(page, "3-score-grid")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.input_value(f"input[name=post_{students[0].pk}]") == "80.5"

    page.goto(f"{base}/portal/groups/{group.pk}/students/{students[0].pk}/")
    assert text_of(page, "[data-test=growth]").startswith("34,5")  # Kazakh writes a decimal comma
    assert text_of(page, "[data-test=attendance]").startswith("100%")
    page.goto(f"{base}/portal/groups/{group.pk}/students/{absent[0].pk}/")
    assert text_of(page, "[data-test=growth]") == "—"
    assert text_of(page, "[data-test=attendance]").startswith("0%")
    shots(page, "4-student")

    # The coordinator confirms the lesson from their own page, on a phone too.
    context = chromium.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="kk-KZ")
    coord = context.new_page()
    try:
        log_in(coord, base, "coord-live")
        coord.goto(f"{base}/programs/bko-live/lessons/")
        assert "Past Simple" in coord.content()
        shots(coord, "5-coordinator")
        coord.set_viewport_size({"width": 1280, "height": 800})
        shots(coord, "5-coordinator-desktop", phone=False)
        coord.set_viewport_size({"width": PHONE_WIDTH, "height": 740})
        coord.click(f"#lesson-{lesson.pk} button.btn-success")
        coord.wait_for_load_state()
        assert re.search(r"/programs/bko-live/lessons/", coord.url)
    finally:
        context.close()
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.CONFIRMED

    page.goto(f"{base}/portal/")
    assert text_of(page, "[data-test=confirmed-hours]") == "2"
    assert page.locator("[data-test=pending-hours]").count() == 0
    page.goto(f"{base}/portal/groups/{group.pk}/")
    # "2 of 48" / "48 ішінен 2": the word order depends on the language.
    assert "2" in text_of(page, "[data-test=group-confirmed-hours]").split()
    shots(page, "6-group")
