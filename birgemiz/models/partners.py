"""Partners, socio-economic facts, project proposals and recommendations to state bodies."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..audit import audited
from ..metric_registry import validate_metric
from .base import TimeStamped, pick_lang
from .programme import Program


class Partner(TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="partners", verbose_name=_("programme")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    name_ru = models.CharField(
        _("name (Russian)"),
        max_length=300,
        blank=True,
        help_text=_("Empty when the name reads the same in Russian."),
    )
    role = models.CharField(_("role in the programme"), max_length=300, blank=True)
    role_ru = models.CharField(_("role in the programme (Russian)"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_ru = models.TextField(_("note (Russian)"), blank=True)

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
    number = models.PositiveSmallIntegerField(pgettext_lazy("sequence number", "number"))
    name_kk = models.CharField(_("indicator (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("indicator (Russian)"), max_length=300, blank=True)
    unit_kk = models.CharField(_("unit (Kazakh)"), max_length=50)
    unit_ru = models.CharField(_("unit (Russian)"), max_length=50, blank=True)
    plan_value = models.DecimalField(
        _("plan"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    plan_text_kk = models.CharField(_("plan as written (Kazakh)"), max_length=200, blank=True)
    plan_text_ru = models.CharField(_("plan as written (Russian)"), max_length=200, blank=True)
    fact_value = models.DecimalField(
        _("fact (typed)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
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
    number = models.PositiveSmallIntegerField(pgettext_lazy("sequence number", "number"), default=1)
    title = models.CharField(_("project title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("project title (Russian)"), max_length=300, blank=True)
    justification = models.TextField(_("justification (problem) (Kazakh)"), blank=True)
    justification_ru = models.TextField(_("justification (problem) (Russian)"), blank=True)
    goal = models.TextField(_("goal (Kazakh)"), blank=True)
    goal_ru = models.TextField(_("goal (Russian)"), blank=True)
    tasks = models.TextField(_("tasks (Kazakh)"), blank=True)
    tasks_ru = models.TextField(_("tasks (Russian)"), blank=True)
    summary = models.TextField(_("main directions (Kazakh)"), blank=True)
    summary_ru = models.TextField(_("main directions (Russian)"), blank=True)
    amount = models.CharField(_("amount needed (Kazakh)"), max_length=100, blank=True)
    amount_ru = models.CharField(_("amount needed (Russian)"), max_length=100, blank=True)
    place = models.CharField(_("place (Kazakh)"), max_length=200, blank=True)
    place_ru = models.CharField(_("place (Russian)"), max_length=200, blank=True)
    expected_results = models.TextField(_("expected results (Kazakh)"), blank=True)
    expected_results_ru = models.TextField(_("expected results (Russian)"), blank=True)
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
    body = models.CharField(_("state body (Kazakh)"), max_length=300)
    body_ru = models.CharField(_("state body (Russian)"), max_length=300, blank=True)
    text = models.TextField(_("recommendations (Kazakh)"))
    text_ru = models.TextField(_("recommendations (Russian)"), blank=True)
    letter_number = models.CharField(_("letter number"), max_length=50, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation to a state body")
        verbose_name_plural = _("recommendations to state bodies")
        ordering = ["program", "id"]

    def __str__(self):
        return self.body
