"""Certificate codes a person can read off paper and type on a phone: ten characters of an
alphabet without look-alikes (no I, O, 0, 1), shown in groups, `ABCD-EFGH-JK`, and
accepted in any case, with or without the dashes and spaces. About 50 bits: unguessable
at the rate the verification page answers. Codes issued before (22 URL-safe characters,
case-sensitive) still verify as they were printed."""

import re
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 10
GROUPS = (4, 4, 2)
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.]+")


def group(raw):
    """'ABCDEFGHJK' → 'ABCD-EFGH-JK'."""
    parts, start = [], 0
    for size in GROUPS:
        parts.append(raw[start : start + size])
        start += size
    return "-".join(parts)


def new_code():
    """A fresh short code."""
    return code_from_bytes(secrets.token_bytes(8))


def code_from_bytes(data):
    """The short code spelt by the first 50 bits of `data` (the demo's seeded bytes)."""
    number = int.from_bytes(data, "big")
    chars = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return group("".join(chars))


def normalise(typed):
    """The stored form of what someone typed: the grouped short code when it is one
    (any case, any dashes or spaces), else the text as typed without the spaces around
    it (an old code, case-sensitive)."""
    text = (typed or "").strip()
    bare = _SEPARATORS.sub("", text).upper()
    if len(bare) == LENGTH and all(ch in ALPHABET for ch in bare):
        return group(bare)
    return text
