"""One-time form tokens: a form sent twice (a double tap on a slow connection, the
browser's «resend», the back button and submit again) does its work once.

Every state-changing form carries `{% form_token %}` (a random hidden value, new on
each render); its view is wrapped in `@idempotent`. The first POST with a token
claims it in the shared cache (`cache.add` is atomic on the database and Redis
caches) and, when it ends in a redirect, keeps that redirect's address under the
token. Any later POST with the same token does nothing and is sent to that address
— waiting a few seconds if the first one is still being saved. A POST that ends
without a redirect (a form sent back with errors) frees its token, so correcting
and sending again works. A POST without a token is served as before (the admin,
scripts, tests of the service path).
"""

import functools
import re
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext as _

FIELD = "form_token"
PENDING = "pending"
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_token():
    return secrets.token_urlsafe(16)


def _ttl():
    return getattr(settings, "FORM_TOKEN_TTL", 24 * 60 * 60)


def _key(request):
    token = request.POST.get(FIELD, "")
    if not TOKEN_RE.match(token):
        return None
    user = getattr(request, "user", None)
    who = user.pk if user is not None and user.is_authenticated else "anon"
    return f"birgemiz:form-token:{who}:{request.path}:{token}"


def _replay(request, key):
    wait = getattr(settings, "FORM_TOKEN_WAIT", 10)
    deadline = time.monotonic() + wait
    location = cache.get(key)
    while location == PENDING and time.monotonic() < deadline:
        time.sleep(0.1)
        location = cache.get(key)
    if location and location != PENDING:
        messages.info(request, _("This form had already been sent: it was saved once, here is the result."))
        return redirect(location)
    messages.warning(request, _("This form is still being saved. Check the result in a moment."))
    return redirect(request.get_full_path())


def idempotent(view):
    """Serve a POST once per form token (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _key(request) if request.method == "POST" else None
        if key is None:
            return view(request, *args, **kwargs)
        if not cache.add(key, PENDING, timeout=_ttl()):
            return _replay(request, key)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(key)
            raise
        location = response.get("Location") if response.status_code in (301, 302, 303) else None
        if location:
            cache.set(key, location, timeout=_ttl())
        else:
            cache.delete(key)
        return response

    return wrapper
