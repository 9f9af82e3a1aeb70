"""The final report's structure: every table and text of the operator's form, computed
once (`reporting.report.build_report`) and only rendered by the page, the PDF and the
XLSX (and filled across programmes by `reporting.consolidated`)."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from birgemiz.numbers import show_number

from .form import FORM, t
from .metrics import format_number


@dataclass
class Link:
    label: str
    url: str
    ref: int = 0  # the number of a warning's item, marked «✗ ref» where the body shows it
    row: object = field(default=None, repr=False, compare=False)  # the body row it marks


@dataclass
class Cell:
    """A computed or typed figure: its value (for XLSX), how it reads, and the rows behind it."""

    value: object = None
    display: str = ""
    links: list = field(default_factory=list)
    computed: bool = False

    def __post_init__(self):
        if not self.display and self.value is not None:
            self.display = format_number(self.value)

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

    @property
    def completeness_text(self):
        """The completeness cell as the seed writes it: «100% орындалды.» and the note,
        one text for every renderer."""
        return f"{self.done}\n{self.summary}" if self.summary else self.done

    done: str = ""  # «100% орындалды.» / «Выполнено на 100%.»


@dataclass
class TaskBlock:
    number: int
    title: str
    heading: str
    activities: list  # [ActivityRow]


@dataclass
class ExpertRow:
    number: int
    name: str
    position: str


@dataclass
class Block:
    """A part of a narrative: text, or a table the narrative places where the seed does
    (`growth` rows of every track or of one, `experts` of the activity)."""

    kind: str  # "text" | "growth" | "experts"
    text: str = ""
    rows: list = field(default_factory=list)
    single: bool = False  # a growth table of one track, headed as the seed's task 5 heads it


@dataclass
class NarrativeActivity:
    heading: str
    blocks: list  # [Block]
    show_heading: bool = True

    @property
    def text(self):
        return "\n".join(b.text for b in self.blocks if b.kind == "text")


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
    plan: str  # as written
    fact: Cell
    met: bool | None
    has_plan: bool
    has_fact: bool
    pk: int = 0
    comparator: str = ""  # how the plan compares, in the report's language
    per: str = ""  # what a per-unit plan counts (birgemiz.models.Indicator.Per)
    target: object = None  # the number the fact must reach (a per-unit plan multiplied out)
    target_note: str = ""  # «1 × 48 мектеп = 48» for a per-unit plan
    units: object = None  # Cell: the schools or meetings a per-unit plan counts
    recorded: object = None  # Cell: what the records give beside a typed fact
    unit_mismatch: bool = False  # a percent plan against a count
    notes: list = field(default_factory=list)  # [str]: why the row is marked
    marks: list = field(default_factory=list)  # [int]: its warnings' numbers in the annex

    @property
    def recorded_differs(self):
        return self.recorded is not None and self.recorded.value != self.fact.value

    @property
    def target_display(self):
        return format_number(self.target) if self.target is not None else ""


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
    marks: list = field(default_factory=list)


@dataclass
class InfoGroupBlock:
    number: int
    title: str
    banners: Cell
    posts: list  # [(n, text)]
    plans: list  # [InfoPlanRow]
    media: str = ""  # «БАҚ ақпарат жариялау»
    banners_line: str = ""  # «Баннер - 5»
    posts_heading: str = ""  # «Пост, мақала (2 тілде):»

    @property
    def work_lines(self):
        """The information-work cell, line by line, as every renderer prints it."""
        lines = [self.media] if self.media else []
        if self.banners.value:
            lines.append(self.banners_line)
        if self.posts:
            lines.append(self.posts_heading)
            lines += [f"{n}. {text}" for n, text in self.posts]
        return lines


@dataclass
class MonthRow:
    year: int
    month: int
    label: str
    count: Cell
    under: bool
    marks: list = field(default_factory=list)


@dataclass
class SocioRow:
    number: int
    name: str
    unit: str
    plan: str
    fact: Cell
    pk: int = 0
    marks: list = field(default_factory=list)


@dataclass
class Breakdown:
    heading: str
    total_heading: str
    total: Cell
    columns: list  # [(heading, Cell)]
    marks: list = field(default_factory=list)

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

    @property
    def line(self):
        return f"{'☑' if self.chosen else '☐'} {self.number}) {self.text};"


@dataclass
class RecommendationRow:
    body: str
    text: str
    letter: str


@dataclass
class AppendixDocument:
    number: str  # «3», or «4–183» for a series of documents
    title: str
    kind: str
    pk: int  # the first document's
    url: str  # its download, or the admin list of a series
    date: str = ""  # the document's own date, dd.mm.yyyy, or ""
    activity: str = ""  # «1.1»
    count: int = 1  # documents in the row


@dataclass
class AppendixBlock:
    heading: str
    activities: list  # [str]
    documents: list  # [AppendixDocument]
    number: int | None = None  # the appendix number; None for documents without one


@dataclass
class Footer:
    chair_line: str
    chair_caption: str
    filled: str
    seal: str
    pages_template: str  # with {n}
    signature: str = ""  # «Қолы ____________»


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
    missing: list = field(default_factory=list)  # [sections.data.MissingText] the body marks

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


# ---------------------------------------------------------------- values


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
    """«44,7%» in kk and ru, one decimal at most; «100%» for a whole number."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{show_number(value)}%"
