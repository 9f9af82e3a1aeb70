"""Bot resistance for the public pages (survey, volunteer application, online tests)
without a captcha service: a honeypot field people never see, and fixed-window rate
limits kept in Django's cache.

Schools often share one public address, so the limit is generous and counts
submissions (POSTs), not page views.
"""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"
DEFAULT_LIMIT = 30  # submissions per window, per address and form
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
    # Behind a proxy (settings.BEHIND_PROXY) the first forwarded address is the client.
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(request, scope):
    digest = hashlib.sha256(f"{client_address(request)}|{scope}".encode()).hexdigest()[:32]
    return f"birgemiz:rate:{digest}"


def over_limit(key, limit, window):
    """Count one hit against `key` in a `window`-second window; True once past `limit`."""
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    return count > limit


def rate_limited(request, scope):
    """Count one form submission for (address, scope); True once the limit is passed."""
    limit = getattr(settings, "PUBLIC_FORM_RATE_LIMIT", DEFAULT_LIMIT)
    window = getattr(settings, "PUBLIC_FORM_RATE_WINDOW", DEFAULT_WINDOW)
    return over_limit(_key(request, scope), limit, window)
