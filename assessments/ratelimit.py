"""Fixed-window counters in Django's cache, for the public test pages.

A school computer room shares one public address, so the per-address limit is wide
and the per-token limit is what stops a runaway client. Each check answers how many
seconds the block still lasts (0: not blocked), so the page can say so.
"""

import math

from django.conf import settings
from django.utils.translation import ngettext

from birgemiz.antibot import client_address, over_limit, seconds_left

# (requests, seconds); settings may override them.
DEFAULTS = {
    "QUIZ_RATE_PER_TOKEN": (60, 60),
    "QUIZ_RATE_PER_IP": (1200, 60),
    "QUIZ_RATE_BAD_TOKEN_PER_IP": (30, 600),
}


def _limit(name):
    return getattr(settings, name, DEFAULTS[name])


def client_ip(request):
    return client_address(request) or "unknown"


def hit(key, name):
    """Count one request against `key`; the seconds left in the block once the limit
    `name` is exceeded, else 0."""
    count, window = _limit(name)
    full_key = f"birgemiz:rl:{key}"
    if over_limit(full_key, count, window):
        return seconds_left(full_key, window)
    return 0


def answer_over_limit(request, token):
    """A save or submit POST: limited per token and per address."""
    over_token = hit(f"quiz-token:{token}", "QUIZ_RATE_PER_TOKEN")
    over_ip = hit(f"quiz-ip:{client_ip(request)}", "QUIZ_RATE_PER_IP")
    return max(over_token, over_ip)


def bad_token_over_limit(request):
    """An unknown token: limited per address, so nobody can walk the token space."""
    return hit(f"quiz-bad:{client_ip(request)}", "QUIZ_RATE_BAD_TOKEN_PER_IP")


def wait_text(seconds):
    """«Wait N minutes», with the time the block really has left."""
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Wait %(minutes)d minute, then try again.", "Wait %(minutes)d minutes, then try again.", minutes
    ) % {"minutes": minutes}
