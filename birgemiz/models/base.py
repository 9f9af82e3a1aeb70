"""What every model of the product shares: timestamps, the two languages, sex and the
report's social-status columns."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def lang_value(obj, field, lang):
    """`obj.<field>_<lang>`; the Kazakh value of a field that became bilingual later keeps
    the field's own name (`place` beside `place_ru`), so registers keep their columns."""
    if lang == "kk" and not hasattr(obj, f"{field}_kk"):
        return getattr(obj, field, "") or ""
    return getattr(obj, f"{field}_{lang}", "") or ""


def pick_lang(obj, field, lang=None):
    """`obj.<field>_kk` or `obj.<field>_ru` by language, falling back to Kazakh (and to
    Russian when there is no Kazakh)."""
    lang = (lang or get_language() or "kk")[:2]
    value = lang_value(obj, field, lang) if lang in ("kk", "ru") else ""
    return value or lang_value(obj, field, "kk") or lang_value(obj, field, "ru")


class BilingualName(models.Model):
    """For models with `name_kk` and `name_ru`: `name` and str() in the active language."""

    class Meta:
        abstract = True

    def __str__(self):
        return pick_lang(self, "name")

    @property
    def name(self):
        return pick_lang(self, "name")


class Lang(models.TextChoices):
    KK = "kk", _("Kazakh")
    RU = "ru", _("Russian")


class Sex(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class SocialStatus(models.TextChoices):
    """The ten fixed columns of the report's social status table, in its order."""

    CHILD = "child", _("children (incl. with disabilities)")
    YOUTH = "youth", _("youth")
    CIVIL_SERVANT = "civil_servant", _("civil servants")
    BUDGET_EMPLOYEE = "budget_employee", _("employees of budget organisations")
    DISABLED = "disabled", _("persons with disabilities")
    ELDERLY = "elderly", _("older people (50+)")
    UNEMPLOYED = "unemployed", _("unemployed")
    NGO = "ngo", _("representatives of public organisations")
    BUSINESS = "business", _("representatives of business")
    OTHER = "other", _("other categories")
