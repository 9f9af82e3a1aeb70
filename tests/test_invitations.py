"""Invitations (#13 item 1): the operator invites coordinators, a coordinator invites
council members and volunteers; one-time, expiring links stored as hashes, sent by e-mail,
landing on a page that sets a password with the 12-character rule."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from birgemiz import invitations, roles
from birgemiz.models import Invitation
from birgemiz.models.invitations import hash_secret
from tests.factories import OrganizationFactory, ProgramFactory, VolunteerFactory
from volunteers.models import CouncilMember

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_mail_delivered"),
]

PASSWORD = "жаңа-құпия-сөз-2021"
ADD = "/admin/birgemiz/invitation/add/"


@pytest.fixture
def _mail_delivered(settings):
    settings.EMAIL_BACKEND = "birgemiz.jobs.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def link_in(message):
    return re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)


def path_of(link):
    return link.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def accept(client, link, password=PASSWORD, again=None):
    response = client.get(path_of(link))
    assert response.status_code == 302
    page = client.get(response.url)
    return page, client.post(response.url, {"new_password1": password, "new_password2": again or password})


def test_the_operator_invites_a_coordinator_who_sets_a_password_and_coordinates(client, operator):
    org = OrganizationFactory(name_kk="«Жаңа қадам» ҚБ")
    client.force_login(operator)
    response = client.post(
        ADD,
        {
            "role": "coordinator",
            "email": "Aigul@Example.kz",
            "full_name": "Серикова Айгүл",
            "organization": org.pk,
            "program": "",
            "language": "ru",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    invitation = Invitation.objects.get()
    assert invitation.email == "aigul@example.kz" and invitation.invited_by == operator
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["aigul@example.kz"]
    assert "Birgemiz" in mail.outbox[0].subject and "приглаш" in mail.outbox[0].subject.lower()
    link = link_in(mail.outbox[0])
    secret = link.rstrip("/").rsplit("/", 1)[1]
    assert invitation.token_hash == hash_secret(secret) and secret not in invitation.token_hash

    client.logout()
    page, done = accept(client, link)
    assert page.status_code == 200 and "aigul@example.kz" in page.content.decode()
    assert done.status_code == 302 and done.url.startswith(reverse("login"))
    user = User.objects.get(email="aigul@example.kz")
    assert user.check_password(PASSWORD) and user.is_staff and roles.is_coordinator(user)
    assert list(org.members.all()) == [user]
    assert (user.last_name, user.first_name) == ("Серикова", "Айгүл")

    # one-time: the same link again is gone
    assert client.get(path_of(link)).status_code == 410


def test_a_short_password_is_refused_in_the_persons_language_and_nothing_is_made(client, operator):
    org = OrganizationFactory()
    sent = invitations.invitation_send(
        invited_by=operator, role="coordinator", email="n@example.kz", organization=org, base_url="http://t"
    )
    client.cookies["django_language"] = "kk"
    page, done = accept(client, sent.link, password="qysqa-1", again="qysqa-1")
    assert done.status_code == 200
    body = done.content.decode()
    assert "12" in body and "таңба" in body  # Kazakh: at least 12 characters
    assert not User.objects.filter(email="n@example.kz").exists()
    assert Invitation.objects.get().accepted_at is None


def test_the_page_speaks_the_letters_language_unless_the_person_chose_one(client, operator):
    org = OrganizationFactory()
    sent = invitations.invitation_send(
        invited_by=operator,
        role="coordinator",
        email="ru@example.kz",
        organization=org,
        base_url="http://t",
        language="ru",
    )
    first = client.get(path_of(sent.link))
    page = client.get(first.url)
    assert "Принять приглашение" in page.content.decode()
    client.cookies["django_language"] = "kk"
    page = client.get(first.url)
    assert "Шақыруды қабылдау" in page.content.decode()


def test_an_expired_or_revoked_invitation_opens_nothing(client, operator):
    org = OrganizationFactory()
    sent = invitations.invitation_send(
        invited_by=operator,
        role="coordinator",
        email="x@example.kz",
        organization=org,
        base_url="http://t",
        now=timezone.now() - datetime.timedelta(days=8),
    )
    assert client.get(path_of(sent.link)).status_code == 410
    fresh = invitations.invitation_send(
        invited_by=operator, role="coordinator", email="x@example.kz", organization=org, base_url="http://t"
    )
    again = invitations.invitation_send(
        invited_by=operator, role="coordinator", email="x@example.kz", organization=org, base_url="http://t"
    )
    assert client.get(path_of(fresh.link)).status_code == 410  # replaced by the newer letter
    invitations.invitation_revoke(invitation=again)
    assert client.get(path_of(again.link)).status_code == 410
    assert client.get("/accounts/invitation/not-a-real-secret/").status_code == 404


def test_a_coordinator_invites_a_volunteer_of_their_programme_by_the_records_e_mail(
    client, coordinator, program, track
):
    volunteer = VolunteerFactory(program=program, track=track, email="dana@example.kz")
    client.force_login(coordinator)
    refused = client.post(
        ADD, {"role": "volunteer", "email": "nobody@example.kz", "program": program.pk, "language": "kk"}
    )
    assert refused.status_code == 200 and "volunteers register" not in refused.content.decode()
    assert "nobody@example.kz" in refused.content.decode()  # what was typed is kept
    assert not Invitation.objects.exists()
    response = client.post(
        ADD, {"role": "volunteer", "email": "dana@example.kz", "program": program.pk, "language": "kk"}
    )
    assert response.status_code == 302
    link = link_in(mail.outbox[-1])
    client.logout()
    accept(client, link)
    volunteer.refresh_from_db()
    assert volunteer.user.check_password(PASSWORD) and not volunteer.user.is_staff
    assert roles.is_volunteer(volunteer.user)


def test_a_coordinator_invites_a_council_member_who_gets_a_seat(client, coordinator, program):
    client.force_login(coordinator)
    client.post(
        ADD,
        {
            "role": "council",
            "email": "expert@example.kz",
            "full_name": "Жұмабаев Ерлан",
            "program": program.pk,
            "language": "kk",
        },
    )
    link = link_in(mail.outbox[-1])
    client.logout()
    accept(client, link)
    seat = CouncilMember.objects.get(program=program)
    assert seat.full_name == "Жұмабаев Ерлан" and roles.is_council(seat.user)
    assert not seat.user.is_staff


def test_a_coordinator_may_not_invite_to_another_organisation_or_as_operator(client, coordinator, program):
    other = ProgramFactory()
    client.force_login(coordinator)
    for data in (
        {"role": "operator", "email": "a@example.kz"},
        {"role": "coordinator", "email": "a@example.kz", "organization": other.organization.pk},
        {"role": "council", "email": "a@example.kz", "full_name": "А Б", "program": other.pk},
    ):
        response = client.post(ADD, {"language": "kk", "program": "", "organization": "", **data})
        assert response.status_code == 200
    assert not Invitation.objects.exists() and mail.outbox == []
    with pytest.raises(ValidationError):
        invitations.invitation_send(
            invited_by=coordinator, role="operator", email="a@example.kz", base_url="http://t"
        )


def test_a_volunteer_or_an_officer_sees_no_invitations(client, volunteer_user, officer):
    for user in (volunteer_user, officer):
        client.force_login(user)
        assert client.get(ADD).status_code in (302, 403)


def test_an_existing_account_accepts_by_logging_in_and_keeps_its_password(client, coordinator, operator):
    coordinator.email = "coord@example.kz"
    coordinator.set_password("old-password-of-coord")
    coordinator.save()
    second = OrganizationFactory()
    sent = invitations.invitation_send(
        invited_by=operator,
        role="coordinator",
        email="coord@example.kz",
        organization=second,
        base_url="http://t",
    )
    first = client.get(path_of(sent.link))
    page = client.get(first.url)
    assert "/accounts/login/" in page.content.decode()
    assert User.objects.filter(email="coord@example.kz").count() == 1
    client.force_login(coordinator)
    done = client.post(first.url)
    assert done.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("old-password-of-coord")
    assert second.members.filter(pk=coordinator.pk).exists()


@override_settings(EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_first_operator_comes_from_one_documented_command(client):
    with pytest.raises(CommandError, match="--operator"):
        call_command("invite", "root@example.kz", stdout=io.StringIO())
    out = io.StringIO()
    call_command("invite", "root@example.kz", "--operator", "--base-url", "http://birgemiz.test", stdout=out)
    link = re.search(r"http://birgemiz\.test/accounts/invitation/\S+/", out.getvalue()).group(0)
    assert link_in(mail.outbox[0]) == link
    accept(client, link)
    user = User.objects.get(email="root@example.kz")
    assert roles.is_operator(user) and user.is_staff and not user.is_superuser
