"""Bot resistance for the public pages (survey, volunteer application, online tests)
without a captcha service: a honeypot field people never see, and fixed-window rate
limits kept in Django's cache.

A school computer room or a mobile carrier puts a whole class behind one public
address, so the form limit counts only submissions that were accepted or tripped the
honeypot (a typo that the form sends back costs nothing), per form and address, and
is sized for a school: `PUBLIC_FORM_RATE_LIMIT` (200) an hour.
"""

import hashlib
import math
import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

HONEYPOT_FIELD = "website"
DEFAULT_LIMIT = 200  # accepted submissions per window, per address and form
DEFAULT_WINDOW = 60 * 60  # seconds


class HoneypotMixin(forms.Form):
    """Adds a field hidden from people (CSS + aria-hidden); bots fill every input."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def honeypot_filled(self):
        return bool((self.data.get(self.add_prefix(HONEYPOT_FIELD)) or "").strip())


def client_address(request):
    """The client's address, as the last of `settings.TRUSTED_PROXY_COUNT` proxies saw it.

    Each trusted proxy appends the address it was reached from to X-Forwarded-For, so
    the client is that many entries from the right; anything further left was written
    by the client and proves nothing. With no trusted proxy (the default) it is
    REMOTE_ADDR."""
    hops = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if hops > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if forwarded:
            # Fewer entries than proxies: the left-most is the nearest to the client we have.
            return forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return request.META.get("REMOTE_ADDR", "")


def _key(request, scope):
    digest = hashlib.sha256(f"{client_address(request)}|{scope}".encode()).hexdigest()[:32]
    return f"birgemiz:rate:{digest}"


def over_limit(key, limit, window):
    """Count one hit against `key` in a `window`-second window; True once past `limit`."""
    if cache.add(key, 1, timeout=window):
        cache.set(f"{key}:ends", time.time() + window, timeout=window)
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            cache.set(f"{key}:ends", time.time() + window, timeout=window)
            count = 1
    return count > limit


def seconds_left(key, window):
    """How long the window of `key` still runs (the whole window if unknown)."""
    ends = cache.get(f"{key}:ends")
    if ends is None:
        return window
    return max(1, math.ceil(ends - time.time()))


def _form_limit():
    return (
        getattr(settings, "PUBLIC_FORM_RATE_LIMIT", DEFAULT_LIMIT),
        getattr(settings, "PUBLIC_FORM_RATE_WINDOW", DEFAULT_WINDOW),
    )


def rate_limit_reached(request, scope):
    """True when (address, scope) already used up its submissions; counts nothing."""
    limit, _window = _form_limit()
    return (cache.get(_key(request, scope)) or 0) >= limit


def rate_limit_count(request, scope):
    """Count one accepted (or honeypot-tripped) submission for (address, scope)."""
    limit, window = _form_limit()
    return over_limit(_key(request, scope), limit, window)


def wait_message(seconds):
    """«Try again in N minutes», with the time the block really has left."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many submissions from your network. Please try again in %(minutes)d minute.",
        "Too many submissions from your network. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def rate_limit_message(request, scope):
    _limit, window = _form_limit()
    return wait_message(seconds_left(_key(request, scope), window))
