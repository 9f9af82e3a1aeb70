"""Accounts: Django's log-in and password pages, with the password reset throttled,
and the two-factor pages (`birgemiz.two_factor`), mounted at /accounts/.

Password reset sends at most `PASSWORD_RESET_LIMIT` e-mails an hour to one e-mail
address and to one account, and answers at most `PASSWORD_RESET_ADDRESS_LIMIT`
requests an hour from one network address; past a limit nothing is sent, and the page
says the same as always ("if an account has this address, a message is on its way"),
so it neither floods a mailbox nor tells who has an account.
"""

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.urls import path

from . import invitation_views, two_factor
from .antibot import client_address, over_limit

HOUR = 60 * 60


def _key(kind, value):
    digest = hashlib.sha256(f"{kind}|{value}".encode()).hexdigest()[:32]
    return f"birgemiz:pwreset:{digest}"


class ThrottledPasswordResetForm(PasswordResetForm):
    def save(self, *args, request=None, **kwargs):
        self._request = request
        return super().save(*args, request=request, **kwargs)

    def get_users(self, email):
        limit = settings.PASSWORD_RESET_LIMIT
        request = getattr(self, "_request", None)
        if request is not None and over_limit(
            _key("ip", client_address(request)), settings.PASSWORD_RESET_ADDRESS_LIMIT, HOUR
        ):
            return
        if over_limit(_key("email", email.strip().casefold()), limit, HOUR):
            return
        for user in super().get_users(email):
            if not over_limit(_key("user", user.pk), limit, HOUR):
                yield user


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("invitation/<str:token>/", invitation_views.invitation, name="invitation"),
    path("two-factor/", two_factor.manage, name="two-factor"),
    path("two-factor/setup/", two_factor.setup, name=two_factor.SETUP_URL_NAME),
    path("two-factor/verify/", two_factor.verify, name=two_factor.VERIFY_URL_NAME),
    path("two-factor/recovery-codes/", two_factor.recovery_codes, name="two-factor-recovery-codes"),
    path("two-factor/disable/", two_factor.disable, name="two-factor-disable"),
]
