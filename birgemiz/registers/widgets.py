"""Cell converters for registers: what a person types in Excel, in kk / ru / en.

Each widget's `clean` accepts what a spreadsheet may hold (numbers typed as text,
`2,5` or `2.5`, dates as Excel dates or `dd.mm.yyyy`, «иә» / «да» / «yes») and
raises ValueError with a sentence a coordinator understands. `render` returns a
typed value (date, Decimal, int, str); the writers turn it into a cell, so an
export re-imported unchanged cleans back to exactly the stored value.
"""

import datetime
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.widgets import Widget

from birgemiz.numbers import read_decimal, read_integer
from birgemiz.validators import EARLIEST_YEAR, SHORT_YEAR, two_digit_year_error

LANGS = ("kk", "ru", "en")


def norm(value):
    """Comparison form of a name: spaces collapsed, case folded, ё as е."""
    return " ".join(str(value).split()).casefold().replace("ё", "е")


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


class TextWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        return as_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IINWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        # Excel stores a typed IIN as a number and drops the leading zero of 2000s births.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{int(value):012d}"
        return as_text(value).replace(" ", "")


class IntegerWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        number = read_integer(value)
        if number is None:
            raise ValueError(_("Enter a whole number."))
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class DecimalWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        number = read_decimal(value)
        if number is None:
            raise ValueError(_("Enter a number."))
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        value = Decimal(value)
        # 48.0 → 48, 2.50 → 2.5: what a person would type, and exact on re-import.
        return value.to_integral_value() if value == value.to_integral_value() else value.normalize()


# Four-digit years only: «01.05.68» is refused, never read as 2068 (birgemiz.validators).
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y.%m.%d")


class DateWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return _checked_year(value.date())
        if isinstance(value, datetime.date):
            return _checked_year(value)
        text = str(value).strip()
        if SHORT_YEAR.match(text):
            raise ValueError(two_digit_year_error())
        for fmt in DATE_FORMATS:
            try:
                parsed = datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            return _checked_year(parsed)
        raise ValueError(_("Enter a date as dd.mm.yyyy, e.g. 25.06.2020."))

    def render(self, value, obj=None, **kwargs):
        return value


def _checked_year(value):
    if value.year < EARLIEST_YEAR:
        raise ValueError(two_digit_year_error())
    return value


YES = {"1", "yes", "y", "true", "иә", "ия", "да", "д", "+", "x", "х", "✓", "v"}
NO = {"0", "no", "n", "false", "жоқ", "нет", "н", "-", "—"}


class BooleanWidget(Widget):
    def __init__(self, default=False, **kwargs):
        super().__init__(**kwargs)
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return self.default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            if value in (0, 1):
                return bool(value)
            raise ValueError(_("Write yes or no."))
        text = norm(value)
        if text in YES or text == norm(_("yes")):
            return True
        if text in NO or text == norm(_("no")):
            return False
        raise ValueError(_("Write yes or no."))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(gettext_lazy("yes") if value else gettext_lazy("no"))


class ChoiceWidget(Widget):
    """A `TextChoices` value by its code or its label in any language."""

    def __init__(self, choices, blank=False, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.blank = blank
        self._map = None

    def _lookup(self):
        if self._map is None:
            mapping = {}
            for value, label in self.choices.choices:
                mapping[norm(value)] = value
                for lang in LANGS:
                    with translation.override(lang):
                        mapping.setdefault(norm(str(label)), value)
            self._map = mapping
        return self._map

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return ""
        found = self._lookup().get(norm(as_text(value)))
        if found is None:
            allowed = ", ".join(str(label) for _value, label in self.choices.choices)
            raise ValueError(
                _("«%(value)s» is not one of: %(allowed)s.") % {"value": value, "allowed": allowed}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        try:
            return str(self.choices(value).label)
        except ValueError:
            return value


class LookupWidget(Widget):
    """A foreign key by a human value (a name or a code), resolved by the resource
    within the programme; the resource raises a clear error for none or several."""

    def __init__(self, kind, **kwargs):
        super().__init__(**kwargs)
        self.kind = kind
        self.resource = None  # set by the resource instance

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if not text:
            return None
        return self.resource.lookup(self.kind, text, row or {})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return self.resource.render_lookup(self.kind, value)
