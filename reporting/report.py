"""The final programme report as one structure, computed once for a programme, a language
and a date. The report page, the PDF and the XLSX render this structure and compute nothing.

`build_report(program, lang)` runs a fixed number of queries whatever the size of the
programme: the per-person tables are computed in Python over one `values()` query each, and
named metrics are computed once per distinct (metric, parameter) pair of the programme's
configuration (its indicators and activities), never per student, lesson or publication.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import TestResult
from birgemiz.models import (
    Activity,
    Evidence,
    Indicator,
    InfoWorkGroup,
    InfoWorkPlan,
    Narrative,
    Partner,
    ProjectProposal,
    Publication,
    SocialStatus,
    SocioEconomicIndicator,
    StateRecommendation,
    Task,
    Track,
    pick_lang,
)
from courses.models import Enrollment, Student
from volunteers.models import Volunteer

from . import metrics
from .form import (
    AGE_BRACKETS,
    DIRECTIONS,
    FORM,
    MONTHS,
    STATUS_HEADINGS,
    date_text,
    hours_text,
    period_text,
    short_date,
    t,
)
from .numwords import amount_in_words, group_digits

ARTICLE_KINDS = (
    Publication.Kind.POST,
    Publication.Kind.NEWSPAPER,
    Publication.Kind.INTERVIEW,
)
MAX_LINKED_IDS = 200


# ---------------------------------------------------------------- links


def changelist_url(model_label, **filters):
    """Admin changelist of `app_label.model` filtered; "" where the admin lacks the model."""
    app_label, model = model_label.split(".")
    try:
        base = reverse(f"admin:{app_label}_{model}_changelist")
    except NoReverseMatch:
        return ""
    return f"{base}?{urlencode(filters)}" if filters else base


def ids_url(model_label, ids):
    ids = sorted(ids)[:MAX_LINKED_IDS]
    if not ids:
        return ""
    return changelist_url(model_label, id__in=",".join(str(i) for i in ids))


# ---------------------------------------------------------------- the structure


@dataclass
class Link:
    label: str
    url: str


@dataclass
class Cell:
    """A computed or typed figure: its value (for XLSX), how it reads, and the rows behind it."""

    value: object = None
    display: str = ""
    links: list = field(default_factory=list)
    computed: bool = False

    def __post_init__(self):
        if not self.display and self.value is not None:
            self.display = metrics.format_number(self.value)

    @property
    def url(self):
        return self.links[0].url if self.links else ""

    @classmethod
    def from_figure(cls, figure, label=""):
        url = figure.rows_url
        value = figure.value
        if isinstance(value, Decimal):
            value = number(value)
        return cls(
            value=value,
            display=str(figure.display),
            links=[Link(label, url)] if url else [],
            computed=True,
        )

    @classmethod
    def count(cls, n, url="", label=""):
        return cls(value=n, links=[Link(label, url)] if url else [], computed=True)


@dataclass
class TitleBlock:
    grantee: str
    topic: str
    amount: int
    amount_digits: str
    amount_text: str


@dataclass
class ActivityRow:
    key: str  # "task.activity"
    number: int
    title: str
    period: str
    place: str
    participants: list  # [Cell], one per line
    categories: list  # [str], one per line
    experts: str
    completeness: int
    summary: str
    appendix: str
    pk: int = 0


@dataclass
class TaskBlock:
    number: int
    title: str
    heading: str
    activities: list  # [ActivityRow]


@dataclass
class NarrativeActivity:
    heading: str
    text: str
    show_growth: bool = False


@dataclass
class NarrativeTask:
    heading: str
    activities: list


@dataclass
class GrowthRow:
    number: int
    code: str
    name: str
    hours: str
    pre: Cell
    post: Cell
    growth: Cell
    measured: Cell  # students with both tests


@dataclass
class IndicatorRow:
    name: str
    plan: str
    fact: Cell
    met: bool | None
    has_plan: bool
    has_fact: bool
    pk: int = 0


@dataclass
class PlanFactActivity:
    number: int
    title: str
    result: str
    rows: list


@dataclass
class PlanFactTask:
    number: int
    title: str
    activities: list


@dataclass
class InfoPlanRow:
    label: str
    plan: str
    plan_value: int
    fact: Cell
    met: bool


@dataclass
class InfoGroupBlock:
    number: int
    title: str
    banners: Cell
    posts: list  # [(n, text)]
    plans: list  # [InfoPlanRow]


@dataclass
class MonthRow:
    year: int
    month: int
    label: str
    count: Cell
    under: bool


@dataclass
class SocioRow:
    number: int
    name: str
    unit: str
    plan: str
    fact: Cell
    pk: int = 0


@dataclass
class Breakdown:
    heading: str
    total_heading: str
    total: Cell
    columns: list  # [(heading, Cell)]

    @property
    def column_sum(self):
        return sum(c.value or 0 for _h, c in self.columns)


@dataclass
class TrackIndicatorRow:
    name: str
    plan_volunteers: int
    plan_students: int
    volunteers: Cell
    students: Cell


@dataclass
class PartnerRow:
    name: str
    role: str
    contact: str
    note: str


@dataclass
class ProposalRow:
    number: int
    title: str
    justification: str
    goal: str
    tasks: str
    summary: str
    amount: str
    place: str
    expected_results: str
    direction: str


@dataclass
class Direction:
    number: str
    text: str
    chosen: bool


@dataclass
class RecommendationRow:
    body: str
    text: str
    letter: str


@dataclass
class AppendixDocument:
    number: int
    title: str
    kind: str
    pk: int
    url: str


@dataclass
class AppendixBlock:
    heading: str
    activities: list  # [str]
    documents: list  # [AppendixDocument]


@dataclass
class Footer:
    chair_line: str
    chair_caption: str
    filled: str
    seal: str
    pages_template: str  # with {n}


@dataclass
class Report:
    program_code: str
    program_id: int
    lang: str
    as_of: datetime.date
    built_at: datetime.datetime
    title: TitleBlock
    tasks: list  # [TaskBlock]
    narratives: list  # [NarrativeTask]
    growth: list  # [GrowthRow]
    goal: str
    achieved_result: str
    plan_fact: list  # [PlanFactTask]
    info_groups: list
    months: list
    socio: list
    deviation: str
    goal_achievement: str
    social_change: str
    statistics_intro: str
    participants_total: Cell
    gender: Breakdown
    status: Breakdown
    age: Breakdown
    target_groups: str
    track_indicators: list
    track_totals: TrackIndicatorRow
    long_term_effect: str
    sustainability: str
    partner_analysis: str
    partners: list
    proposals: list
    directions: list
    recommendations: list
    footer: Footer
    appendices: list
    checks: list = field(default_factory=list)

    def f(self, key, **kwargs):
        """The form's text in the report's language."""
        return t(key, self.lang, **kwargs)

    @property
    def F(self):  # noqa: N802 - reads as a constant table in templates: {{ report.F.s1 }}
        return {key: pair[1 if self.lang == "ru" else 0] for key, pair in FORM.items()}

    @property
    def as_of_text(self):
        return t("as_of", self.lang, date=self.as_of.strftime("%d.%m.%Y"))

    @property
    def breakdowns(self):
        return [self.gender, self.status, self.age]

    @property
    def pages_parts(self):
        """The footer's page-count sentence split around the number."""
        before, _sep, after = self.footer.pages_template.partition("{n}")
        return before, after

    @property
    def warnings(self):
        return [c for c in self.checks if not c.ok]


# ---------------------------------------------------------------- helpers


def number(value):
    """Decimals that are whole become ints, others floats rounded to 2 places (for XLSX)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return value


def percent_display(value):
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{value}%"


def split_lines(text):
    """One category per line of the participants cell: typed on lines or as «A / B»."""
    lines = [p.strip() for line in text.splitlines() for p in line.split(" / ")]
    return [line for line in lines if line]


def age_at(birth_date, as_of):
    return as_of.year - birth_date.year - ((as_of.month, as_of.day) < (birth_date.month, birth_date.day))


def years_before(d, years):
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def comparator_met(comparator, target, fact):
    """Whether a fact meets its plan; None when the plan cannot be compared."""
    if target is None or fact is None:
        return None
    fact = Decimal(str(fact))
    # A fact misses its plan when it falls short of it. Going beyond an "exactly" plan
    # (200 students planned, 378 taught) over-fulfils it rather than misses it; a "per unit"
    # minimum is a floor for the total; a text plan that carries a number is read as one.
    if comparator == Indicator.Comparator.TEXT and target is None:
        return None
    return fact >= target


class MetricCache:
    """Each (metric, parameter) computed once per report."""

    def __init__(self, program):
        self.program = program
        self.cache = {}

    def __call__(self, name, param=""):
        key = (name, param or "")
        if key not in self.cache:
            try:
                self.cache[key] = metrics.compute(self.program, name, param)
            except metrics.UnknownMetric:
                self.cache[key] = None
        return self.cache[key]


# ---------------------------------------------------------------- the builder


def build_report(program, lang="kk", as_of=None):
    lang = "ru" if lang == "ru" else "kk"
    with translation.override(lang):
        return _build(program, lang, as_of or program.as_of)


def _build(program, lang, as_of):
    from .checks import run_checks

    org = program.organization
    metric = MetricCache(program)
    pid = program.pk

    # --- people: enrolled students, volunteers, tests (one query each)
    tracks = list(Track.objects.filter(program=program).order_by("order", "id"))
    enrolled = set(
        Enrollment.objects.filter(group__program=program)
        .exclude(status=Enrollment.Status.DROPPED)
        .values_list("group__track_id", "student_id")
    )
    students_in_track = defaultdict(set)
    for track_id, student_id in enrolled:
        students_in_track[track_id].add(student_id)
    students = list(
        Student.objects.filter(program=program, id__in={s for _t, s in enrolled}).values(
            "id", "last_name", "first_name", "sex", "social_status", "birth_date", "low_income"
        )
    )
    volunteers = list(
        Volunteer.objects.filter(program=program)
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .values("id", "last_name", "first_name", "sex", "social_status", "birth_date", "track_id")
    )
    volunteers_in_track = defaultdict(set)
    for v in volunteers:
        if v["track_id"]:
            volunteers_in_track[v["track_id"]].add(v["id"])
    scores = defaultdict(dict)  # (track_id, student_id) -> {kind: score}
    for track_id, student_id, kind, score in TestResult.objects.filter(
        program=program, student__isnull=False, track__isnull=False
    ).values_list("track_id", "student_id", "kind", "score"):
        scores[(track_id, student_id)][kind] = score

    def track_students_cell(track):
        return Cell.count(
            len(students_in_track[track.id]),
            changelist_url(
                "courses.student", program__id__exact=pid, enrollments__group__track__code=track.code
            ),
        )

    def track_volunteers_cell(track):
        return Cell.count(
            len(volunteers_in_track[track.id]),
            changelist_url("volunteers.volunteer", program__id__exact=pid, track__code=track.code),
        )

    all_students_cell = Cell.count(
        len(students), changelist_url("courses.student", program__id__exact=pid), _("students")
    )
    all_volunteers_cell = Cell.count(
        len(volunteers), changelist_url("volunteers.volunteer", program__id__exact=pid), _("volunteers")
    )

    # --- tasks and activities
    task_list = list(Task.objects.filter(program=program).order_by("number"))
    activities = list(
        Activity.objects.filter(task__program=program).select_related("task").order_by(
            "task__number", "number"
        )
    )
    acts_by_task = defaultdict(list)
    for act in activities:
        acts_by_task[act.task_id].append(act)
    track_by_activity = {tr.activity_id: tr for tr in tracks if tr.activity_id}

    def participants(act):
        track = track_by_activity.get(act.id)
        if act.participants_metric == "track_participants" and track:
            return [track_volunteers_cell(track), track_students_cell(track)]
        if act.participants_metric == "students_and_volunteers":
            return [all_students_cell, all_volunteers_cell]
        if act.participants_metric:
            fig = metric(act.participants_metric, track.code if track else "")
            if fig is not None:
                return [Cell.from_figure(fig)]
        if act.participants_typed is not None:
            return [Cell(value=act.participants_typed)]
        return []

    task_blocks = []
    narratives = []
    last_task_number = task_list[-1].number if task_list else None
    for task in task_list:
        title = pick_lang(task, "title", lang)
        rows = []
        narr = []
        for act in acts_by_task[task.id]:
            act_title = pick_lang(act, "title", lang)
            summary = pick_lang(act, "summary", lang)
            rows.append(
                ActivityRow(
                    key=f"{task.number}.{act.number}",
                    number=act.number,
                    title=act_title,
                    period=pick_lang(act, "period", lang) or period_text(act.start, act.end, lang),
                    place=act.place,
                    participants=participants(act),
                    categories=split_lines(pick_lang(act, "participant_category", lang)),
                    experts=act.experts,
                    completeness=act.completeness_percent,
                    summary=summary,
                    appendix=t("appendix_no", lang, n=act.appendix_number)
                    if act.appendix_number
                    else "",
                    pk=act.pk,
                )
            )
            narr.append(
                NarrativeActivity(
                    heading=t("activity", lang, n=act.number, title=act_title),
                    text=pick_lang(act, "narrative", lang),
                )
            )
        # The growth table sits in the monitoring task (the last one, task 7 in the seed),
        # after its first activity.
        if task.number == last_task_number and narr:
            narr[0].show_growth = True
        heading = t("task", lang, n=task.number, title=title)
        task_blocks.append(TaskBlock(task.number, title, heading, rows))
        narratives.append(NarrativeTask(heading, narr))

    # --- growth per track
    growth = []
    for i, track in enumerate(tracks, start=1):
        pre, post = [], []
        for student_id in students_in_track[track.id]:
            pair = scores.get((track.id, student_id), {})
            if "pre" in pair and "post" in pair:
                pre.append(pair["pre"])
                post.append(pair["post"])
        n = len(pre)
        mean_pre = sum(pre) / n if n else None
        mean_post = sum(post) / n if n else None
        diff = mean_post - mean_pre if n else None
        tests_url = changelist_url(
            "assessments.testresult", program__id__exact=pid, track__id__exact=track.id
        )
        growth.append(
            GrowthRow(
                number=i,
                code=track.code,
                name=pick_lang(track, "name", lang),
                hours=hours_text(track.planned_hours, lang),
                pre=Cell(number(mean_pre), percent_display(mean_pre), [Link("", tests_url)], True),
                post=Cell(number(mean_post), percent_display(mean_post), [Link("", tests_url)], True),
                growth=Cell(number(diff), percent_display(diff), [Link("", tests_url)], True),
                measured=Cell.count(n, tests_url),
            )
        )

    # --- plan vs fact
    indicators = defaultdict(list)
    for ind in Indicator.objects.filter(activity__task__program=program).order_by(
        "activity_id", "order", "id"
    ):
        indicators[ind.activity_id].append(ind)

    def indicator_row(ind):
        plan = ind.plan_display(lang)
        has_plan = bool(plan)
        typed = ind.fact_value is not None or bool(ind.fact_text)
        if typed:
            value = number(ind.fact_value) if ind.fact_value is not None else None
            fact = Cell(value=value, display=ind.fact_text or metrics.format_number(ind.fact_value))
        elif ind.metric:
            fig = metric(ind.metric, ind.metric_param)
            fact = Cell.from_figure(fig) if fig is not None else Cell()
        else:
            fact = Cell()
        has_fact = fact.value is not None or bool(fact.display)
        fact_number = fact.value if isinstance(fact.value, (int, float)) else None
        met = comparator_met(ind.comparator, ind.target_value, fact_number)
        return IndicatorRow(
            name=pick_lang(ind, "name", lang),
            plan=plan,
            fact=fact,
            met=met,
            has_plan=has_plan,
            has_fact=has_fact,
            pk=ind.pk,
        )

    plan_fact = []
    for task in task_list:
        acts = []
        for act in acts_by_task[task.id]:
            acts.append(
                PlanFactActivity(
                    number=act.number,
                    title=pick_lang(act, "title", lang),
                    result=pick_lang(act, "result", lang),
                    rows=[indicator_row(ind) for ind in indicators[act.id]],
                )
            )
        plan_fact.append(PlanFactTask(task.number, pick_lang(task, "title", lang), acts))

    # --- information work
    groups = list(InfoWorkGroup.objects.filter(program=program).order_by("number"))
    plans_by_group = defaultdict(list)
    for plan in InfoWorkPlan.objects.filter(group__program=program).order_by("group_id", "id"):
        plans_by_group[plan.group_id].append(plan)
    publications = list(
        Publication.objects.filter(program=program).order_by("date", "id").values(
            "id", "group_id", "kind", "outlet", "title", "date"
        )
    )
    pubs_by_group = defaultdict(list)
    for p in publications:
        pubs_by_group[p["group_id"]].append(p)

    def kind_class(kind):
        if kind in ARTICLE_KINDS:
            return "article"
        return kind

    info_groups = []
    for group in groups:
        pubs = pubs_by_group[group.id]
        banners = [p for p in pubs if p["kind"] == Publication.Kind.BANNER]
        articles = [p for p in pubs if p["kind"] in ARTICLE_KINDS]
        posts = []
        for n, p in enumerate(articles, start=1):
            outlet = p["outlet"]
            text = f"{outlet} «{p['title']}»" if outlet else f"«{p['title']}»"
            if p["date"]:
                text += f" {short_date(p['date'], lang)}"
            posts.append((n, text))
        plan_rows = []
        for plan in plans_by_group[group.id]:
            same = [p for p in pubs if kind_class(p["kind"]) == kind_class(plan.kind)]
            fact = Cell.count(len(same), ids_url("birgemiz.publication", [p["id"] for p in same]))
            plan_rows.append(
                InfoPlanRow(
                    label=pick_lang(plan, "label", lang),
                    plan=pick_lang(plan, "plan_text", lang) or str(plan.plan_value),
                    plan_value=plan.plan_value,
                    fact=fact,
                    met=len(same) >= plan.plan_value,
                )
            )
        info_groups.append(
            InfoGroupBlock(
                number=group.number,
                title=pick_lang(group, "title", lang),
                banners=Cell.count(len(banners), ids_url("birgemiz.publication", [p["id"] for p in banners])),
                posts=posts,
                plans=plan_rows,
            )
        )

    month_counts = Counter(
        (p["date"].year, p["date"].month)
        for p in publications
        if p["date"] and p["kind"] != Publication.Kind.BANNER
    )
    months = []
    y, m = program.start.year, program.start.month
    while (y, m) <= (program.end.year, program.end.month):
        n = month_counts[(y, m)]
        months.append(
            MonthRow(
                year=y,
                month=m,
                label=f"{MONTHS[lang][m - 1]} {y}",
                count=Cell.count(
                    n,
                    changelist_url(
                        "birgemiz.publication", program__id__exact=pid, date__year=y, date__month=m
                    ),
                ),
                under=n < 2,
            )
        )
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)

    # --- socio-economic
    socio = []
    for row in SocioEconomicIndicator.objects.filter(program=program).order_by("number"):
        if row.fact_value is not None:
            fact = Cell(value=number(row.fact_value))
        elif row.metric:
            fig = metric(row.metric)
            fact = Cell.from_figure(fig) if fig is not None else Cell()
            if fig is not None and row.metric == "direct_beneficiaries":
                fact.display = t("se_beneficiaries", lang, total=fig.value, low=fig.parts["low"])
        else:
            fact = Cell()
        plan = pick_lang(row, "plan_text", lang) or metrics.format_number(row.plan_value)
        socio.append(
            SocioRow(
                number=row.number,
                name=pick_lang(row, "name", lang),
                unit=pick_lang(row, "unit", lang),
                plan=plan,
                fact=fact,
                pk=row.pk,
            )
        )

    # --- participants: students + volunteers
    people = [("courses.student", s) for s in students] + [("volunteers.volunteer", v) for v in volunteers]
    total = len(people)

    def people_cell(predicate, **filters):
        n = sum(1 for _m, p in people if predicate(p))
        links = []
        for model, label in (("courses.student", _("students")), ("volunteers.volunteer", _("volunteers"))):
            url = changelist_url(model, program__id__exact=pid, **filters)
            if url:
                links.append(Link(label, url))
        return Cell(value=n, links=links, computed=True)

    participants_total = Cell(
        value=total, links=all_students_cell.links + all_volunteers_cell.links, computed=True
    )
    gender = Breakdown(
        heading=t("gender", lang),
        total_heading=t("gender_total", lang),
        total=participants_total,
        columns=[
            (t("male", lang), people_cell(lambda p: p["sex"] == "M", sex__exact="M")),
            (t("female", lang), people_cell(lambda p: p["sex"] == "F", sex__exact="F")),
        ],
    )
    status = Breakdown(
        heading=t("status", lang),
        total_heading=t("stats_total", lang),
        total=participants_total,
        columns=[
            (
                STATUS_HEADINGS[value][1 if lang == "ru" else 0],
                people_cell(lambda p, v=value: p["social_status"] == v, social_status__exact=value),
            )
            for value in SocialStatus.values
        ],
    )
    age_columns = []
    for low, high, kk, ru in AGE_BRACKETS:
        filters = {"birth_date__lte": years_before(as_of, low).isoformat()}
        if high is not None:
            filters["birth_date__gt"] = years_before(as_of, high + 1).isoformat()

        def in_bracket(p, low=low, high=high):
            if not p["birth_date"]:
                return False
            age = age_at(p["birth_date"], as_of)
            return age >= low and (high is None or age <= high)

        age_columns.append((ru if lang == "ru" else kk, people_cell(in_bracket, **filters)))
    age = Breakdown(
        heading=t("age", lang),
        total_heading=t("stats_total", lang),
        total=participants_total,
        columns=age_columns,
    )

    # --- indicators per track (section 8)
    track_indicators = [
        TrackIndicatorRow(
            name=pick_lang(track, "name", lang),
            plan_volunteers=track.planned_volunteers,
            plan_students=track.planned_students,
            volunteers=track_volunteers_cell(track),
            students=track_students_cell(track),
        )
        for track in tracks
    ]
    track_totals = TrackIndicatorRow(
        name=t("ind_total", lang),
        plan_volunteers=program.planned_volunteers or sum(tr.planned_volunteers for tr in tracks),
        plan_students=program.planned_beneficiaries or sum(tr.planned_students for tr in tracks),
        volunteers=all_volunteers_cell,
        students=all_students_cell,
    )

    # --- narratives, partners, proposals, recommendations
    texts = {n.key: n.text(lang) for n in Narrative.objects.filter(program=program)}
    partners = [
        PartnerRow(p.name, p.role, p.contact, p.note)
        for p in Partner.objects.filter(program=program).order_by("order", "id")
    ]
    proposals = list(ProjectProposal.objects.filter(program=program).order_by("number", "id"))
    chosen = {p.grant_direction.strip() for p in proposals if p.grant_direction}
    directions = [
        Direction(num, ru if lang == "ru" else kk, num in chosen) for num, kk, ru in DIRECTIONS
    ]
    proposal_rows = [
        ProposalRow(
            p.number, p.title, p.justification, p.goal, p.tasks, p.summary, p.amount, p.place,
            p.expected_results, p.grant_direction,
        )
        for p in proposals
    ]
    recommendations = []
    for r in StateRecommendation.objects.filter(program=program).order_by("id"):
        if r.letter_date and r.letter_number:
            letter = t("letter", lang, date=date_text(r.letter_date, lang), n=r.letter_number)
        elif r.letter_date:
            letter = date_text(r.letter_date, lang)
        else:
            letter = f"№{r.letter_number}" if r.letter_number else ""
        recommendations.append(RecommendationRow(r.body, r.text, letter))

    # --- appendices: evidence per appendix number
    evidence = list(
        Evidence.objects.filter(program=program).order_by("activity_id", "id").values(
            "id", "activity_id", "kind", "title"
        )
    )
    kinds = dict(Evidence.Kind.choices)
    evidence_by_activity = defaultdict(list)
    for e in evidence:
        evidence_by_activity[e["activity_id"]].append(e)
    by_number = defaultdict(list)
    unnumbered = []
    for act in activities:
        (by_number[act.appendix_number] if act.appendix_number else unnumbered).append(act)

    def documents(acts, extra=()):
        docs = [e for act in acts for e in evidence_by_activity[act.id]] + list(extra)
        out = []
        for n, e in enumerate(docs, start=1):
            try:
                url = reverse("evidence-download", args=[e["id"]])
            except NoReverseMatch:
                url = ""
            out.append(AppendixDocument(n, e["title"], str(kinds.get(e["kind"], e["kind"])), e["id"], url))
        return out

    appendices = [
        AppendixBlock(
            heading=t("appendix_no", lang, n=num),
            activities=[f"{a.task.number}.{a.number} {pick_lang(a, 'title', lang)}" for a in acts],
            documents=documents(acts),
        )
        for num, acts in sorted(by_number.items())
    ]
    loose = documents(unnumbered, evidence_by_activity[None])
    if loose:
        appendices.append(
            AppendixBlock(
                heading=t("appendix_none", lang),
                activities=[f"{a.task.number}.{a.number} {pick_lang(a, 'title', lang)}" for a in unnumbered],
                documents=loose,
            )
        )

    chair_title = pick_lang(org, "chair_title", lang) or (
        f"{pick_lang(org, 'name', lang)} {t('chair_default', lang)}"
    )
    footer = Footer(
        chair_line=f"{chair_title}: {org.chair_name}" if org.chair_name else chair_title,
        chair_caption=t("chair_caption", lang),
        filled=f"{t('filled', lang)} ____________",
        seal=t("seal", lang),
        pages_template=t("pages", lang, n="{n}"),
    )

    report = Report(
        program_code=program.code,
        program_id=pid,
        lang=lang,
        as_of=as_of,
        built_at=timezone.now(),
        title=TitleBlock(
            grantee=pick_lang(org, "name", lang),
            topic=pick_lang(program, "topic", lang),
            amount=program.grant_amount,
            amount_digits=group_digits(program.grant_amount),
            amount_text=amount_in_words(program.grant_amount, lang),
        ),
        tasks=task_blocks,
        narratives=narratives,
        growth=growth,
        goal=pick_lang(program, "goal", lang),
        achieved_result=texts.get(Narrative.Key.ACHIEVED_RESULT, ""),
        plan_fact=plan_fact,
        info_groups=info_groups,
        months=months,
        socio=socio,
        deviation=texts.get(Narrative.Key.DEVIATION, ""),
        goal_achievement=texts.get(Narrative.Key.GOAL_ACHIEVEMENT, ""),
        social_change=texts.get(Narrative.Key.SOCIAL_CHANGE, ""),
        statistics_intro=texts.get(Narrative.Key.STATISTICS_INTRO, "")
        or t("n_stats_total", lang, n=total),
        participants_total=participants_total,
        gender=gender,
        status=status,
        age=age,
        target_groups=texts.get(Narrative.Key.TARGET_GROUPS, ""),
        track_indicators=track_indicators,
        track_totals=track_totals,
        long_term_effect=texts.get(Narrative.Key.LONG_TERM_EFFECT, ""),
        sustainability=texts.get(Narrative.Key.SUSTAINABILITY, ""),
        partner_analysis=texts.get(Narrative.Key.PARTNER_ANALYSIS, ""),
        partners=partners,
        proposals=proposal_rows,
        directions=directions,
        recommendations=recommendations,
        footer=footer,
        appendices=appendices,
    )
    report.checks = run_checks(
        report,
        students=students,
        volunteers=volunteers,
        students_in_track=students_in_track,
        scores=scores,
        tracks=tracks,
    )
    return report

