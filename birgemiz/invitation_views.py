"""The page an invitation's link opens: the invited person sets their password (or, if
they have an account with this e-mail, accepts it by logging in)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import invitations
from .models import Invitation

# The secret leaves the address bar at once: the page reads it from the session, so it is
# neither in the browser's history nor in a Referer header sent from the page.
URL_TOKEN = "open"
SESSION_KEY = "birgemiz_invitation"


def _invalid(request, found):
    return render(request, "registration/invitation_invalid.html", status=410 if found else 404)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    if token != URL_TOKEN:
        found = Invitation.find(token)
        if found is None or not found.is_usable():
            return _invalid(request, found)
        request.session[SESSION_KEY] = token
        return redirect("invitation", token=URL_TOKEN)
    found = Invitation.find(request.session.get(SESSION_KEY))
    if found is None or not found.is_usable():
        return _invalid(request, found)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # The page speaks the letter's language, unless the person chose another one.
        translation.activate(found.language)
        request.LANGUAGE_CODE = found.language
    here = reverse("invitation", args=[URL_TOKEN])
    owner = invitations.existing_account(found)
    if owner is not None:
        if request.user.is_authenticated and request.user.pk == owner.pk:
            if request.method == "POST":
                return _accept(request, found, user=owner)
            return render(
                request, "registration/invitation_accept.html", {"invitation": found, "owner": owner}
            )
        login_url = reverse("login") + "?" + urlencode({"next": here})
        return render(
            request,
            "registration/invitation_accept.html",
            {"invitation": found, "owner": owner, "login_url": login_url},
        )
    User = get_user_model()
    account = User(username=found.email, email=found.email, last_name=found.full_name)
    form = SetPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _accept(request, found, password=form.cleaned_data["new_password1"])
    return render(request, "registration/invitation_accept.html", {"invitation": found, "form": form})


def _accept(request, found, **how):
    try:
        user = invitations.invitation_accept(invitation=found, **how)
    except ValidationError:
        return _invalid(request, found)
    request.session.pop(SESSION_KEY, None)
    home = invitations.home_for(found)
    if how.get("user") is not None:
        messages.success(request, _("The invitation is accepted: your account has its new role."))
        return redirect(home)
    messages.success(
        request,
        _("Your account is ready. Log in as %(username)s with your new password.")
        % {"username": user.username},
    )
    return redirect(reverse("login") + "?" + urlencode({"next": home}))
