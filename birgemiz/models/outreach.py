"""Outreach meetings and the information work: publication groups, publications and
the monthly plan."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import TimeStamped, pick_lang
from .geography import District
from .programme import Activity, Program


class Meeting(TimeStamped):
    """An outreach meeting (кездесу)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("programme")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("activity"),
    )
    date = models.DateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("Empty only where the date is not known (a meeting taken over from an old report)."),
    )
    place = models.CharField(pgettext_lazy("venue", "place"), max_length=300)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    participants = models.PositiveIntegerField(_("participants"))
    has_protocol = models.BooleanField(_("minutes taken"), default=True)
    has_participant_list = models.BooleanField(_("participant list kept"), default=True)

    class Meta:
        verbose_name = _("outreach meeting")
        verbose_name_plural = _("outreach meetings")
        ordering = ["program", "date", "id"]
        # The meetings register's natural key.
        indexes = [models.Index(fields=["program", "date", "place"], name="birgemiz_meeting_key")]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.place}" if self.date else self.place


class InfoWorkGroup(TimeStamped):
    """A row group of the information-work table (e.g. «Қорытынды шара»)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="info_groups", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(pgettext_lazy("sequence number", "number"))
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("information work group")
        verbose_name_plural = _("information work groups")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"], name="birgemiz_infogroup_unique_number"
            )
        ]

    def __str__(self):
        return f"{self.number}. {pick_lang(self, 'title')}"

    @property
    def title(self):
        return pick_lang(self, "title")


class Publication(TimeStamped):
    class Kind(models.TextChoices):
        BANNER = "banner", _("banner")
        POST = "post", _("post / article")
        NEWSPAPER = "newspaper", _("newspaper article")
        INTERVIEW = "interview", _("TV interview")
        VIDEO = "video", _("video")

    class Language(models.TextChoices):
        KK = "kk", _("Kazakh")
        RU = "ru", _("Russian")
        BOTH = "both", _("Kazakh and Russian")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="publications", verbose_name=_("programme")
    )
    group = models.ForeignKey(
        InfoWorkGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("information work group"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    outlet_ru = models.CharField(
        _("outlet (Russian)"),
        max_length=200,
        blank=True,
        help_text=_("How the Russian report names the outlet, e.g. «газета «Орал өңірі»»."),
    )
    title = models.CharField(_("title"), max_length=500)
    title_ru = models.CharField(
        _("title (Russian)"),
        max_length=500,
        blank=True,
        help_text=_("The title the Russian report prints; empty when the title above is Russian."),
    )
    language = models.CharField(
        _("language"), max_length=4, choices=Language.choices, default=Language.KK
    )
    date = models.DateField(_("date"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["program", "date", "id"]
        # The publications register's natural keys: the URL, else outlet + title + date.
        indexes = [
            models.Index(fields=["program", "url"], name="birgemiz_publication_url"),
            models.Index(fields=["program", "outlet", "title", "date"], name="birgemiz_publication_key"),
        ]

    def __str__(self):
        return f"{self.outlet} «{self.title}»" if self.outlet else f"«{self.title}»"


class InfoWorkPlan(TimeStamped):
    """The plan of one kind of publication within an information-work group."""

    group = models.ForeignKey(
        InfoWorkGroup, on_delete=models.CASCADE, related_name="plans", verbose_name=_("group")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Publication.Kind.choices)
    label_kk = models.CharField(_("label (Kazakh)"), max_length=200)
    label_ru = models.CharField(_("label (Russian)"), max_length=200, blank=True)
    plan_text_kk = models.CharField(_("plan as written (Kazakh)"), max_length=100, blank=True)
    plan_text_ru = models.CharField(_("plan as written (Russian)"), max_length=100, blank=True)
    plan_value = models.PositiveIntegerField(_("plan"), default=0)

    class Meta:
        verbose_name = _("information work plan")
        verbose_name_plural = _("information work plans")
        ordering = ["group", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "kind"], name="birgemiz_infoplan_unique_kind")
        ]

    def __str__(self):
        return f"{self.group}: {pick_lang(self, 'label')}"
