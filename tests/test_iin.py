import datetime

import pytest
from django.core.exceptions import ValidationError

from birgemiz.validators import iin_birth_date, iin_sex, make_iin, validate_iin

# Vectors worked out by hand, independently of the code under test. Weights of the first
# pass are 1..11, of the second 3..11, 1, 2; the check digit is the sum mod 11.
#   900101300017: 9·1 + 1·4 + 1·6 + 3·7 + 1·11 = 51, 51 mod 11 = 7 (first pass).
#   061211600012: first pass 87 mod 11 = 10, so the second: 112 mod 11 = 2.
#   050101500103: first pass 65 mod 11 = 10, second 80 mod 11 = 3.
#   05010150019…: both passes give 10 (164, 98): no IIN has this prefix.
VALID = ["900101300017", "061211600012", "050101500103"]


@pytest.mark.parametrize("iin", VALID)
def test_it_accepts_valid_iins(iin):
    validate_iin(iin)


@pytest.mark.parametrize(
    "birth, sex, serial, expected",
    [
        (datetime.date(1990, 1, 1), "M", 1, "900101300017"),
        (datetime.date(2006, 12, 11), "F", 1, "061211600012"),
        (datetime.date(2005, 1, 1), "M", 10, "050101500103"),
        # Serial 19 has no check digit: the next serial, 20, gives 75 mod 11 = 9.
        (datetime.date(2005, 1, 1), "M", 19, "050101500209"),
    ],
)
def test_it_makes_the_iins_worked_out_by_hand(birth, sex, serial, expected):
    assert make_iin(birth, sex, serial) == expected


@pytest.mark.parametrize(
    "iin, code",
    [
        ("06121160001", "iin_format"),  # 11 digits
        ("0612116000123", "iin_format"),  # 13 digits
        ("06121160001a", "iin_format"),
        ("061211700012", "iin_century"),  # 7th digit 7
        ("061311600012", "iin_date"),  # month 13
        ("060231600012", "iin_date"),  # 31 February
        ("061211600013", "iin_checksum"),
        ("061211600010", "iin_checksum"),
        ("900101300016", "iin_checksum"),
        # No check digit exists for this prefix, so no last digit makes it valid.
        ("050101500190", "iin_checksum"),
        ("050101500199", "iin_checksum"),
    ],
)
def test_it_rejects_invalid_iins(iin, code):
    with pytest.raises(ValidationError) as exc:
        validate_iin(iin)
    assert exc.value.code == code


def test_it_reads_the_birth_date_and_sex():
    assert iin_birth_date("061211600012") == datetime.date(2006, 12, 11)
    assert iin_sex("061211600012") == "F"


def test_it_uses_the_second_weight_pass_when_the_first_gives_ten():
    # 061211600012 passes only with the second weights (the first pass gives 10); a
    # validator that stopped at the first pass would refuse it or accept ...0 instead.
    validate_iin("061211600012")
    with pytest.raises(ValidationError):
        validate_iin("061211600010")
