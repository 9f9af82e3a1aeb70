"""Council scoring, ranking, meetings, decisions and the activation link."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from birgemiz import roles
from volunteers import services
from volunteers.models import (
    ActivationToken,
    ApplicationScore,
    CouncilMeeting,
    Volunteer,
    VolunteerApplication,
    hash_token,
)

from .factories import (
    CouncilMemberFactory,
    ProgramFactory,
    SelectionCriterionFactory,
    UserFactory,
    VolunteerApplicationFactory,
)
from .test_surveys_helpers import pdf_file


@pytest.fixture
def council(program, council_user, track):
    seat = program.council.get(user=council_user)
    other_user = UserFactory(username="council2", roles=[roles.COUNCIL])
    other = CouncilMemberFactory(program=program, user=other_user, full_name="Екінші мүше")
    criteria = [SelectionCriterionFactory(program=program, order=i) for i in range(2)]
    application = VolunteerApplicationFactory(program=program, track=track, motivation="Көмектескім келеді")
    return {"seat": seat, "other": other, "other_user": other_user, "criteria": criteria, "app": application}


def score(member, application, criteria, values):
    services.application_scores_set(
        application=application, member=member, scores=dict(zip(criteria, values, strict=True))
    )


def test_it_lists_applications_of_the_members_programme_only(client, council_user, council, program):
    foreign = VolunteerApplicationFactory(program=ProgramFactory(), last_name="Бөтен")
    client.force_login(council_user)
    response = client.get(reverse("volunteers:council"))
    assert response.status_code == 200
    body = response.content.decode()
    assert council["app"].last_name in body and "Бөтен" not in body
    assert client.get(reverse("volunteers:council-application", args=[foreign.pk])).status_code == 404


def test_it_404s_the_council_page_for_non_members(client, coordinator, volunteer_user):
    for user in (coordinator, volunteer_user):
        client.force_login(user)
        assert client.get(reverse("volunteers:council")).status_code == 404


def test_it_hides_other_members_scores_until_the_member_has_scored(client, council_user, council):
    score(council["other"], council["app"], council["criteria"], [5, 4])
    client.force_login(council_user)
    url = reverse("volunteers:council-application", args=[council["app"].pk])
    before = client.get(url)
    assert before.context["others"] is None and before.context["average"] is None
    assert "Екінші мүше" not in before.content.decode()
    home = client.get(reverse("volunteers:council"))
    assert home.context["programs"][0]["rows"][0]["average"] is None
    response = client.post(url, {f"c{c.pk}": "2" for c in council["criteria"]})
    assert response.status_code == 302
    after = client.get(url)
    assert "Екінші мүше" in after.content.decode()
    assert after.context["average"] == pytest.approx((5 + 4 + 2 + 2) / 4)
    home = client.get(reverse("volunteers:council"))
    row = home.context["programs"][0]["rows"][0]
    assert row["average"] == pytest.approx(3.25) and row["members"] == 2


def test_it_rejects_scores_outside_1_to_5_and_incomplete_scores(client, council_user, council):
    client.force_login(council_user)
    url = reverse("volunteers:council-application", args=[council["app"].pk])
    c1, c2 = council["criteria"]
    assert client.post(url, {f"c{c1.pk}": "6", f"c{c2.pk}": "3"}).status_code == 200
    assert client.post(url, {f"c{c1.pk}": "3"}).status_code == 200
    assert not ApplicationScore.objects.exists()


def test_it_ranks_by_average_with_the_number_of_members_who_scored(
    client, coordinator, council, program, track
):
    weaker = VolunteerApplicationFactory(program=program, track=track)
    score(council["seat"], council["app"], council["criteria"], [5, 5])
    score(council["other"], council["app"], council["criteria"], [4, 4])
    score(council["seat"], weaker, council["criteria"], [2, 3])
    client.force_login(coordinator)
    response = client.get(reverse("volunteers:ranking", args=[program.code]))
    rows = response.context["rows"]
    assert rows[0] == council["app"] and rows[0].average == pytest.approx(4.5)
    assert rows[0].members_scored == 2 and rows[1].members_scored == 1


def test_it_keeps_the_ranking_queries_flat(
    client, coordinator, council, program, track, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("volunteers:ranking", args=[program.code])
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for _ in range(15):
        app = VolunteerApplicationFactory(program=program, track=track)
        score(council["seat"], app, council["criteria"], [3, 4])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_it_scopes_the_ranking(client, officer, outsider, council_user, volunteer_user, program, council):
    url = reverse("volunteers:ranking", args=[program.code])
    client.force_login(officer)
    assert client.get(url).status_code == 200
    for user in (outsider, council_user, volunteer_user):
        client.force_login(user)
        assert client.get(url).status_code == 404


# ---------------------------------------------------------------- meetings and decisions


def test_it_records_a_meeting_with_attendance_and_minutes(client, coordinator, council, program):
    client.force_login(coordinator)
    response = client.post(
        reverse("volunteers:meetings", args=[program.code]),
        {
            "number": 1,
            "date": "2020-04-10",
            "agenda": "Волонтерлерді іріктеу",
            "decisions": "",
            "attendees": [council["seat"].pk, council["other"].pk],
            "minutes": pdf_file(),
        },
    )
    assert response.status_code == 302
    meeting = CouncilMeeting.objects.get()
    assert meeting.attendees.count() == 2 and meeting.minutes
    download = client.get(reverse("volunteers:meeting-minutes", args=[program.code, 1]))
    assert download.status_code == 200


def test_it_rejects_a_minutes_file_of_the_wrong_type(client, coordinator, council, program):
    client.force_login(coordinator)
    bad = pdf_file("minutes.exe")
    response = client.post(
        reverse("volunteers:meetings", args=[program.code]),
        {
            "number": 1,
            "date": "2020-04-10",
            "agenda": "Іріктеу",
            "minutes": bad,
        },
    )
    assert response.status_code == 200 and "minutes" in response.context["form"].errors
    assert not CouncilMeeting.objects.exists()


def test_it_lets_officers_read_meetings_but_not_write(client, officer, program, council):
    CouncilMeeting.objects.create(program=program, number=1, date=datetime.date(2020, 4, 1), agenda="x")
    client.force_login(officer)
    assert client.get(reverse("volunteers:meetings", args=[program.code])).status_code == 200
    assert client.get(reverse("volunteers:meeting", args=[program.code, 1])).status_code == 200
    assert client.post(reverse("volunteers:meetings", args=[program.code]), {}).status_code == 403
    assert client.post(reverse("volunteers:meeting-decide", args=[program.code, 1]), {}).status_code == 403


@pytest.fixture
def meeting(program):
    return CouncilMeeting.objects.create(
        program=program, number=1, date=datetime.date(2020, 4, 10), agenda="Іріктеу"
    )


def test_it_records_decisions_and_selecting_creates_an_inactive_account(
    client, coordinator, council, program, meeting, track
):
    reserve = VolunteerApplicationFactory(program=program, track=track)
    client.force_login(coordinator)
    url = reverse("volunteers:meeting-decide", args=[program.code, 1])
    assert client.get(url).status_code == 405
    response = client.post(
        url, {f"decision_{council['app'].pk}": "selected", f"decision_{reserve.pk}": "reserve"}
    )
    app = VolunteerApplication.objects.get(pk=council["app"].pk)
    assert app.decision == "selected" and app.decided_at == meeting
    volunteer = app.volunteer
    assert volunteer.status == Volunteer.Status.SELECTED and volunteer.track == track
    assert not volunteer.user.is_active and not volunteer.user.has_usable_password()
    assert volunteer.user.groups.filter(name=roles.VOLUNTEER).exists()
    assert VolunteerApplication.objects.get(pk=reserve.pk).decision == "reserve"
    # The new link is shown once, on the answer to the decision, and only its hash is kept.
    assert response.status_code == 200
    secret = link_secret(response)
    token = ActivationToken.objects.get(volunteer=volunteer)
    assert token.token_hash == hash_token(secret) and secret not in token.token_hash
    page = client.get(reverse("volunteers:meeting", args=[program.code, 1]))
    assert secret not in page.content.decode()
    assert "Make a new link" in page.content.decode() or volunteer.last_name in page.content.decode()


def link_secret(response):
    match = re.search(r"/activate/([A-Za-z0-9_-]{20,})/", response.content.decode())
    assert match, "no activation link on the page"
    return match.group(1)


def decided_link(council, meeting):
    application = services.application_decide(
        application=council["app"], decision="selected", meeting=meeting
    )
    return application.issued_link


def test_an_officer_sees_no_activation_link_and_cannot_make_one(client, officer, council, program, meeting):
    link = decided_link(council, meeting)
    volunteer = link.volunteer
    client.force_login(officer)
    page = client.get(reverse("volunteers:meeting", args=[program.code, meeting.number]))
    body = page.content.decode()
    assert page.status_code == 200 and volunteer.last_name in body  # the decision is readable
    assert link.secret not in body and "/activate/" not in body
    assert reverse("volunteers:activation-reissue", args=[program.code, volunteer.pk]) not in body
    reissue = client.post(reverse("volunteers:activation-reissue", args=[program.code, volunteer.pk]))
    assert reissue.status_code == 403
    assert ActivationToken.find(link.secret).is_usable()  # the volunteer's link still works


def test_the_activation_link_works_once(client, council, program, meeting):
    link = decided_link(council, meeting)
    url = reverse("volunteers:activate", args=[link.secret])
    # The secret leaves the address at once (history, Referer): the form is on a fixed URL.
    moved = client.get(url)
    assert moved.status_code == 302 and link.secret not in moved["Location"]
    form_url = moved["Location"]
    assert client.get(form_url).status_code == 200
    weak = client.post(form_url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and weak.context["form"].errors
    response = client.post(
        form_url, {"new_password1": "Жаңа-құпия-сөз-2020", "new_password2": "Жаңа-құпия-сөз-2020"}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(pk=link.user_id)
    assert user.is_active and user.check_password("Жаңа-құпия-сөз-2020")
    assert client.get(url).status_code == 410
    other = "Басқа-құпия-сөз-99"
    again = client.post(form_url, {"new_password1": other, "new_password2": other})
    assert again.status_code in (404, 410)
    user.refresh_from_db()
    assert user.check_password("Жаңа-құпия-сөз-2020")


def test_an_expired_or_unknown_activation_link_does_nothing(client, council, program, meeting):
    link = decided_link(council, meeting)
    token = ActivationToken.objects.get()
    token.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    token.save()
    assert client.get(reverse("volunteers:activate", args=[link.secret])).status_code == 410
    assert client.get(reverse("volunteers:activate", args=["nope"])).status_code == 404
    # The stored hash is no key: typed as the link, it opens nothing.
    assert client.get(reverse("volunteers:activate", args=[token.token_hash])).status_code == 404


def test_a_new_link_cancels_the_old_one(client, coordinator, council, program, meeting):
    old_link = decided_link(council, meeting)
    old = ActivationToken.objects.get()
    client.force_login(coordinator)
    url = reverse("volunteers:activation-reissue", args=[program.code, old.volunteer_id])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 200
    new_secret = link_secret(response)
    assert new_secret != old_link.secret
    old.refresh_from_db()
    assert not old.is_usable()
    assert ActivationToken.objects.filter(volunteer=old.volunteer, expires_at__gt=timezone.now()).count() == 1
    client.logout()
    assert client.get(reverse("volunteers:activate", args=[old_link.secret])).status_code == 410
    assert client.get(reverse("volunteers:activate", args=[new_secret])).status_code == 302


def test_unselecting_withdraws_the_volunteer_and_cancels_the_link(council, meeting):
    services.application_decide(application=council["app"], decision="selected", meeting=meeting)
    services.application_decide(application=council["app"], decision="rejected", meeting=meeting)
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Volunteer.Status.WITHDRAWN
    assert not ActivationToken.objects.get().is_usable()
