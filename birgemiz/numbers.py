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


# Typography of kk and ru: a number of five or more digits is grouped by thousands with a
# no-break space (12 345); a four-digit one is not (2641, as the filed reports write it).
GROUP_FROM = 10_000


def show_number(value, decimal_pos=None):
    """A number as people of the active language read it: «44,7» in kk and ru, «44.7» in
    en; «12 345» grouped, «2641» not. Whole Decimals lose their «.0»."""
    from django.utils.formats import number_format

    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = int(value)
        elif decimal_pos is None:
            decimal_pos = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos, use_l10n=True, force_grouping=abs(value) >= GROUP_FROM)
