"""The grantee, its programme and the programme's plan: tasks, activities, the
indicators each activity must produce, and the tracks (with subjects) it teaches.

Tracks are part of the plan (planned hours, students and volunteers per track), so
they live here with the programme, below every app that teaches or tests them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..audit import audited
from ..metric_registry import validate_metric
from .base import BilingualName, TimeStamped, pick_lang
from .geography import Region


class Organization(BilingualName, TimeStamped):
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=200, blank=True)
    chair_name = models.CharField(_("chair's full name"), max_length=200, blank=True)
    chair_title_kk = models.CharField(_("chair's title (Kazakh)"), max_length=200, blank=True)
    chair_title_ru = models.CharField(_("chair's title (Russian)"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organizations",
        verbose_name=_("coordinators"),
        help_text=_("Users who coordinate this organisation's programmes."),
    )

    class Meta:
        verbose_name = _("grantee organisation")
        verbose_name_plural = _("grantee organisations")
        ordering = ["name_kk"]



class Program(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", pgettext_lazy("programme status", "active")
        CLOSED = "closed", pgettext_lazy("programme status", "closed")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("grantee organisation"),
    )
    code = models.SlugField(
        pgettext_lazy("identifier", "code"),
        unique=True,
        help_text=_("Short stable identifier, e.g. bko-2020."),
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    topic_kk = models.TextField(_("grant topic (Kazakh)"))
    topic_ru = models.TextField(_("grant topic (Russian)"), blank=True)
    grant_amount = models.PositiveBigIntegerField(_("grant amount, KZT"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="programs", verbose_name=_("region")
    )
    operator_kk = models.CharField(_("grant operator (Kazakh)"), max_length=300, blank=True)
    operator_ru = models.CharField(_("grant operator (Russian)"), max_length=300, blank=True)
    goal_kk = models.TextField(_("goal (Kazakh)"), blank=True)
    goal_ru = models.TextField(_("goal (Russian)"), blank=True)
    planned_beneficiaries = models.PositiveIntegerField(_("planned direct beneficiaries"), default=0)
    planned_volunteers = models.PositiveIntegerField(_("planned volunteers"), default=0)
    status = models.CharField(
        pgettext_lazy("workflow status", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.ACTIVE,
    )
    report_date = models.DateField(
        _("report date"),
        null=True,
        blank=True,
        help_text=_("Ages in the report are computed at this date; the end date if empty."),
    )
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for benchmarks and demos.")
    )
    # Written by `load_demo` only: it may delete and reload a programme so marked, never another.
    is_demo = models.BooleanField(_("demo"), default=False, editable=False)
    # A national template the operator keeps: every coordinator may start a year from it.
    is_template = models.BooleanField(
        _("national template"),
        default=False,
        help_text=_("Offered to every coordinator as the structure of a new programme year."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="birgemiz_program_end_after_start"
            )
        ]

    def __str__(self):
        return f"{self.code} — {pick_lang(self, 'title')}"

    @property
    def title(self):
        return pick_lang(self, "title")

    @property
    def as_of(self):
        return self.report_date or self.end


class Narrative(TimeStamped):
    """A narrative part of the final report that no data can compute."""

    class Key(models.TextChoices):
        ACHIEVED_RESULT = "achieved_result", _("result achieved by the project")
        DEVIATION = "deviation", _("justification of deviations from the plan")
        GOAL_ACHIEVEMENT = "goal_achievement", _("achievement of the goal")
        SOCIAL_CHANGE = "social_change", _("social and other changes")
        STATISTICS_INTRO = "statistics_intro", _("participant statistics, introduction")
        TARGET_GROUPS = "target_groups", _("indicators and target groups")
        LONG_TERM_EFFECT = "long_term_effect", _("long-term effect")
        SUSTAINABILITY = "sustainability", _("sustainability")
        PARTNER_ANALYSIS = "partner_analysis", _("analysis of partners' contributions")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="narratives", verbose_name=_("programme")
    )
    key = models.CharField(_("section"), max_length=40, choices=Key.choices)
    text_kk = models.TextField(_("text (Kazakh)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        ordering = ["program", "key"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="birgemiz_narrative_unique_key")
        ]

    def __str__(self):
        return f"{self.program.code}: {self.get_key_display()}"

    def text(self, lang=None):
        return pick_lang(self, "text", lang)


class Task(TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(pgettext_lazy("sequence number", "number"))
    title_kk = models.TextField(_("title (Kazakh)"))
    title_ru = models.TextField(_("title (Russian)"), blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="birgemiz_task_unique_number")
        ]

    def __str__(self):
        return f"{self.number}. {pick_lang(self, 'title')}"

    @property
    def title(self):
        return pick_lang(self, "title")


class Activity(TimeStamped):
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="activities", verbose_name=_("task")
    )
    number = models.PositiveSmallIntegerField(pgettext_lazy("sequence number", "number"))
    title_kk = models.TextField(_("title (Kazakh)"))
    title_ru = models.TextField(_("title (Russian)"), blank=True)
    period_kk = models.CharField(_("period (Kazakh)"), max_length=100, blank=True)
    period_ru = models.CharField(_("period (Russian)"), max_length=100, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    place = models.CharField(_("place (Kazakh)"), max_length=300, blank=True)
    place_ru = models.CharField(_("place (Russian)"), max_length=300, blank=True)
    participants_metric = models.CharField(
        _("participants metric"),
        max_length=60,
        blank=True,
        help_text=_("Named metric that counts the participants; empty to type the count."),
        validators=[validate_metric],
    )
    participants_typed = models.PositiveIntegerField(
        _("participants (typed)"), null=True, blank=True
    )
    participant_category_kk = models.CharField(
        _("participant category (Kazakh)"), max_length=300, blank=True
    )
    participant_category_ru = models.CharField(
        _("participant category (Russian)"), max_length=300, blank=True
    )
    experts = models.TextField(
        _("experts involved (Kazakh)"),
        blank=True,
        help_text=_("One expert a line, «Full name – workplace and position» as the report prints them."),
    )
    experts_ru = models.TextField(_("experts involved (Russian)"), blank=True)
    completeness_percent = models.PositiveSmallIntegerField(
        _("completeness, %"), default=0, validators=[MaxValueValidator(100)]
    )
    summary_kk = models.TextField(_("completeness note (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("completeness note (Russian)"), blank=True)
    narrative_kk = models.TextField(
        _("narrative (Kazakh)"),
        blank=True,
        help_text=_(
            "A line holding only [[growth]] puts the growth table of every track there, "
            "[[growth:CODE]] the row of one track (e.g. [[growth:law]]), [[experts]] the "
            "experts above as a table."
        ),
    )
    narrative_ru = models.TextField(_("narrative (Russian)"), blank=True)
    result_kk = models.TextField(_("short-term results (Kazakh)"), blank=True)
    result_ru = models.TextField(_("short-term results (Russian)"), blank=True)
    appendix_number = models.PositiveSmallIntegerField(_("appendix number"), null=True, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["task__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="birgemiz_activity_unique_number"),
            models.CheckConstraint(
                condition=Q(completeness_percent__lte=100),
                name="birgemiz_activity_completeness_0_100",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="birgemiz_activity_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.task.number}.{self.number} {pick_lang(self, 'title')[:80]}"

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})

    @property
    def program(self):
        return self.task.program

    @property
    def title(self):
        return pick_lang(self, "title")


@audited("activity.task.program_id")
class Indicator(TimeStamped):
    """A product of an activity: plan (comparator + value, as written) and fact."""

    class Comparator(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        EXACTLY = "exactly", _("exactly")
        PER_UNIT = "per_unit", _("per unit")
        TEXT = "text", _("as written")

    class Per(models.TextChoices):
        """What a per-unit plan is counted per: the target is multiplied by their number."""

        SCHOOL = "school", _("per school the students come from")
        MEETING = "meeting", _("per outreach meeting held")

        @classmethod
        def from_unit(cls, unit):
            """The unit a plan's wording names («мектеп», «кездесу»), or ""."""
            word = (unit or "").strip().lower()
            for per, stems in (
                (cls.SCHOOL, ("мектеп", "школ", "school")),
                (cls.MEETING, ("кездесу", "встреч", "meeting")),
            ):
                if word.startswith(stems):
                    return per
            return ""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("activity")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_kk = models.TextField(_("name (Kazakh)"))
    name_ru = models.TextField(_("name (Russian)"), blank=True)
    unit = models.CharField(
        _("unit"), max_length=50, blank=True, help_text=_("«%» for a plan in percent.")
    )
    comparator = models.CharField(
        _("comparator"), max_length=20, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    per = models.CharField(
        _("per"),
        max_length=20,
        choices=Per.choices,
        blank=True,
        help_text=_("For a per-unit plan: what the target is counted per."),
    )
    target_value = models.DecimalField(
        _("target value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    target_text_kk = models.CharField(
        _("plan as written (Kazakh)"),
        max_length=200,
        blank=True,
        help_text=_("E.g. «Кемінде 10», «Әр мектепте 1»."),
    )
    target_text_ru = models.CharField(_("plan as written (Russian)"), max_length=200, blank=True)
    fact_value = models.DecimalField(
        _("fact (typed)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Typed fact; leave empty when a metric computes it. With a metric as well, the "
            "metric checks the typed fact."
        ),
        validators=[MinValueValidator(0)],
    )
    fact_text = models.CharField(
        _("fact as written"),
        max_length=200,
        blank=True,
        help_text=_("Optional wording of the fact, e.g. «1 (5 адам)»."),
    )
    fact_text_ru = models.CharField(_("fact as written (Russian)"), max_length=200, blank=True)
    metric = models.CharField(
        _("metric"),
        max_length=60,
        blank=True,
        help_text=_(
            "Named metric that computes the fact from records; beside a typed fact, the "
            "records it is checked against."
        ),
        validators=[validate_metric],
    )
    metric_param = models.CharField(_("metric parameter"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["activity", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="birgemiz_indicator_target_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(fact_value__isnull=True) | Q(fact_value__gte=0),
                name="birgemiz_indicator_fact_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(per="") | Q(comparator="per_unit"),
                name="birgemiz_indicator_per_only_per_unit",
            ),
        ]
        # The indicators register's natural key.
        indexes = [models.Index(fields=["activity", "name_kk"], name="birgemiz_indicator_key")]

    def __str__(self):
        return pick_lang(self, "name")[:100]

    def clean(self):
        super().clean()
        if self.comparator == self.Comparator.PER_UNIT and not self.per:
            # A spreadsheet row names the unit in words («мектеп»): read it from there.
            self.per = self.Per.from_unit(self.unit)
        if self.comparator == self.Comparator.PER_UNIT and not self.per:
            raise ValidationError({"per": _("Say what a per-unit plan is counted per.")})
        if self.per and self.comparator != self.Comparator.PER_UNIT:
            raise ValidationError({"per": _("Only a per-unit plan is counted per a unit.")})

    @property
    def plan_in_percent(self):
        return self.unit.strip() == "%"

    @property
    def name(self):
        return pick_lang(self, "name")

    def plan_display(self, lang=None):
        text = pick_lang(self, "target_text", lang)
        if text:
            return text
        if self.target_value is None:
            return ""
        return f"{self.target_value.normalize():f}"


class Track(BilingualName, TimeStamped):
    """A course direction (бағыт): English, computer literacy, ҰБТ, law, olympiads."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("programme")
    )
    code = models.SlugField(
        pgettext_lazy("identifier", "code"), help_text=_("Stable short name, e.g. english.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tracks",
        verbose_name=_("activity"),
        help_text=_("The activity of the report that runs this track."),
    )
    planned_hours = models.DecimalField(
        _("planned hours"),
        max_digits=6,
        decimal_places=1,
        default=Decimal("48"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    planned_students = models.PositiveIntegerField(_("planned students"), default=0)
    planned_volunteers = models.PositiveIntegerField(_("planned volunteers"), default=0)
    group_capacity = models.PositiveSmallIntegerField(
        _("students per volunteer"), default=20, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["program", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="birgemiz_track_unique_code"),
            models.CheckConstraint(
                condition=Q(planned_hours__gt=0), name="birgemiz_track_hours_positive"
            ),
        ]



class Subject(BilingualName):
    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="subjects", verbose_name=_("track")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["track", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["track", "name_kk"], name="birgemiz_subject_unique_name")
        ]

