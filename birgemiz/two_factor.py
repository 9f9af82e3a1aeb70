"""Two-factor authentication for staff accounts (coordinators, officers, the operator,
superusers) with django-otp: a TOTP authenticator app and ten one-time recovery codes.

- Turning it on (`/accounts/two-factor/setup/`): the page shows a QR code and the key of
  a new TOTP device; a correct code from the app confirms it, and the recovery codes are
  shown once (django-otp keeps them as one-time tokens; a used one is gone).
- Logging in: after the password, an account with a confirmed device must give a code
  (or a recovery code) before any other page opens (`TwoFactorMiddleware`).
- The operator can require it (`SecurityPolicy.require_staff_two_factor`): a staff
  account without a device is then sent to the setup page after logging in.
- Wrong codes are throttled by django-otp (each failure doubles the wait); the password
  step stays throttled by django-axes.
"""

import base64
import io

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Value
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import roles
from .models import SecurityPolicy

RECOVERY_CODES = 10
SETUP_URL_NAME = "two-factor-setup"
VERIFY_URL_NAME = "two-factor-verify"
# Pages an account half-way through logging in may open.
OPEN_URL_NAMES = {
    SETUP_URL_NAME,
    VERIFY_URL_NAME,
    "login",
    "logout",
    "set_language",
    "admin:login",
    "admin:logout",
    "admin:jsi18n",
}


def is_staff_account(user):
    return user.is_authenticated and (user.is_staff or roles.is_staff_member(user))


def has_device(user):
    return any(True for _device in devices_for_user(user, confirmed=True))


def two_factor_state(user):
    """(has a confirmed device, the policy requires two-factor) in one query, asked once
    per request: the middleware runs on every page of an unverified staff account, and
    the policy must apply the moment the operator changes it (so it is not cached)."""
    cached = getattr(user, "_birgemiz_two_factor", None)
    if cached is None:
        devices = [
            Exists(model.objects.filter(user=OuterRef("user_pk"), confirmed=True))
            for model in (TOTPDevice, StaticDevice)
        ]
        row = (
            SecurityPolicy.objects.filter(pk=1)
            .annotate(user_pk=Value(user.pk), totp=devices[0], static=devices[1])
            .values_list("totp", "static", "require_staff_two_factor")
            .first()
        )
        if row is None:  # the policy row is made by a migration; a fresh test database has it too
            row = (has_device(user), False, SecurityPolicy.current().require_staff_two_factor)
        cached = (bool(row[0] or row[1]), bool(row[2]))
        user._birgemiz_two_factor = cached
    return cached


def has_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _next_url(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


class TwoFactorMiddleware:
    """Placed after django-otp's OTPMiddleware: a staff account that has a device but has
    not given a code this session, or that the policy obliges to have one and has none,
    reaches only the two-factor pages (and logging out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not is_staff_account(user) or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_URL_NAMES:
            return None
        query = f"?next={request.get_full_path()}" if request.method == "GET" else ""
        device, required = two_factor_state(user)
        if device:
            return redirect(reverse(VERIFY_URL_NAME) + query)
        if required:
            return redirect(reverse(SETUP_URL_NAME) + query)
        return None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy(
            "The six digits your authenticator app shows, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).lower()


def _verified_device(user, code):
    """The confirmed device that accepts `code` (authenticator first, then a recovery
    code, which is used up), or None. django-otp throttles each device's failures."""
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_is_allowed()[0] and device.verify_token(code):
                return device
    return None


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if not is_staff_account(user) or not has_device(user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _verified_device(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)s are left. Make new ones on the two-factor page.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        form.add_error("code", _("This code is wrong or has expired. Wait a moment and try again."))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")}
    )


def _recovery_codes_make(user):
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _qr_svg(uri):
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=True, omitsize=False)
    return out.getvalue().decode()


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    if not is_staff_account(user):
        raise PermissionDenied
    if has_authenticator(user):
        return redirect("two-factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            ok = device.verify_token(form.cleaned_data["code"])
            if ok:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=user, confirmed=False).delete()
                codes = _recovery_codes_make(user)
        if ok:
            otp_login(request, device)
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request, default="two-factor"), "first": True},
            )
        form.add_error("code", _("This code is wrong. Check the time on your phone and try again."))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "key": device.key and _base32_key(device),
            "required": SecurityPolicy.current().require_staff_two_factor,
            "next": request.GET.get("next", ""),
        },
    )


def _base32_key(device):
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@require_http_methods(["GET"])
def manage(request):
    user = request.user
    if not is_staff_account(user):
        raise PermissionDenied
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return render(
        request,
        "registration/two_factor.html",
        {
            "enabled": has_authenticator(user),
            "codes_left": recovery.token_set.count() if recovery else 0,
            "required": SecurityPolicy.current().require_staff_two_factor,
        },
    )


@login_required
@require_POST
def recovery_codes(request):
    user = request.user
    if not (is_staff_account(user) and has_authenticator(user) and user.is_verified()):
        raise PermissionDenied
    codes = _recovery_codes_make(user)
    return render(
        request, "registration/two_factor_codes.html", {"codes": codes, "next": reverse("two-factor")}
    )


@login_required
@require_POST
def disable(request):
    """Turn two-factor off, with a current code; refused while the policy requires it."""
    user = request.user
    if not (is_staff_account(user) and has_authenticator(user) and user.is_verified()):
        raise PermissionDenied
    if SecurityPolicy.current().require_staff_two_factor:
        messages.error(request, _("The operator requires two-factor authentication for staff accounts."))
        return redirect("two-factor")
    form = CodeForm(request.POST)
    if not (form.is_valid() and _verified_device(user, form.cleaned_data["code"]) is not None):
        messages.error(request, _("This code is wrong or has expired. Wait a moment and try again."))
        return redirect("two-factor")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    messages.success(request, _("Two-factor authentication is off."))
    return redirect("two-factor")
