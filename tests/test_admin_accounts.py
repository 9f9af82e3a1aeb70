"""No account taken over through the admin: every field that points at a user offers
only the accounts the editor may manage, activation links cannot be edited (revoke
and reissue), and a link only ever opens its own volunteer's account."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from birgemiz import roles
from birgemiz.models import Organization, Program
from volunteers import services
from volunteers.models import ActivationToken, CouncilMember, Volunteer

from .factories import CouncilMemberFactory, UserFactory, VolunteerFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Басып-алу-құпия-2020"


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def selected(program):
    """A volunteer selected by the council: an inactive account and a fresh link."""
    volunteer = VolunteerFactory(program=program)
    account = UserFactory(username="new-volunteer", is_active=False, roles=[roles.VOLUNTEER])
    account.set_unusable_password()
    account.save()
    volunteer.user = account
    volunteer.save()
    return services.activation_link_issue(volunteer=volunteer)


def activate(client, secret, password=NEW_PASSWORD):
    moved = client.get(reverse("volunteers:activate", args=[secret]))
    if moved.status_code != 302:
        return moved
    return client.post(moved["Location"], {"new_password1": password, "new_password2": password})


def token_post(token, **overrides):
    data = {
        "user": token.user_id,
        "volunteer": token.volunteer_id,
        "expires_at_0": "01.01.2030",
        "expires_at_1": "00:00:00",
        "created_by": "",
    }
    data.update(overrides)
    return data


def test_it_lets_no_coordinator_point_an_activation_link_at_a_superuser(
    client, coordinator, superuser, outsider, selected
):
    """The reported takeover: change the link's account in the admin, open the link, set
    that account's password. The link cannot be edited any more, nor added by hand."""
    client.force_login(coordinator)
    for target in (superuser, outsider):
        data = token_post(selected, user=target.pk)
        response = client.post(admin_url(ActivationToken, "change", selected.pk), data)
        assert response.status_code == 403
        added = client.post(admin_url(ActivationToken, "add"), data)
        assert added.status_code == 403
    selected.refresh_from_db()
    assert selected.user_id == selected.volunteer.user_id
    assert ActivationToken.objects.count() == 1
    # The page still shows the link's facts (read-only), never its secret.
    page = client.get(admin_url(ActivationToken, "change", selected.pk))
    assert page.status_code == 200 and selected.secret not in page.content.decode()
    client.logout()
    assert activate(client, selected.secret).status_code == 302
    for target in (superuser, outsider):
        target.refresh_from_db()
        assert target.check_password("correct-horse-battery") and not target.check_password(NEW_PASSWORD)
    selected.user.refresh_from_db()
    assert selected.user.check_password(NEW_PASSWORD)


def test_a_link_tampered_in_the_database_opens_no_other_account(client, superuser, selected):
    ActivationToken.objects.filter(pk=selected.pk).update(user=superuser)
    assert activate(client, selected.secret).status_code == 410
    superuser.refresh_from_db()
    assert not superuser.check_password(NEW_PASSWORD)


def test_it_refuses_a_link_for_a_staff_account(program, coordinator):
    volunteer = VolunteerFactory(program=program, user=coordinator)
    coordinator.set_unusable_password()
    coordinator.save()
    with pytest.raises(ValidationError) as error:
        services.activation_link_issue(volunteer=volunteer)
    assert error.value.error_dict["user"][0].code == "staff"


def test_it_stores_only_the_hash_of_a_link(selected):
    stored = ActivationToken.objects.filter(pk=selected.pk).values()[0]
    assert selected.secret not in str(stored)
    assert ActivationToken.find(selected.secret) == selected
    assert ActivationToken.find(stored["token_hash"]) is None


def test_a_coordinator_revokes_a_link_from_the_admin(client, coordinator, selected):
    client.force_login(coordinator)
    changelist = admin_url(ActivationToken, "changelist")
    response = client.post(changelist, {"action": "revoke", "_selected_action": [selected.pk], "index": 0})
    assert response.status_code == 302
    selected.refresh_from_db()
    assert not selected.is_usable()
    client.logout()
    assert activate(client, selected.secret).status_code == 410


def test_an_officer_can_neither_revoke_nor_delete_links(client, officer, selected):
    client.force_login(officer)
    response = client.get(admin_url(ActivationToken, "changelist"))
    assert response.status_code == 200
    assert set(response.context["cl"].model_admin.get_actions(response.wsgi_request)) == set()
    assert client.post(admin_url(ActivationToken, "delete", selected.pk), {"post": "yes"}).status_code == 403


# ---------------------------------------------------------------- fields that point at accounts


@pytest.fixture
def accounts(program, outsider, officer, operator, superuser):
    """Accounts of every kind around `program`'s organisation."""
    own_volunteer = UserFactory(username="own-volunteer", roles=[roles.VOLUNTEER])
    VolunteerFactory(program=program, user=own_volunteer)
    own_council = UserFactory(username="own-council", roles=[roles.COUNCIL])
    CouncilMemberFactory(program=program, user=own_council)
    other_program = Program.objects.get(code="other-2020")
    foreign_council = UserFactory(username="foreign-council", roles=[roles.COUNCIL])
    CouncilMemberFactory(program=other_program, user=foreign_council)
    foreign_volunteer = UserFactory(username="foreign-volunteer", roles=[roles.VOLUNTEER])
    VolunteerFactory(program=other_program, user=foreign_volunteer)
    loose = UserFactory(username="nobody")
    return {
        "own": {own_volunteer, own_council},
        "never": {outsider, officer, operator, superuser, foreign_council, foreign_volunteer, loose},
    }


def choice_ids(response, field):
    form = response.context["adminform"].form
    return set(form.fields[field].queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("model", [Volunteer, CouncilMember])
def test_user_fields_offer_only_accounts_of_the_coordinators_programmes(client, coordinator, accounts, model):
    client.force_login(coordinator)
    offered = choice_ids(client.get(admin_url(model, "add")), "user")
    assert {u.pk for u in accounts["own"]} <= offered
    assert offered.isdisjoint({u.pk for u in accounts["never"]})


def test_it_refuses_to_attach_another_organisations_council_account_to_a_seat(
    client, coordinator, accounts, program
):
    foreign = get_user_model().objects.get(username="foreign-council")
    client.force_login(coordinator)
    data = {"program": program.pk, "user": foreign.pk, "full_name": "Бөтен мүше", "role": "member"}
    response = client.post(admin_url(CouncilMember, "add"), data)
    assert response.status_code == 200
    assert "user" in response.context["adminform"].form.errors
    assert not CouncilMember.objects.filter(user=foreign, program=program).exists()


def test_saving_a_volunteer_keeps_an_account_the_editor_could_not_pick(
    client, coordinator, program, superuser
):
    """An account already attached (by a superuser) is kept, not silently detached."""
    volunteer = VolunteerFactory(program=program, user=UserFactory(username="later-staff", is_staff=True))
    client.force_login(coordinator)
    page = client.get(admin_url(Volunteer, "change", volunteer.pk))
    assert volunteer.user_id in choice_ids(page, "user")
    assert superuser.pk not in choice_ids(page, "user")


def test_only_the_operator_chooses_coordinators_and_never_a_superuser(
    client, coordinator, operator, superuser, org, officer
):
    candidate = UserFactory(username="new-coordinator", is_staff=True, roles=[roles.COORDINATOR])
    url = admin_url(Organization, "change", org.pk)
    client.force_login(coordinator)
    page = client.get(url)
    assert "members" not in page.context["adminform"].form.fields  # read-only for coordinators
    client.force_login(operator)
    offered = choice_ids(client.get(url), "members")
    assert {candidate.pk, coordinator.pk} <= offered
    assert offered.isdisjoint({superuser.pk, officer.pk, operator.pk})
    data = {"name_kk": org.name_kk, "name_ru": "", "members": [coordinator.pk, superuser.pk]}
    response = client.post(url, data)
    assert response.status_code == 200 and "members" in response.context["adminform"].form.errors
    response = client.post(url, {**data, "members": [coordinator.pk, candidate.pk]})
    assert response.status_code == 302
    assert set(org.members.all()) == {coordinator, candidate}


def test_expired_links_of_a_withdrawn_volunteer_stay_dead(program, selected):
    selected.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    selected.save()
    assert ActivationToken.find(selected.secret).is_usable() is False
