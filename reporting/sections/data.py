"""What a report is built from, read once: the people (one `values()` query each), the
programme's structure (tracks, tasks, activities, indicators, socio-economic rows,
narratives) and the figures of its named metrics.

The metrics are computed once per metric the configuration names (its activities,
indicators and socio-economic rows), for every parameter of it at once, never per
student, lesson or publication: the report's query count does not grow with the data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from assessments.models import TestResult
from birgemiz.metric_registry import REGISTRY
from birgemiz.models import Activity, Indicator, Narrative, SocioEconomicIndicator, Task, Track, lang_value
from courses.models import Enrollment, Student
from volunteers.models import Volunteer

from .. import metrics
from ..form import t
from ..links import change_url, changelist_url
from ..structure import Cell
from ..units import plan_units

PERSON_FIELDS = ("id", "last_name", "first_name", "sex", "social_status", "birth_date")
KAZAKH_ONLY = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


@dataclass
class MissingText:
    """A text the report prints in the other language, for want of one in its own."""

    where: str
    url: str
    text: str  # as printed, with its mark


@dataclass
class ReportData:
    program: object
    lang: str
    as_of: object
    tracks: list
    students: list  # [values() dict]
    volunteers: list  # [values() dict]
    students_in_track: dict  # track id -> {student id}
    volunteers_in_track: dict  # track id -> {volunteer id}
    scores: dict  # (track id, student id) -> {kind: score}
    tasks: list
    activities: list  # in task and activity order, with their task
    indicators: dict  # activity id -> [Indicator]
    socio_rows: list
    texts: dict = field(default_factory=dict)  # narrative key -> text in the report's language
    figures: dict = None  # (metric, param) -> Figure, or None where it cannot compute
    units: dict = field(default_factory=dict)  # see reporting.units.plan_units
    missing: dict = field(default_factory=dict)  # (model, pk, field) -> MissingText
    unknown_markers: list = field(default_factory=list)  # [(activity, line)] of narratives

    @property
    def pid(self):
        return self.program.pk

    @cached_property
    def acts_by_task(self):
        out = defaultdict(list)
        for act in self.activities:
            out[act.task_id].append(act)
        return out

    @cached_property
    def track_by_activity(self):
        return {track.activity_id: track for track in self.tracks if track.activity_id}

    @cached_property
    def tests_by_track(self):
        """{track id: (pre scores, post scores, ids without both)}: the students counted in
        the track with both tests (section 3's growth), in one pass, and those without
        (the checks)."""
        out = {}
        for track in self.tracks:
            pre, post, missing = [], [], []
            for student_id in self.students_in_track[track.id]:
                pair = self.scores.get((track.id, student_id), {})
                if "pre" in pair and "post" in pair:
                    pre.append(pair["pre"])
                    post.append(pair["post"])
                else:
                    missing.append(student_id)
            out[track.id] = (pre, post, missing)
        return out

    def figure(self, name, param=""):
        return self.figures.get((name, (param or "").strip()))

    def text(self, obj, name, *, proper=False):
        """`obj`'s text `name` in the report's language. Without one, the other language's,
        marked as such in the document and listed by the checks (`missing`). A `proper`
        name (an organisation, an outlet, a title) is printed unmarked where it is the
        same in both languages, i.e. where the Russian report gets no Kazakh-only letter."""
        value = lang_value(obj, name, self.lang)
        if value:
            return value
        other_lang = "kk" if self.lang == "ru" else "ru"
        other = lang_value(obj, name, other_lang)
        if not other or (proper and (self.lang == "kk" or not KAZAKH_ONLY & set(other))):
            return other
        marked = f"{t('other_lang', self.lang)} {other}"
        key = (obj._meta.label_lower, obj.pk, name)
        if key not in self.missing:
            self.missing[key] = self._missing(obj, name, marked)
        return marked

    def _missing(self, obj, name, marked):
        opts = obj._meta
        wanted = f"{name}_{self.lang}"
        if not any(f.name == wanted for f in opts.get_fields()):
            wanted = name  # the Kazakh value that kept the field's own name
        label = str(opts.get_field(wanted).verbose_name)
        url = change_url(opts.label_lower, obj.pk)
        where = f"{opts.verbose_name} «{str(obj)[:60]}»: {label}"
        return MissingText(where, f"{url}#id_{wanted}" if url else "", marked)

    def url(self, model_label, **filters):
        """The admin list of the programme's rows of a model."""
        return changelist_url(model_label, program__id__exact=self.pid, **filters)

    def track_students_cell(self, track):
        url = self.url("courses.student", enrollments__group__track__code=track.code)
        return Cell.count(len(self.students_in_track[track.id]), url)

    def track_volunteers_cell(self, track):
        url = self.url("volunteers.volunteer", track__code=track.code)
        return Cell.count(len(self.volunteers_in_track[track.id]), url)

    @cached_property
    def all_students_cell(self):
        return Cell.count(len(self.students), self.url("courses.student"), _("students"))

    @cached_property
    def all_volunteers_cell(self):
        return Cell.count(len(self.volunteers), self.url("volunteers.volunteer"), _("volunteers"))


def load(program, lang, as_of):
    activities = Activity.objects.filter(task__program=program).select_related("task")
    indicators = defaultdict(list)
    rows = Indicator.objects.filter(activity__task__program=program).order_by("activity_id", "order", "id")
    for ind in rows:
        indicators[ind.activity_id].append(ind)
    data = ReportData(
        program=program,
        lang=lang,
        as_of=as_of,
        tracks=list(Track.objects.filter(program=program).order_by("order", "id")),
        **_people(program),
        tasks=list(Task.objects.filter(program=program).order_by("number")),
        activities=list(activities.order_by("task__number", "number")),
        indicators=indicators,
        socio_rows=list(SocioEconomicIndicator.objects.filter(program=program).order_by("number")),
    )
    narratives = list(Narrative.objects.filter(program=program).order_by("key"))
    for n in narratives:
        n.program = program  # its name, where a text is missing, is the programme's code
    data.texts = {n.key: data.text(n, "text") for n in narratives}
    per_unit = any(i.comparator == Indicator.Comparator.PER_UNIT for row in indicators.values() for i in row)
    with metrics.batch():  # the queries several metrics (and the units) share run once
        data.figures = _figures(data)
        if per_unit:
            data.units = plan_units([program.pk])
    return data


def _people(program):
    """Enrolled students, volunteers and test scores, one query each. Unordered where the
    order does not matter (the models' default orderings would add joins and a sort)."""
    enrollments = Enrollment.objects.filter(group__program=program).exclude(status=Enrollment.Status.DROPPED)
    students_in_track = defaultdict(set)
    enrolled = set()
    for track_id, student_id in enrollments.order_by().values_list("group__track_id", "student_id"):
        students_in_track[track_id].add(student_id)
        enrolled.add(student_id)
    # The programme's students with an enrollment, in their own order (by name): the checks
    # list the first few by it.
    rows = Student.objects.filter(program=program).values(*PERSON_FIELDS)
    students = [s for s in rows if s["id"] in enrolled]
    volunteers = list(
        Volunteer.objects.filter(program=program)
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .values(*PERSON_FIELDS, "track_id")
    )
    volunteers_in_track = defaultdict(set)
    for v in volunteers:
        if v["track_id"]:
            volunteers_in_track[v["track_id"]].add(v["id"])
    scores = defaultdict(dict)  # one result per student, track and kind (a unique constraint)
    for track_id, student_id, kind, score in (
        TestResult.objects.filter(program=program, student__isnull=False, track__isnull=False)
        .order_by()
        .values_list("track_id", "student_id", "kind", "score")
    ):
        scores[(track_id, student_id)][kind] = score
    return {
        "students": students,
        "volunteers": volunteers,
        "students_in_track": students_in_track,
        "volunteers_in_track": volunteers_in_track,
        "scores": scores,
    }


def _wanted(data):
    """{metric: {param}} named by the activities, the indicators without a typed fact and
    the socio-economic rows without one."""
    wanted = defaultdict(set)
    for act in data.activities:
        track = data.track_by_activity.get(act.id)
        name = act.participants_metric
        if name == "students_and_volunteers" or (name == "track_participants" and track):
            continue  # counted from the people already read (`activities.participants`)
        if name:
            wanted[name].add(track.code if track else "")
    for rows in data.indicators.values():
        for ind in rows:
            # A metric beside a typed fact is computed too: the records check the typed figure.
            if ind.metric and (ind.fact_value is not None or not ind.fact_text):
                wanted[ind.metric].add(ind.metric_param or "")
    for row in data.socio_rows:
        if row.metric and row.fact_value is None:
            wanted[row.metric].add("")
    return wanted


def _figures(data):
    """Each metric the report names computed once, for all its parameters."""
    figures = {}
    for name, params in sorted(_wanted(data).items()):
        if name not in REGISTRY:
            continue
        for (_pid, param), figure in metrics.compute_many(name, [data.pid], params).items():
            figures[(name, param)] = figure
    return figures
