"""Django's own messages in our Kazakh (birgemiz/django_catalogue): complete for the parts
a user meets (admin, auth, forms and validators, pagination, dates), none stale, and first
in LOCALE_PATHS so they win over Django's kk catalogue (which misses or misspells them)."""

from pathlib import Path

import django
import polib
import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, pgettext

DJANGO = Path(django.__file__).parent
OURS = Path(settings.BASE_DIR) / "birgemiz" / "django_catalogue" / "locale"
# Django's catalogues a user of this product can meet.
COVERED = {
    "django": [
        "contrib/admin/locale/en/LC_MESSAGES/django.po",
        "contrib/auth/locale/en/LC_MESSAGES/django.po",
        "contrib/contenttypes/locale/en/LC_MESSAGES/django.po",
        "conf/locale/en/LC_MESSAGES/django.po",
    ],
    "djangojs": ["contrib/admin/locale/en/LC_MESSAGES/djangojs.po"],
}
# Of conf/locale, the language names and Django's development pages are never shown.
CONF_SHOWN = slice(100, 336)


def _keys(po):
    return {(e.msgctxt, e.msgid) for e in po if not e.obsolete}


def _django_keys(domain):
    keys = set()
    for path in COVERED[domain]:
        entries = [e for e in polib.pofile(str(DJANGO / path)) if not e.obsolete]
        if path.startswith("conf/"):
            entries = entries[CONF_SHOWN]
        keys |= _keys(entries)
    return keys


def test_it_comes_first_in_the_locale_paths():
    assert Path(settings.LOCALE_PATHS[0]) == OURS


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_it_translates_every_django_message_a_user_meets_and_nothing_else(domain):
    ours = polib.pofile(str(OURS / "kk" / "LC_MESSAGES" / f"{domain}.po"))
    every_django = set()
    for path in COVERED[domain]:
        every_django |= _keys(polib.pofile(str(DJANGO / path)))
    ours_keys = _keys(ours)
    # Messages of ours that moved to the product's catalogue (its own templates) are left out.
    shared = _keys(polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "kk" / "LC_MESSAGES" / "django.po")))
    assert not ours_keys - every_django, "stale: not a Django message any more"
    assert not (_django_keys(domain) - ours_keys - shared), "a Django message without our Kazakh"
    assert all(e.translated() for e in ours)


@pytest.mark.parametrize(
    ("translate", "english", "kazakh"),
    [
        (lambda: gettext("Recent actions"), "Recent actions", "Соңғы әрекеттер"),
        (lambda: gettext("Show counts"), "Show counts", "Санын көрсету"),
        (lambda: gettext("View site"), "View site", "Сайтқа өту"),
        (lambda: gettext("Change"), "Change", "Өзгерту"),
        (lambda: gettext("Select %s to change") % "оқушы", "to change", "Өзгерту үшін таңдаңыз: оқушы"),
        (
            lambda: gettext("Delete selected %(verbose_name_plural)s") % {"verbose_name_plural": "оқушылар"},
            "Delete",
            "Өшіру: таңдалған оқушылар",
        ),
        (lambda: pgettext("abbrev. month", "Sept."), "Sept", "қыр."),
    ],
)
def test_the_kazakh_admin_reads_as_kazakh(translate, english, kazakh):
    with translation.override("kk"):
        text = str(translate())
    assert text == kazakh and english not in text


def _errors(field, value, language="kk"):
    with translation.override(language):
        try:
            field.clean(value) if isinstance(field, forms.Field) else field.clean(value, None)
        except ValidationError as error:
            return " ".join(str(m) for m in error.messages)
    raise AssertionError("no error")


def test_form_and_model_errors_are_kazakh():
    email = _errors(forms.EmailField(), "not-an-email")
    assert email == "Дұрыс электрондық пошта мекенжайын енгізіңіз."
    null = _errors(models.IntegerField(), None)
    assert "null" not in null.lower() and "Бұл жолақты толтыру керек." == null
    null_ru = _errors(models.IntegerField(), None, "ru")
    assert "null" not in null_ru.lower() and "Это поле нужно заполнить." == null_ru
    date = _errors(forms.DateField(), "32.13.2021")
    assert "КК.АА.ЖЖЖЖ" in date  # the message shows the expected format


@pytest.mark.django_db
def test_a_wrong_password_is_refused_in_kazakh(rf):
    with translation.override("kk"):
        request = rf.post("/accounts/login/")
        form = AuthenticationForm(request, data={"username": "nobody", "password": "wrong"})
        assert not form.is_valid()
        message = " ".join(form.non_field_errors())
    assert "Please enter" not in message and "password" not in message
    assert "құпиясөз" in message


@pytest.mark.parametrize(("language", "shown"), [("kk", "КК.АА.ЖЖЖЖ"), ("ru", "ДД.ММ.ГГГГ")])
def test_a_date_typed_month_first_is_read_day_first_or_refused_with_the_format(language, shown):
    """01.03.2021 and 01/03/2021 are 1 March in both languages; 03/25/2021 (month first) and
    a two-digit year are refused with a message that shows the expected format."""
    import datetime

    field = forms.DateField()
    with translation.override(language):
        assert field.clean("01.03.2021") == datetime.date(2021, 3, 1)
        assert field.clean("01/03/2021") == datetime.date(2021, 3, 1)
        assert field.clean("1.3.2021") == datetime.date(2021, 3, 1)
    for typed in ("03/25/2021", "01.05.68"):
        assert shown in _errors(forms.DateField(), typed, language)


@pytest.mark.parametrize(("language", "expected"), [("kk", "1\xa0234,5"), ("ru", "1\xa0234,5")])
def test_numbers_take_a_decimal_comma_and_a_space_between_thousands(language, expected):
    from decimal import Decimal

    from django.utils import formats

    from birgemiz.numbers import show_number

    with translation.override(language):
        assert formats.number_format(1234.5, 1, force_grouping=True) == expected
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        # What the report and the pages print: a comma, five digits and more grouped.
        assert show_number(Decimal("44.7")) == "44,7"
        assert show_number(Decimal("2.0")) == "2"
        assert show_number(2641) == "2641"
        assert show_number(4042547) == "4\xa0042\xa0547"
