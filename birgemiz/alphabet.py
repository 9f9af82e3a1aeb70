"""Kazakh alphabetical order for lists of names.

Databases and Python sort Ә, Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І after Я; a class journal puts them
beside А, Г, К…, and Russian letters keep their own order among them.
"""

KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(KAZAKH_ALPHABET)}


def name_key(text):
    """A sort key that orders `text` as the Kazakh alphabet does (case-insensitive)."""
    return [_LETTER_RANK.get(ch, 100 + ord(ch)) for ch in (text or "").casefold()]


def kazakh_sorted(items, key=str):
    """`items` in Kazakh alphabetical order of `key(item)`, the one helper for every list of
    names, districts and schools that is sorted in Python (the databases cannot: SQLite
    and PostgreSQL's default collations put Қ after Ш)."""
    return sorted(items, key=lambda item: name_key(key(item)))


def person_key(person):
    """Surname, then first name and patronymic, in Kazakh order; the id breaks ties."""
    return (
        name_key(getattr(person, "last_name", "")),
        name_key(getattr(person, "first_name", "")),
        name_key(getattr(person, "middle_name", "") or ""),
        getattr(person, "pk", 0) or 0,
    )
