"""Validators shared by every app.

The Kazakh IIN (ЖСН / ИИН) is 12 digits: YYMMDD, a century-and-sex digit, four
registration digits and a check digit computed mod 11 with two weight passes.
"""

import datetime
import re
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

IIN_WEIGHTS_1 = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
IIN_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# Seventh digit: 1/2 born 1800s, 3/4 1900s, 5/6 2000s; odd male, even female.
IIN_CENTURY = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def iin_check_digit(first11):
    """The check digit of an IIN's first 11 digits, or None when no digit fits."""
    digits = [int(c) for c in first11]
    check = sum(d * w for d, w in zip(digits, IIN_WEIGHTS_1, strict=True)) % 11
    if check == 10:
        check = sum(d * w for d, w in zip(digits, IIN_WEIGHTS_2, strict=True)) % 11
        if check == 10:
            return None
    return check


def iin_birth_date(iin):
    """The birth date an IIN encodes, or None when the date part is not a date."""
    century = IIN_CENTURY.get(iin[6])
    if century is None:
        return None
    try:
        return datetime.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def iin_sex(iin):
    """'M' or 'F' from the seventh digit."""
    return "M" if int(iin[6]) % 2 == 1 else "F"


def validate_iin(value):
    value = (value or "").strip()
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(_("An IIN is exactly 12 digits."), code="iin_format")
    if value[6] not in IIN_CENTURY:
        raise ValidationError(
            _("The 7th digit of an IIN (century and sex) must be 1 to 6."), code="iin_century"
        )
    if iin_birth_date(value) is None:
        raise ValidationError(
            _("The first six digits of an IIN must be a real date (YYMMDD)."), code="iin_date"
        )
    expected = iin_check_digit(value[:11])
    if expected is None or expected != int(value[11]):
        raise ValidationError(_("The IIN check digit is wrong."), code="iin_checksum")


def iin_person_errors(iin, birth_date=None, sex=""):
    """What an IIN says against the person's other fields: {field: message}, empty when
    they agree (or when the IIN is empty or malformed: `validate_iin` reports that).

    The one rule every write path uses (models' `clean`, hence forms, the admin, the
    public application and survey, and imports): the IIN's first six digits and
    century digit are the birth date, its seventh digit's parity the sex."""
    iin = (iin or "").strip()
    if len(iin) != 12 or not iin.isdigit() or iin[6] not in IIN_CENTURY:
        return {}
    errors = {}
    encoded = iin_birth_date(iin)
    if birth_date and encoded and encoded != birth_date:
        errors["birth_date"] = _(
            "The IIN says the birth date is %(date)s; correct the birth date or the IIN."
        ) % {"date": f"{encoded:%d.%m.%Y}"}
    if sex in ("M", "F") and iin_sex(iin) != sex:
        errors["sex"] = (
            _("The IIN is a man's; correct the sex or the IIN.")
            if iin_sex(iin) == "M"
            else _("The IIN is a woman's; correct the sex or the IIN.")
        )
    return errors


def validate_iin_person(iin, birth_date=None, sex=""):
    errors = iin_person_errors(iin, birth_date, sex)
    if errors:
        raise ValidationError({k: ValidationError(v, code="iin_mismatch") for k, v in errors.items()})


class IinMatchesPerson:
    """Model mixin for a person with `iin`, `birth_date` and `sex`: `full_clean` (every
    form and service) refuses an IIN that contradicts the birth date or the sex."""

    def clean(self):
        super().clean()
        validate_iin_person(
            getattr(self, "iin", ""), getattr(self, "birth_date", None), getattr(self, "sex", "")
        )


# ---------------------------------------------------------------- typed dates

# A date is typed with a four-digit year: 01.05.68 is refused rather than read as 2068,
# and so is 01.05.0068 (a year before 1900 is a two-digit year padded, not a date here).
EARLIEST_YEAR = 1900
SHORT_YEAR = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2}$")


def two_digit_year_error():
    return _("Write the year with four digits, e.g. 25.06.2008.")


def validate_full_year(value):
    if value is not None and value.year < EARLIEST_YEAR:
        raise ValidationError(two_digit_year_error(), code="short_year")


class FullYearDateField(forms.DateField):
    """A typed date: dd.mm.yyyy (or yyyy-mm-dd from a date picker); a two-digit year
    or a year before 1900 gets a clear message instead of a guess."""

    default_error_messages = {"invalid": _("Enter a date as dd.mm.yyyy, e.g. 25.06.2008.")}
    input_formats = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")
    default_validators = [validate_full_year]

    def to_python(self, value):
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and SHORT_YEAR.match(text):
            raise ValidationError(two_digit_year_error(), code="short_year")
        return super().to_python(value)


def make_iin(birth_date, sex, serial):
    """A valid IIN for a birth date, sex ('M'/'F') and a serial 0..9999 (demo data).

    Tries successive serials until the check digit exists, so the result is
    deterministic for the same arguments.
    """
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100]
    if sex == "F":
        century_digit += 1
    for bump in range(10000):
        serial_digits = f"{(serial + bump) % 10000:04d}"
        first11 = f"{birth_date:%y%m%d}{century_digit}{serial_digits}"
        check = iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)
    raise ValueError("no valid IIN")  # pragma: no cover - cannot happen for real dates


EVIDENCE_EXTENSIONS = {
    ".pdf": b"%PDF",
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
}


def validate_evidence_file(uploaded):
    """Evidence must be a PDF, image or Office file, by extension and by content."""
    from django.conf import settings

    suffix = Path(uploaded.name).suffix.lower()
    magic = EVIDENCE_EXTENSIONS.get(suffix)
    if magic is None:
        raise ValidationError(
            _("Allowed file types: %(types)s.")
            % {"types": ", ".join(sorted(EVIDENCE_EXTENSIONS))},
            code="evidence_type",
        )
    if uploaded.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(mb)s MB.")
            % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
            code="evidence_size",
        )
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(position)
    if not head.startswith(magic):
        raise ValidationError(
            _("The file's content does not match its extension %(ext)s.") % {"ext": suffix},
            code="evidence_content",
        )
