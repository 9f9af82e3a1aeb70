"""Kazakh alphabetical order for lists of names.

Databases and Python sort Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І after Я; a class journal puts them
beside А, Г, К…, and Russian letters keep their own order among them.
"""

KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(KAZAKH_ALPHABET)}


def name_key(text):
    """A sort key that orders `text` as the Kazakh alphabet does (case-insensitive)."""
    return [_LETTER_RANK.get(ch, 100 + ord(ch)) for ch in (text or "").casefold()]
