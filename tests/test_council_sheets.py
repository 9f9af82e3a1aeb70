"""Fair council rankings (issue 16, item 2): an application counts as scored by a member
only when every criterion is scored; partial sheets neither rank nor reveal the others'
scores; members get «unscored only», «next application» and a compact score control."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from birgemiz import roles
from volunteers.models import ApplicationScore

from .factories import (
    CouncilMemberFactory,
    OrganizationFactory,
    ProgramFactory,
    SelectionCriterionFactory,
    TrackFactory,
    UserFactory,
    VolunteerApplicationFactory,
)
from .test_council import score


def build(program, track, n_criteria=5):
    members = [CouncilMemberFactory(program=program, user=UserFactory(roles=[roles.COUNCIL]),
                                    full_name=f"Мүше {i}") for i in range(3)]
    criteria = [SelectionCriterionFactory(program=program, order=i) for i in range(n_criteria)]
    full = VolunteerApplicationFactory(program=program, track=track, last_name="Толық")
    partial = VolunteerApplicationFactory(program=program, track=track, last_name="Жартылай")
    untouched = VolunteerApplicationFactory(program=program, track=track, last_name="Бос")
    score(members[0], full, criteria, [5, 5, 4, 5, 4])
    score(members[1], full, criteria, [5, 4, 5, 4, 5])
    # Two one-criterion scores (an import, or a criterion added later): a 5.00 «average».
    for member in members[:2]:
        ApplicationScore.objects.create(application=partial, member=member, criterion=criteria[0], score=5)
    return {
        "members": members, "criteria": criteria, "full": full, "partial": partial, "untouched": untouched
    }


def test_it_ranks_fully_scored_applications_first_and_ignores_partial_sheets(program, track):
    from volunteers import selectors

    w = build(program, track)
    rows = selectors.application_ranking(program)
    assert rows[0] == w["full"] and rows[0].members_scored == 2
    assert rows[0].average == pytest.approx(46 / 10)
    partial = next(r for r in rows if r == w["partial"])
    assert partial.average is None and partial.members_scored == 0


def test_it_shows_the_ranking_with_the_count_of_members(client, coordinator, program, track):
    w = build(program, track)
    client.force_login(coordinator)
    body = client.get(reverse("volunteers:ranking", args=[program.code])).content.decode()
    assert body.index("Толық") < body.index("Жартылай")
    assert "2 / 3" in body and "0 / 3" in body
    assert reverse("admin:volunteers_volunteerapplication_change", args=[w["full"].pk]) in body


def test_it_does_not_count_a_partial_sheet_as_scored_nor_reveal_others(client, program, track):
    w = build(program, track)
    member = w["members"][0]
    client.force_login(member.user)
    home = client.get(reverse("volunteers:council"))
    rows = {r["app"].pk: r for r in home.context["programs"][0]["rows"]}
    assert rows[w["partial"].pk]["scored"] is False and rows[w["partial"].pk]["average"] is None
    assert home.context["programs"][0]["todo"] == 2  # the partial one and the untouched one
    page = client.get(reverse("volunteers:council-application", args=[w["partial"].pk]))
    assert page.context["others"] is None and page.context["partial"] is True
    body = page.content.decode()
    assert "Мүше 1" not in body and 'data-test="partial-sheet"' in body


def test_it_filters_the_unscored_applications(client, program, track):
    w = build(program, track)
    client.force_login(w["members"][0].user)
    response = client.get(reverse("volunteers:council"), {"show": "unscored"})
    shown = {r["app"].pk for r in response.context["programs"][0]["rows"]}
    assert shown == {w["partial"].pk, w["untouched"].pk}


def test_it_goes_to_the_next_unscored_application_after_saving(client, program, track):
    w = build(program, track)
    client.force_login(w["members"][0].user)
    url = reverse("volunteers:council-application", args=[w["partial"].pk])
    post = {f"c{c.pk}": "3" for c in w["criteria"]}
    response = client.post(url, post)
    assert response.status_code == 302
    assert response["Location"] == reverse("volunteers:council-application", args=[w["untouched"].pk])
    last = client.post(reverse("volunteers:council-application", args=[w["untouched"].pk]), post)
    assert last["Location"] == reverse("volunteers:council")
    assert ApplicationScore.objects.filter(member=w["members"][0]).count() == 15


def test_it_offers_a_compact_score_control(client, program, track):
    w = build(program, track)
    client.force_login(w["members"][2].user)
    body = client.get(reverse("volunteers:council-application", args=[w["full"].pk])).content.decode()
    assert body.count('data-test="score-control"') == 5
    assert body.count('class="btn-check"') == 25
    assert 'data-test="next-application"' in body


def test_it_keeps_the_council_list_queries_flat(client, program, track, django_assert_max_num_queries):
    w = build(program, track)
    client.force_login(w["members"][0].user)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("volunteers:council"))
    for _ in range(10):
        app = VolunteerApplicationFactory(program=program, track=track)
        score(w["members"][1], app, w["criteria"], [3, 3, 3, 3, 3])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("volunteers:council"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_member_with_a_partial_sheet_finishes_it_on_a_phone(live_server, phone_page):
    from .test_portal_browser import PASSWORD, log_in

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    program = ProgramFactory(organization=OrganizationFactory(), code="bko-council")
    track = TrackFactory(program=program)
    w = build(program, track)
    user = w["members"][0].user
    user.username = "council-phone"
    user.set_password(PASSWORD)
    user.save()
    page, base = phone_page, live_server.url
    log_in(page, base, "council-phone")
    page.goto(f"{base}/council/")
    with page.expect_navigation():  # both are links: wait for the next page before reading it
        page.click("[data-test=unscored-only]")
    assert page.locator("[data-test=council-row]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_navigation():
        page.click("text=Жартылай")
    assert page.locator("[data-test=partial-sheet]").is_visible()
    assert "Мүше 1" not in page.content()  # the other members' sheets stay hidden
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for criterion in w["criteria"]:
        page.click(f"label[for=id_c{criterion.pk}_3]")  # «4» of one compact row of buttons
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/council/applications/{w['untouched'].pk}/")
    assert ApplicationScore.objects.filter(member=w["members"][0], application=w["partial"]).count() == 5
    assert set(
        ApplicationScore.objects.filter(member=w["members"][0], application=w["partial"]).values_list(
            "score", flat=True
        )
    ) == {4}
    page.goto(f"{base}/council/applications/{w['partial'].pk}/")
    # Now the table shows: this member's complete sheet, never the other's partial one.
    assert page.locator("table tbody tr").count() == 1 and "Мүше 0" in page.content()
    assert "Мүше 1" not in page.content()
