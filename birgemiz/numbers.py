"""Numbers typed by people: the one reader behind every form, import and test answer.

«3,5» and «3.5» are the same number; «1 200» (a space, no-break space or narrow no-break
space between thousands) is 1200. Each caller says what range it accepts and words its
own error.
"""

from decimal import Decimal, InvalidOperation

_GROUP_SEPARATORS = str.maketrans("", "", " \u00a0\u202f")


def read_decimal(raw, *, percent=False):
    """The Decimal a person meant by `raw` (text, int, float or Decimal), or None when it
    is not a finite number. With `percent`, a trailing «%» is allowed and dropped."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    else:
        # repr() of a float is its shortest exact spelling: 0.1 → "0.1", not 0.1000000000000000055…
        text = repr(raw) if isinstance(raw, float) else str(raw)
        text = text.strip()
        if percent and text.endswith("%"):
            text = text[:-1]
        text = text.translate(_GROUP_SEPARATORS).replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None
    return value if value.is_finite() else None


def read_integer(raw):
    """The whole number a person meant («1 200», «3,0», 7.0), or None."""
    value = read_decimal(raw)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)
