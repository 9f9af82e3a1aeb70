"""Selectors of the nationwide dashboard: one row per programme, and the charts' figures.

Every figure is computed for all the programmes in view at once, with grouped queries
(GROUP BY programme), so the page costs the same number of queries for 2 programmes
or 200. Sorting and pagination happen in Python over the computed rows: a deployment
holds tens to hundreds of programmes (one per region and year), not millions.

Two figures need more than a grouped count:

- **Indicator rows met / missed.** A fact is typed or computed by a named metric.
  Typed facts come in one query; metric facts are computed by the batched metrics
  (`reporting.metrics.compute_many`), one grouped query per metric in use, for every
  programme together. The verdict uses the report's own rule (`comparator_met` over
  `units.plan_target`: a per-unit plan multiplied by its schools or meetings, a plan in
  percent against a count left unjudged), so the dashboard and the report agree, live,
  without building N reports.
- **Report warnings** (`warnings`): counted when reports are built, shown from the cache
  or the latest issued report.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from birgemiz import roles
from birgemiz.access import programs_for
from birgemiz.alphabet import kazakh_sorted
from birgemiz.metric_registry import REGISTRY
from birgemiz.models import Indicator, Program, Publication, Region, Track, pick_lang
from courses.models import CourseGroup, Enrollment, Lesson
from volunteers.models import Volunteer

from ..metrics import MEDIA_KINDS, compute_many
from ..models import IssuedReport
from ..sections.info_work import PER_MONTH as PUBLICATIONS_PER_MONTH
from ..sections.plan_fact import comparator_met
from ..units import plan_target, plan_units, unit_for
from .scores import per_program_cached, scores_versions, track_growth
from .warnings import apply_cached_warnings

# The page's figures are kept this long (per scope, filter and language); the page says
# when they were computed and offers a refresh. At national scale a cold computation
# scans every enrollment, lesson and test result once.
FIGURES_CACHE_SECONDS = 5 * 60


@dataclass
class Row:
    program: Program
    region: str
    grantee: str
    year: int
    students: int = 0
    planned_students: int = 0
    volunteers: int = 0
    planned_volunteers: int = 0
    hours: Decimal = Decimal(0)
    tracks: list = field(default_factory=list)  # [TrackGrowth]
    met: int = 0
    missed: int = 0
    no_fact: int = 0
    months: int = 0
    publications: int = 0
    months_under: list = field(default_factory=list)  # [date]
    issued_at: datetime.datetime | None = None
    warnings: int | None = None
    warnings_at: datetime.datetime | None = None

    @property
    def growth(self):
        """Growth over all the programme's measured students (weighted by track size)."""
        n = sum(t.measured for t in self.tracks if t.growth is not None)
        if not n:
            return None
        return sum(t.growth * t.measured for t in self.tracks if t.growth is not None) / n

    @property
    def students_pct(self):
        return round(100 * self.students / self.planned_students) if self.planned_students else None

    @property
    def volunteers_pct(self):
        return (
            round(100 * self.volunteers / self.planned_volunteers) if self.planned_volunteers else None
        )

    @property
    def per_month(self):
        return round(self.publications / self.months, 1) if self.months else None


def _none_last(value):
    return (value is None, value if value is not None else 0)


SORTS = {
    "region": lambda r: r.region.lower(),
    "grantee": lambda r: r.grantee.lower(),
    "year": lambda r: r.year,
    "students": lambda r: r.students,
    "students_pct": lambda r: _none_last(r.students_pct),
    "volunteers": lambda r: r.volunteers,
    "hours": lambda r: r.hours,
    "growth": lambda r: _none_last(r.growth),
    "met": lambda r: r.met,
    "missed": lambda r: r.missed,
    "publications": lambda r: _none_last(r.per_month),
    "months_under": lambda r: len(r.months_under),
    "issued": lambda r: (r.issued_at is None, r.issued_at or timezone.now()),
    "warnings": lambda r: _none_last(r.warnings),
}


def scoped_programs(user, *, year=None, region=None):
    qs = programs_for(user)
    if year:
        qs = qs.filter(start__year=year)
    if region:
        qs = qs.filter(region__code=region)
    return qs


def filter_options(user):
    """The years and regions the user's programmes cover, for the filter form."""
    base = programs_for(user)
    years = sorted({d.year for d in base.dates("start", "year")}, reverse=True)
    regions = kazakh_sorted(Region.objects.filter(programs__in=base).distinct(), key=lambda r: r.name_kk)
    return years, regions


def _months(start, end):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield datetime.date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _per(qs, key, **values):
    return {row[key]: row for row in qs.values(key).annotate(**values).order_by()}


def program_rows(user, *, year=None, region=None, lang=None, today=None):
    """One `Row` per programme in the user's scope (filtered), in a fixed number of queries."""
    today = today or timezone.localdate()
    programs = list(
        scoped_programs(user, year=year, region=region).select_related("region", "organization")
    )
    if not programs:
        return []
    ids = [p.pk for p in programs]
    rows = {
        p.pk: Row(
            program=p,
            region=pick_lang(p.region, "name", lang),
            grantee=pick_lang(p.organization, "name", lang),
            year=p.start.year,
        )
        for p in programs
    }

    # Plan: the programme's own figures, or the sum of its tracks' plans.
    track_plans = _per(
        Track.objects.filter(program_id__in=ids),
        "program_id",
        s=Sum("planned_students"),
        v=Sum("planned_volunteers"),
    )
    for p in programs:
        plans = track_plans.get(p.pk, {})
        rows[p.pk].planned_students = p.planned_beneficiaries or plans.get("s") or 0
        rows[p.pk].planned_volunteers = p.planned_volunteers or plans.get("v") or 0

    enrolled = Enrollment.objects.filter(group__program_id__in=ids).exclude(
        status=Enrollment.Status.DROPPED
    )
    for pid, row in _per(enrolled, "group__program_id", n=Count("student", distinct=True)).items():
        rows[pid].students = row["n"]
    volunteers = Volunteer.objects.filter(program_id__in=ids).exclude(status=Volunteer.Status.WITHDRAWN)
    for pid, row in _per(volunteers, "program_id", n=Count("id")).items():
        rows[pid].volunteers = row["n"]
    confirmed = Lesson.objects.filter(group__program_id__in=ids, status=Lesson.Status.CONFIRMED)
    for pid, row in _per(confirmed, "group__program_id", h=Sum("hours")).items():
        rows[pid].hours = row["h"] or Decimal(0)

    versions = scores_versions(ids)
    for pid, growth in track_growth(ids, lang, versions):
        rows[pid].tracks.append(growth)

    _publications(ids, rows, today)
    _indicators(ids, rows, versions)
    _reports(ids, rows)
    return list(rows.values())


def _publications(ids, rows, today):
    counts = defaultdict(dict)
    for r in (
        Publication.objects.filter(program_id__in=ids, date__isnull=False, kind__in=MEDIA_KINDS)
        .annotate(month=TruncMonth("date"))
        .values("program_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        month = r["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        counts[r["program_id"]][month] = r["n"]
    for pid, row in rows.items():
        p = row.program
        # Only months that have begun count against the rule.
        months = list(_months(p.start, min(p.end, today))) if p.start <= today else []
        row.months = len(months)
        row.publications = sum(
            n for m, n in counts[pid].items() if months and months[0] <= m <= months[-1]
        )
        row.months_under = [m for m in months if counts[pid].get(m, 0) < PUBLICATIONS_PER_MONTH]


# Metrics that scan every test result: cached per programme with the scores' version.
SCORE_METRICS = {"test_measurements"}


def _metric_values(name, ids, params):
    return {key: figure.value for key, figure in compute_many(name, ids, params).items()}


def _compute_metric(name, ids, params, versions):
    if name not in SCORE_METRICS or versions is None:
        return _metric_values(name, ids, params)

    def compute(missing):
        by_program = defaultdict(dict)
        for (pid, param), value in _metric_values(name, missing, params).items():
            by_program[pid][param] = value
        return by_program

    kind = f"{name}:{','.join(sorted(params))}"
    cached = per_program_cached(kind, ids, versions, compute)
    return {(pid, param): value for pid, values in cached.items() for param, value in dict(values).items()}


def _indicators(ids, rows, versions=None):
    indicators = list(
        Indicator.objects.filter(activity__task__program_id__in=ids).values(
            "activity_id",
            "activity__task__program_id",
            "comparator",
            "per",
            "unit",
            "target_value",
            "fact_value",
            "fact_text",
            "metric",
            "metric_param",
        )
    )
    per_unit = any(ind["comparator"] == Indicator.Comparator.PER_UNIT for ind in indicators)
    units = plan_units(ids) if per_unit else {}
    track_of = dict(
        Track.objects.filter(program_id__in=ids, activity__isnull=False).values_list("activity_id", "id")
    ) if per_unit else {}
    wanted = defaultdict(set)
    for ind in indicators:
        if ind["fact_value"] is None and not ind["fact_text"] and ind["metric"] in REGISTRY:
            wanted[ind["metric"]].add(ind["metric_param"] or "")
    computed = {
        name: _compute_metric(name, ids, params, versions) for name, params in sorted(wanted.items())
    }
    for ind in indicators:
        row = rows[ind["activity__task__program_id"]]
        fact = ind["fact_value"]
        if fact is None and not ind["fact_text"] and ind["metric"] in computed:
            values = computed[ind["metric"]]
            fact = values.get((row.program.pk, (ind["metric_param"] or "").strip()), 0)
        if fact is None and not ind["fact_text"]:
            row.no_fact += 1
            continue
        if ind["unit"].strip() == "%" and "%" not in (ind["fact_text"] or ""):
            continue  # a plan in percent against a count: neither met nor missed
        unit = None
        if ind["comparator"] == Indicator.Comparator.PER_UNIT:
            unit = unit_for(units, row.program.pk, ind["per"], track_of.get(ind["activity_id"]))
        target = plan_target(ind["comparator"], ind["target_value"], unit)
        verdict = comparator_met(ind["comparator"], target, fact)
        if verdict is True:
            row.met += 1
        elif verdict is False:
            row.missed += 1


def _reports(ids, rows):
    latest = {}
    for r in (
        IssuedReport.objects.filter(program_id__in=ids)
        .order_by("program_id", "-issued_at", "-id")
        .values("program_id", "issued_at", "warnings")
    ):
        latest.setdefault(r["program_id"], r)
    for pid, row in rows.items():
        issued = latest.get(pid)
        if issued:
            row.issued_at = issued["issued_at"]
            row.warnings, row.warnings_at = issued["warnings"], issued["issued_at"]
    apply_cached_warnings(rows.values())


def _scope_key(user):
    if user.is_superuser or roles.is_officer(user):
        return "all"
    return "org-" + "-".join(str(pk) for pk in sorted(user.organizations.values_list("pk", flat=True)))


def dashboard_figures(user, *, year=None, region=None, lang=None, fresh=False):
    """(rows, progress, computed_at) for the page, from the cache unless `fresh`."""
    key = f"birgemiz:dashboard:figures:{_scope_key(user)}:{year}:{region}:{lang}"
    hit = None if fresh else cache.get(key)
    if hit is not None:
        return hit
    rows = program_rows(user, year=year, region=region, lang=lang)
    progress = progress_by_month(user, year=year, region=region, rows=rows)
    figures = (rows, progress, timezone.now())
    cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def sort_rows(rows, key, descending=False):
    if key not in SORTS:
        key = "region"
    return sorted(rows, key=SORTS[key], reverse=descending)


# ---------------------------------------------------------------- charts


def growth_by_region(rows):
    """{track code: (track name, [(region, growth, measured)])}, tracks in first-seen order."""
    out = {}
    for row in rows:
        for t in row.tracks:
            if t.growth is None:
                continue
            name, items = out.setdefault(t.code, (t.name, []))
            items.append((row.region, t.growth, t.measured))
    return out


def progress_by_month(user, *, year=None, region=None, rows=None):
    """Per month: students enrolled (cumulative) and lessons confirmed, for the programmes
    in view, against the plan (planned students; lessons = groups × planned hours / 2)."""
    programs = scoped_programs(user, year=year, region=region)
    ids = list(programs.values_list("pk", flat=True)) if rows is None else [r.program.pk for r in rows]
    if not ids:
        return {"months": [], "planned_students": 0, "planned_hours": 0}
    enrolled = {
        (r["month"].date() if isinstance(r["month"], datetime.datetime) else r["month"]): r["n"]
        for r in Enrollment.objects.filter(group__program_id__in=ids, enrolled_on__isnull=False)
        .exclude(status=Enrollment.Status.DROPPED)
        .annotate(month=TruncMonth("enrolled_on"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    }
    lessons = {
        (r["month"].date() if isinstance(r["month"], datetime.datetime) else r["month"]): r
        for r in Lesson.objects.filter(group__program_id__in=ids, status=Lesson.Status.CONFIRMED)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(n=Count("id"), h=Sum("hours"))
        .order_by()
    }
    planned_hours = (
        CourseGroup.objects.filter(program_id__in=ids).aggregate(h=Sum("track__planned_hours"))["h"] or 0
    )
    planned_students = sum(r.planned_students for r in rows) if rows is not None else 0
    all_months = sorted(set(enrolled) | set(lessons))
    if not all_months:
        return {"months": [], "planned_students": planned_students, "planned_hours": planned_hours}
    months = []
    cum_students = 0
    cum_hours = Decimal(0)
    for m in _months(all_months[0], all_months[-1]):
        cum_students += enrolled.get(m, 0)
        lesson = lessons.get(m, {})
        cum_hours += lesson.get("h") or 0
        months.append(
            {
                "month": m,
                "enrolled": enrolled.get(m, 0),
                "students": cum_students,
                "lessons": lesson.get("n", 0),
                "hours": cum_hours,
            }
        )
    return {"months": months, "planned_students": planned_students, "planned_hours": planned_hours}

