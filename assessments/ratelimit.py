"""Fixed-window counters in Django's cache, for the public test pages.

A school computer room shares one public address, so the per-address limit is wide
and the per-token limit is what stops a runaway client.
"""

from django.conf import settings

from birgemiz.antibot import client_address, over_limit

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
    """Count one request against `key`; True when the limit `name` is exceeded."""
    count, window = _limit(name)
    return over_limit(f"birgemiz:rl:{key}", count, window)


def answer_over_limit(request, token):
    """A save or submit POST: limited per token and per address."""
    over_token = hit(f"quiz-token:{token}", "QUIZ_RATE_PER_TOKEN")
    over_ip = hit(f"quiz-ip:{client_ip(request)}", "QUIZ_RATE_PER_IP")
    return over_token or over_ip


def bad_token_over_limit(request):
    """An unknown token: limited per address, so nobody can walk the token space."""
    return hit(f"quiz-bad:{client_ip(request)}", "QUIZ_RATE_BAD_TOKEN_PER_IP")
