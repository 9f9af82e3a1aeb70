"""The programme core: grantee, programme, tasks, activities, indicators, geography,
outreach, publications, partners, socio-economic facts, evidence and the audit trail.

Every other app hangs its records off `Program`.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .audit import audited
from .metric_registry import validate_metric
from .validators import validate_evidence_file


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def pick_lang(obj, field, lang=None):
    """`obj.<field>_kk` or `obj.<field>_ru` by language, falling back to Kazakh."""
    lang = (lang or get_language() or "kk")[:2]
    value = getattr(obj, f"{field}_{lang}", "") if lang in ("kk", "ru") else ""
    return value or getattr(obj, f"{field}_kk", "") or getattr(obj, f"{field}_ru", "")


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


# ---------------------------------------------------------------- geography


class Region(models.Model):
    code = models.SlugField(_("code"), unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name_kk"]

    def __str__(self):
        return pick_lang(self, "name")

    @property
    def name(self):
        return pick_lang(self, "name")


class District(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    is_city = models.BooleanField(_("city"), default=False)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name_kk"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name_kk"], name="birgemiz_district_unique_name"
            )
        ]

    def __str__(self):
        return pick_lang(self, "name")

    @property
    def name(self):
        return pick_lang(self, "name")


class School(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", verbose_name=_("district")
    )
    name = models.CharField(_("name"), max_length=300)
    settlement = models.CharField(_("settlement"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"], name="birgemiz_school_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.district})"


# ---------------------------------------------------------------- grantee and programme


class Organization(TimeStamped):
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

    def __str__(self):
        return pick_lang(self, "name")

    @property
    def name(self):
        return pick_lang(self, "name")


class Program(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ACTIVE = "active", _("active")
        CLOSED = "closed", _("closed")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="programs",
        verbose_name=_("grantee organisation"),
    )
    code = models.SlugField(
        _("code"), unique=True, help_text=_("Short stable identifier, e.g. bko-2020.")
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
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
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
    number = models.PositiveSmallIntegerField(_("number"))
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
    number = models.PositiveSmallIntegerField(_("number"))
    title_kk = models.TextField(_("title (Kazakh)"))
    title_ru = models.TextField(_("title (Russian)"), blank=True)
    period_kk = models.CharField(_("period (Kazakh)"), max_length=100, blank=True)
    period_ru = models.CharField(_("period (Russian)"), max_length=100, blank=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
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
    experts = models.TextField(_("experts involved"), blank=True)
    completeness_percent = models.PositiveSmallIntegerField(
        _("completeness, %"), default=0, validators=[MaxValueValidator(100)]
    )
    summary_kk = models.TextField(_("completeness note (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("completeness note (Russian)"), blank=True)
    narrative_kk = models.TextField(_("narrative (Kazakh)"), blank=True)
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

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("activity")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_kk = models.TextField(_("name (Kazakh)"))
    name_ru = models.TextField(_("name (Russian)"), blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    comparator = models.CharField(
        _("comparator"), max_length=20, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
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
        help_text=_("Typed fact; leave empty when a metric computes it."),
    )
    fact_text = models.CharField(
        _("fact as written"),
        max_length=200,
        blank=True,
        help_text=_("Optional wording of the fact, e.g. «1 (5 адам)»."),
    )
    metric = models.CharField(
        _("metric"),
        max_length=60,
        blank=True,
        help_text=_("Named metric that computes the fact from records."),
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
        ]

    def __str__(self):
        return pick_lang(self, "name")[:100]

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


# ---------------------------------------------------------------- outreach and media


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
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
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

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.place}"


class InfoWorkGroup(TimeStamped):
    """A row group of the information-work table (e.g. «Қорытынды шара»)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="info_groups", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("number"))
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
    title = models.CharField(_("title"), max_length=500)
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

    def __str__(self):
        return f"{self.outlet} «{self.title}»"


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


class Partner(TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="partners", verbose_name=_("programme")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("role in the programme"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["program", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="birgemiz_partner_unique_name")
        ]

    def __str__(self):
        return self.name


@audited("program_id")
class SocioEconomicIndicator(TimeStamped):
    """A row of the socio-economic table: plan and fact, typed or computed."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="socio_economic",
        verbose_name=_("programme"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    name_kk = models.CharField(_("indicator (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("indicator (Russian)"), max_length=300, blank=True)
    unit_kk = models.CharField(_("unit (Kazakh)"), max_length=50)
    unit_ru = models.CharField(_("unit (Russian)"), max_length=50, blank=True)
    plan_value = models.DecimalField(
        _("plan"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    plan_text_kk = models.CharField(_("plan as written (Kazakh)"), max_length=200, blank=True)
    plan_text_ru = models.CharField(_("plan as written (Russian)"), max_length=200, blank=True)
    fact_value = models.DecimalField(
        _("fact (typed)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    metric = models.CharField(_("metric"), max_length=60, blank=True, validators=[validate_metric])

    class Meta:
        verbose_name = _("socio-economic indicator")
        verbose_name_plural = _("socio-economic indicators")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "number"], name="birgemiz_socioeconomic_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(plan_value__isnull=True) | Q(plan_value__gte=0),
                name="birgemiz_socioeconomic_plan_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(fact_value__isnull=True) | Q(fact_value__gte=0),
                name="birgemiz_socioeconomic_fact_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {pick_lang(self, 'name')}"


class ProjectProposal(TimeStamped):
    """A proposal for a future project (report section 10)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("project title"), max_length=300)
    justification = models.TextField(_("justification (problem)"), blank=True)
    goal = models.TextField(_("goal"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    summary = models.TextField(_("main directions"), blank=True)
    amount = models.CharField(_("amount needed"), max_length=100, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    grant_direction = models.CharField(
        _("grant direction"),
        max_length=10,
        blank=True,
        help_text=_("Number of the grant direction, e.g. 4 or 13-1."),
    )

    class Meta:
        verbose_name = _("proposal for a future project")
        verbose_name_plural = _("proposals for future projects")
        ordering = ["program", "number"]

    def __str__(self):
        return self.title


class StateRecommendation(TimeStamped):
    """A recommendation to a state body (report section 11)."""

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("programme"),
    )
    body = models.CharField(_("state body"), max_length=300)
    text = models.TextField(_("recommendations"))
    letter_number = models.CharField(_("letter number"), max_length=50, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation to a state body")
        verbose_name_plural = _("recommendations to state bodies")
        ordering = ["program", "id"]

    def __str__(self):
        return self.body


# ---------------------------------------------------------------- evidence


def evidence_upload_to(instance, filename):
    # A random name under the programme: never guessable, never the original name.
    suffix = Path(filename).suffix.lower()
    return f"evidence/{instance.program_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(TimeStamped):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        MINUTES = "minutes", _("minutes")
        PARTICIPANT_LIST = "participant_list", _("participant list")
        ATTENDANCE = "attendance", _("attendance journal")
        SCREENSHOT = "screenshot", _("screenshot")
        CERTIFICATE = "certificate", _("certificate")
        LETTER = "letter", _("letter")
        CURRICULUM = "curriculum", _("curriculum")
        FEEDBACK = "feedback", _("participant feedback")
        OTHER = "other", _("other document")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("programme")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("activity"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("outreach meeting"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to=evidence_upload_to,
        validators=[validate_evidence_file],
        help_text=_("PDF, PNG, JPEG, DOCX or XLSX, up to 10 MB."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["program", "activity", "id"]

    def __str__(self):
        return self.title


# ---------------------------------------------------------------- audit trail


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # No database constraint and no cascade: the trail outlives the records it
    # describes, including a deleted programme (whose deletion writes entries too).
    program = models.ForeignKey(
        Program,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=30, blank=True, help_text=_("admin, portal, import, …")
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="birgemiz_audit_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user or '—'} {self.action} {self.object_repr}"


MAX_SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


from .registers.models import ImportJob  # noqa: E402,F401  (spreadsheet imports, birgemiz/registers)
