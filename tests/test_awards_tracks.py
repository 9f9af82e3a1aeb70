"""Awards do not shut out whole tracks (issue 16, item 3): hours count within each
track against that track's plan, so volunteers of an 8-hour track and of a 48-hour
track can both win, and hours past the plan lower nobody else's score."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from assessments import awards
from birgemiz import roles

from .factories import OrganizationFactory, ProgramFactory, TrackFactory, UserFactory, VolunteerFactory
from .test_certificates import teach


def two_tracks(program):
    short = TrackFactory(program=program, code="olymp", name_kk="Олимпиада", planned_hours=Decimal("8"))
    long = TrackFactory(program=program, code="english", name_kk="Ағылшын тілі", planned_hours=Decimal("48"))
    return short, long


def volunteers_of(program, short, long):
    # Both tracks have a volunteer who gave the whole plan, one who gave half of it.
    made = {}
    for name, track, hours in (
        ("Қысқа-толық", short, "8"),
        ("Қысқа-жарты", short, "4"),
        ("Ұзын-толық", long, "8"),  # one 8-hour lesson … topped up below
        ("Ұзын-жарты", long, "8"),
    ):
        v = VolunteerFactory(program=program, track=track, last_name=name)
        group = teach(v, hours=hours, present=2, absent=0, pre=40, post=70)
        made[name] = (v, group)
    from courses.models import Lesson

    # The long track's plan is 48: 6 × 8 hours for the full one, 3 × 8 for the half one.
    for name, extra in (("Ұзын-толық", 5), ("Ұзын-жарты", 2)):
        _v, group = made[name]
        for day in range(extra):
            Lesson.objects.create(group=group, date=datetime.date(2020, 7, day + 1), hours=Decimal("8"),
                                  topic="Т", status=Lesson.Status.CONFIRMED)
    return {name: v for name, (v, _g) in made.items()}


def test_it_measures_hours_within_each_track_so_both_tracks_can_win(program):
    short, long = two_tracks(program)
    people = volunteers_of(program, short, long)
    rows, _extremes = awards.award_ranking(program)
    by_name = {r.volunteer.last_name: r for r in rows}
    assert by_name["Қысқа-толық"].hours == Decimal("8") and by_name["Қысқа-толық"].plan == Decimal("8")
    assert by_name["Ұзын-толық"].hours == Decimal("48") and by_name["Ұзын-толық"].plan == Decimal("48")
    # The same share of the plan gives the same score, whatever the track's length.
    assert by_name["Қысқа-толық"].score == by_name["Ұзын-толық"].score == Decimal("100.0")
    assert by_name["Қысқа-жарты"].score == by_name["Ұзын-жарты"].score == Decimal("80.0")
    top_two = {r.volunteer for r in rows[:2]}
    assert top_two == {people["Қысқа-толық"], people["Ұзын-толық"]}


def test_it_does_not_let_hours_past_the_plan_lower_anyone_else(program):
    short, long = two_tracks(program)
    people = volunteers_of(program, short, long)
    before = {r.volunteer.pk: r.score for r in awards.award_ranking(program)[0]}
    from courses.models import CourseGroup, Lesson

    group = CourseGroup.objects.get(volunteer=people["Ұзын-толық"])
    for day in range(10):  # far past the plan
        Lesson.objects.create(group=group, date=datetime.date(2020, 8, day + 1), hours=Decimal("8"),
                              topic="Т", status=Lesson.Status.CONFIRMED)
    after = {r.volunteer.pk: r.score for r in awards.award_ranking(program)[0]}
    assert after == before


def test_it_says_on_the_page_that_hours_count_within_the_track(client, coordinator, program):
    short, long = two_tracks(program)
    volunteers_of(program, short, long)
    client.force_login(coordinator)
    url = reverse("assessments:awards", args=[program.code])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "planned hours" in body and "most hours" not in body
    assert "8 / 8" in body and "48 / 48" in body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_proposes_volunteers_of_both_tracks_on_a_phone(live_server, phone_page):
    from .test_portal_browser import PASSWORD, log_in

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    org = OrganizationFactory()
    program = ProgramFactory(organization=org, code="bko-awards")
    short, long = two_tracks(program)
    people = volunteers_of(program, short, long)
    coordinator = UserFactory(username="coord-awards", is_staff=True, roles=[roles.COORDINATOR])
    coordinator.set_password(PASSWORD)
    coordinator.save()
    org.members.add(coordinator)
    page = phone_page
    log_in(page, live_server.url, "coord-awards")
    page.goto(f"{live_server.url}/programs/{program.code}/awards/?top=2")
    proposed = page.locator("input[name=volunteers]:checked")
    assert proposed.count() == 2
    ids = {int(proposed.nth(i).get_attribute("value")) for i in range(2)}
    assert ids == {people["Қысқа-толық"].pk, people["Ұзын-толық"].pk}
    assert page.locator("[data-test=hours-of-plan]").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
