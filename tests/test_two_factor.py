"""Two-factor authentication for staff: set up an authenticator app, log in with its
code or a recovery code, and the operator's policy that requires it."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from birgemiz.models import SecurityPolicy

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # the factories' password


def code_of(device, later=0):
    """The code the phone shows now (or `later` 30-second steps from now)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + later):06d}"


def next_step(device):
    # A TOTP code is accepted once; the next log-in happens in a later 30-second step.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)


def unthrottle():
    # django-otp makes the next try wait after a wrong code; the test does not wait.
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def set_up(client, user):
    """Turn two-factor on through the pages; returns (device, recovery codes)."""
    page = client.get(reverse("two-factor-setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two-factor-setup"), {"code": code_of(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    return TOTPDevice.objects.get(user=user, confirmed=True), codes


def test_a_coordinator_turns_it_on_with_a_code_from_the_app(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("two-factor-setup"))
    body = page.content.decode()
    assert "<svg" in body and "otpauth" not in body  # a QR code, not a link to one
    device = TOTPDevice.objects.get(user=coordinator)
    key = re.sub(r"\s", "", page.context["key"])
    assert len(key) == 32
    wrong = client.post(
        reverse("two-factor-setup"), {"code": "000000" if code_of(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert not TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    unthrottle()
    device, codes = set_up(client, coordinator)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert StaticToken.objects.filter(device__user=coordinator).count() == 10
    manage = client.get(reverse("two-factor"))
    assert manage.context["enabled"] and manage.context["codes_left"] == 10


def test_logging_in_asks_for_the_code_before_any_page(client, coordinator, program):
    log_in(client, coordinator)
    device, _codes = set_up(client, coordinator)
    client.post(reverse("logout"))
    log_in(client, coordinator)
    for url in (reverse("admin:index"), reverse("assessments:lessons", args=[program.code])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor-verify"))
    next_step(device)
    wrong = client.post(reverse("two-factor-verify"), {"code": "12345"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.get(reverse("admin:index")).status_code == 302
    unthrottle()
    target = reverse("assessments:lessons", args=[program.code])
    ok = client.post(
        f"{reverse('two-factor-verify')}?next={target}", {"code": code_of(device), "next": target}
    )
    assert ok.status_code == 302 and ok["Location"] == target
    assert client.get(target).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_recovery_code_works_once(client, coordinator):
    log_in(client, coordinator)
    _device, codes = set_up(client, coordinator)
    client.post(reverse("logout"))
    log_in(client, coordinator)
    assert client.post(reverse("two-factor-verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
    assert StaticToken.objects.filter(device__user=coordinator).count() == 9
    client.post(reverse("logout"))
    log_in(client, coordinator)
    reused = client.post(reverse("two-factor-verify"), {"code": codes[0]})
    assert reused.status_code == 200 and reused.context["form"].errors
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_operator_requires_it_and_staff_without_it_are_sent_to_set_it_up(
    client, coordinator, operator, volunteer_user, group, program
):
    client.force_login(operator)
    policy_url = reverse("admin:birgemiz_securitypolicy_change", args=[1])
    SecurityPolicy.current()
    response = client.post(policy_url, {"require_staff_two_factor": "on"})
    assert response.status_code == 302
    policy = SecurityPolicy.current()
    assert policy.require_staff_two_factor and policy.updated_by == operator
    log_in(client, coordinator)
    blocked = client.get(reverse("assessments:lessons", args=[program.code]))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("two-factor-setup"))
    assert client.get(reverse("admin:index")).status_code == 302
    set_up(client, coordinator)
    assert client.get(reverse("assessments:lessons", args=[program.code])).status_code == 200
    # Volunteers are not staff: the policy does not stop them.
    client.post(reverse("logout"))
    client.force_login(volunteer_user)
    assert client.get(reverse("assessments:portal")).status_code == 200


def test_only_the_operator_changes_the_policy(client, coordinator, officer):
    SecurityPolicy.current()
    url = reverse("admin:birgemiz_securitypolicy_change", args=[1])
    for user in (coordinator, officer):
        client.force_login(user)
        assert client.post(url, {"require_staff_two_factor": "on"}).status_code == 403
    assert not SecurityPolicy.current().require_staff_two_factor


def test_it_cannot_be_turned_off_while_required_nor_without_a_code(client, coordinator):
    log_in(client, coordinator)
    device, _codes = set_up(client, coordinator)
    assert client.post(reverse("two-factor-disable"), {"code": "000001"}).status_code == 302
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    SecurityPolicy.objects.filter(pk=1).update(require_staff_two_factor=True)
    unthrottle()
    next_step(device)
    client.post(reverse("two-factor-disable"), {"code": code_of(device)})
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    SecurityPolicy.objects.filter(pk=1).update(require_staff_two_factor=False)
    next_step(device)
    client.post(reverse("two-factor-disable"), {"code": code_of(device)})
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()


def test_volunteers_and_council_members_have_no_two_factor_pages(client, volunteer_user, council_user):
    for user in (volunteer_user, council_user):
        client.force_login(user)
        assert client.get(reverse("two-factor-setup")).status_code == 403
        assert client.get(reverse("two-factor")).status_code == 403
