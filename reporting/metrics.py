"""Named metrics: the figures an indicator, an activity or a socio-economic row can
compute from records instead of having them typed.

Every metric is written once, for MANY programmes at a time: `fn(program_ids, params)`
gives {(program_id, param): Figure} from grouped queries (GROUP BY programme and
parameter), so the dashboard judges every indicator of every programme in as many
queries as there are metrics in use, never one per programme. A single programme (the
report) is a batch of one: `compute(program, name, param)`.

`param` is a track code (``english``), an activity key (``1.1``, task.activity) or
``kind@1.1`` where noted. A param a metric does not take (a malformed activity key) has
no entry in the batch, and `compute` raises `UnknownMetric` for it. Each figure carries
the rows it counts (a model and admin filters) so the report can link to them.

Within `batch()` (the report computes all its metrics in one) the queries some metrics
share run once: the meetings' counts, the videos' and the activities' ids.
"""

import contextlib
import contextvars
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from assessments.models import TestResult
from birgemiz.metric_registry import REGISTRY
from birgemiz.models import Activity, Evidence, Meeting, Partner, Publication
from birgemiz.numbers import show_number
from courses.models import CourseGroup, Enrollment, Lesson
from surveys.models import SurveyResponse
from volunteers.models import Award, CouncilMeeting, CouncilMember, Volunteer

from .links import changelist_url


@dataclass
class Figure:
    value: Decimal | int | None
    display: str = ""
    rows_model: str = ""  # "app_label.model"
    rows_filters: dict = field(default_factory=dict)
    # Named sub-figures (e.g. "low" of direct beneficiaries) so a report can word them itself.
    parts: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.display and self.value is not None:
            self.display = format_number(self.value)

    @property
    def rows_url(self):
        if not self.rows_model:
            return ""
        return changelist_url(self.rows_model, **self.rows_filters)


def format_number(value):
    """A figure as the report's language writes it: «44,7», «12 345», «2641» (birgemiz.numbers)."""
    return show_number(value)


def metric(name, label, param_help=""):
    def register(fn):
        REGISTRY[name] = (fn, label, param_help)
        return fn

    return register


class UnknownMetric(ValueError):
    pass


def compute_many(name, program_ids, params):
    """{(program_id, param): Figure} of one metric for every programme and every param it takes."""
    try:
        fn = REGISTRY[name][0]
    except KeyError:
        raise UnknownMetric(name) from None
    return fn(list(program_ids), {(p or "").strip() for p in params})


def compute(program, name, param=""):
    """One programme's figure: a batch of one."""
    param = (param or "").strip()
    try:
        return compute_many(name, [program.pk], [param])[(program.pk, param)]
    except KeyError:
        raise UnknownMetric(f"{name} does not take {param!r}") from None


# ---------------------------------------------------------------- building blocks

_shared_rows = contextvars.ContextVar("metrics_shared_rows", default=None)


@contextlib.contextmanager
def batch():
    """Metrics computed within share the queries they have in common (`_shared`); the
    figures are the same as outside, each read from the database when the batch runs."""
    token = _shared_rows.set({})
    try:
        yield
    finally:
        _shared_rows.reset(token)


def _shared(key, compute):
    """`compute()`, once per `key` within a `batch()`, every time outside one."""
    memo = _shared_rows.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _figures(ids, params, counts, model, filters, zero=0):
    """A figure per (programme, param): `counts[(pid, param)]` (`zero` where missing), the
    rows of `model` the admin shows with `filters(pid, param)`."""
    return {
        (pid, p): Figure(counts.get((pid, p)) or zero, rows_model=model, rows_filters=filters(pid, p))
        for pid in ids
        for p in params
    }


def _grouped(qs, value, *fields):
    """{(field values…): value} from one grouped query."""
    rows = qs.values(*fields).annotate(v=value).order_by()
    return {tuple(row[f] for f in fields): row["v"] or 0 for row in rows}


def _program_count(ids, params, qs, model, value=None, *, field="program", **filters):
    """A programme-wide figure (the param is ignored) over `qs`, whose programme is `field`;
    `filters` add to the programme's in the link."""
    per = _grouped(qs, value or Count("id"), f"{field}_id")
    return _program_figures(ids, params, per, model, field=field, **filters)


def _program_figures(ids, params, per, model, *, field="program", **filters):
    """`_program_count` of the values {(pid,): value} counted already."""
    counts = {(pid, p): v for (pid,), v in per.items() for p in params}
    return _figures(ids, params, counts, model, lambda pid, _p: {f"{field}__id__exact": pid, **filters})


def _track_rows(track_field, program_field="program__id__exact", *, optional=True, **extra):
    """`filters(pid, param)` for `_figures`: the programme's rows (with `extra`), of the
    track `param` names (when one is given, if `optional`)."""

    def filters(pid, param):
        rows = {program_field: pid, **extra}
        if param or not optional:
            rows[track_field] = param
        return rows

    return filters


def _track_totals(by_track, params):
    """{(pid, param): value} from {(pid, track code): value}: "" sums every track."""
    out = defaultdict(int)
    for (pid, code), v in by_track.items():
        for param in params:
            if not param or param == code:
                out[(pid, param)] += v
    return out


def _activity_params(params, split):
    """{param: (tag, (task number, activity number) or None)} for the params that name
    the whole programme or a well-formed activity key; `split(param)` gives (tag, key)."""
    out = {}
    for param in params:
        tag, key = split(param)
        if not key:
            out[param] = (tag, None)
            continue
        try:
            task_no, act_no = (int(p) for p in key.split("."))
        except ValueError:
            continue  # not an activity key: a param this metric does not take
        out[param] = (tag, (task_no, act_no))
    return out


def _activity_ids(ids, keys):
    """{(program_id, (task number, activity number)): activity id} for the keys asked."""
    if not keys:
        return {}
    if _shared_rows.get() is not None:  # every activity of the programmes, once for the batch
        every = _shared(("activity_ids", tuple(ids)), lambda: _activity_ids_of(ids))
        return {(pid, key): aid for (pid, key), aid in every.items() if key in keys}
    rows = Activity.objects.filter(
        task__program_id__in=ids,
        task__number__in={t for t, _a in keys},
        number__in={a for _t, a in keys},
    ).values_list("task__program_id", "task__number", "number", "id")
    return {(pid, (t, a)): aid for pid, t, a, aid in rows}


def _activity_ids_of(ids):
    """{(program_id, (task number, activity number)): activity id} of every activity."""
    rows = Activity.objects.filter(task__program_id__in=ids).values_list(
        "task__program_id", "task__number", "number", "id"
    )
    return {(pid, (t, a)): aid for pid, t, a, aid in rows}


def _per_activity(ids, wanted, counts, model, filters):
    """Figures counted over a programme's rows or one activity's.

    `wanted` is `_activity_params(...)`; `counts` {(pid, tag, activity id): value};
    `filters(pid, tag)` the admin filters of the programme's rows of that tag."""
    activity_ids = _activity_ids(ids, {key for _tag, key in wanted.values() if key})
    whole = defaultdict(int)
    for (pid, tag, _aid), v in counts.items():
        whole[(pid, tag)] += v
    out = {}
    for pid in ids:
        for param, (tag, key) in wanted.items():
            rows_filters = filters(pid, tag)
            value = whole[(pid, tag)]
            if key:
                aid = activity_ids.get((pid, key))
                value = counts.get((pid, tag, aid), 0) if aid else 0
                rows_filters["activity__id__exact"] = aid or 0
            out[(pid, param)] = Figure(value, rows_model=model, rows_filters=rows_filters)
    return out


# ---------------------------------------------------------------- outreach


def meeting_counts(ids):
    """{name: {(pid,): value}} of the programmes' outreach meetings, in one query (once
    for a batch): "n" held, "participants" summed, "protocol" with minutes,
    "participant_list" with a participant list."""

    def compute():
        rows = (
            Meeting.objects.filter(program_id__in=ids)
            .values("program_id")
            .annotate(
                n=Count("id"),
                participants=Sum("participants"),
                protocol=Count("id", filter=Q(has_protocol=True)),
                participant_list=Count("id", filter=Q(has_participant_list=True)),
            )
            .order_by()
        )
        names = ("n", "participants", "protocol", "participant_list")
        return {name: {(row["program_id"],): row[name] or 0 for row in rows} for name in names}

    return _shared(("meetings", tuple(ids)), compute)


@metric("meetings", _("outreach meetings held"))
def meetings(ids, params):
    return _program_figures(ids, params, meeting_counts(ids)["n"], "birgemiz.meeting")


@metric("meeting_participants", _("participants of outreach meetings"))
def meeting_participants(ids, params):
    return _program_figures(ids, params, meeting_counts(ids)["participants"], "birgemiz.meeting")


@metric("meetings_with_protocol", _("outreach meetings with minutes"))
def meetings_with_protocol(ids, params):
    per = meeting_counts(ids)["protocol"]
    return _program_figures(ids, params, per, "birgemiz.meeting", has_protocol__exact=1)


@metric("meetings_with_participant_list", _("outreach meetings with a participant list"))
def meetings_with_participant_list(ids, params):
    per = meeting_counts(ids)["participant_list"]
    return _program_figures(ids, params, per, "birgemiz.meeting", has_participant_list__exact=1)


def _evidence(ids, wanted):
    qs = Evidence.objects.filter(program_id__in=ids, kind__in={kind for kind, _key in wanted.values()})
    counts = _grouped(qs, Count("id"), "program_id", "kind", "activity_id")
    return _per_activity(
        ids,
        wanted,
        counts,
        "birgemiz.evidence",
        lambda pid, kind: {"program__id__exact": pid, "kind__exact": kind},
    )


@metric("evidence", _("evidence files of a kind attached to an activity"), "kind@task.activity")
def evidence(ids, params):
    return _evidence(ids, _activity_params(params, lambda p: p.partition("@")[::2]))


@metric("photos", _("photos attached to an activity"), "task.activity")
def photos(ids, params):
    return _evidence(ids, _activity_params(params, lambda p: ("photo", p)))


def _publications(ids, params, grouped, **filters):
    """Figures over {(pid, activity id): value}, the programme's or an activity's."""
    wanted = _activity_params(params, lambda p: ("", p))
    counts = {(pid, "", aid): v for (pid, aid), v in grouped.items()}
    return _per_activity(
        ids, wanted, counts, "birgemiz.publication", lambda pid, _tag: {"program__id__exact": pid, **filters}
    )


# What the information-work table lists and counts a month: banners and videos have plans of their own.
MEDIA_KINDS = frozenset({Publication.Kind.POST, Publication.Kind.NEWSPAPER, Publication.Kind.INTERVIEW})


@metric(
    "publications",
    _("media publications: posts, articles and interviews (neither banners nor videos)"),
    "optional task.activity",
)
def publications(ids, params):
    qs = Publication.objects.filter(program_id__in=ids, kind__in=MEDIA_KINDS)
    kinds = ",".join(sorted(MEDIA_KINDS))
    grouped = _grouped(qs, Count("id"), "program_id", "activity_id")
    return _publications(ids, params, grouped, kind__in=kinds)


def _videos(ids):
    """{name: {(pid, activity id): value}} of the videos published, in one query (once for
    a batch): "n" of them, "views" summed."""

    def compute():
        rows = (
            Publication.objects.filter(program_id__in=ids, kind=Publication.Kind.VIDEO)
            .values("program_id", "activity_id")
            .annotate(n=Count("id"), views=Sum("views"))
            .order_by()
        )
        names = ("n", "views")
        return {name: {(r["program_id"], r["activity_id"]): r[name] or 0 for r in rows} for name in names}

    return _shared(("videos", tuple(ids)), compute)


@metric("videos", _("videos published"), "optional task.activity")
def videos(ids, params):
    return _publications(ids, params, _videos(ids)["n"], kind__exact=Publication.Kind.VIDEO)


@metric("video_views", _("sum of video views"), "optional task.activity")
def video_views(ids, params):
    return _publications(ids, params, _videos(ids)["views"], kind__exact=Publication.Kind.VIDEO)


@metric("partners", _("partners of the programme"))
def partners(ids, params):
    return _program_count(ids, params, Partner.objects.filter(program_id__in=ids), "birgemiz.partner")


# ---------------------------------------------------------------- survey and council


@metric("survey_responses", _("survey responses"))
def survey_responses(ids, params):
    qs = SurveyResponse.objects.filter(survey__program_id__in=ids)
    return _program_count(ids, params, qs, "surveys.surveyresponse", field="survey__program")


@metric("council_members", _("expert council members"))
def council_members(ids, params):
    qs = CouncilMember.objects.filter(program_id__in=ids)
    return _program_count(ids, params, qs, "volunteers.councilmember")


@metric("council_meetings", _("expert council meetings"))
def council_meetings(ids, params):
    qs = CouncilMeeting.objects.filter(program_id__in=ids)
    return _program_count(ids, params, qs, "volunteers.councilmeeting")


# ---------------------------------------------------------------- volunteers and students


def _volunteers(ids, params):
    """{(pid, param): volunteers not withdrawn}, all of them for "" or a track's."""
    qs = Volunteer.objects.filter(program_id__in=ids).exclude(status=Volunteer.Status.WITHDRAWN)
    return _track_totals(_grouped(qs, Count("id"), "program_id", "track__code"), params)


def _enrolled(ids):
    return Enrollment.objects.filter(group__program_id__in=ids).exclude(status=Enrollment.Status.DROPPED)


def _students(ids, params, only=None):
    """{(pid, param): distinct students with an enrollment that is not dropped}, in every
    track for "" or in the track of that code; `only` narrows the enrollments."""
    qs = _enrolled(ids)
    if only is not None:
        qs = qs.filter(only)
    value = Count("student", distinct=True)
    out = {}
    if "" in params:
        out.update({(pid, ""): v for (pid,), v in _grouped(qs, value, "group__program_id").items()})
    tracks = params - {""}
    if tracks:
        qs = qs.filter(group__track__code__in=tracks)
        out.update(_grouped(qs, value, "group__program_id", "group__track__code"))
    return out


@metric("volunteers", _("volunteers (in a track)"), "optional track code")
def volunteers(ids, params):
    return _figures(ids, params, _volunteers(ids, params), "volunteers.volunteer", _track_rows("track__code"))


@metric("students", _("students enrolled (in a track)"), "optional track code")
def students(ids, params):
    filters = _track_rows("enrollments__group__track__code")
    return _figures(ids, params, _students(ids, params), "courses.student", filters)


@metric("low_income_students", _("enrolled students from low-income families"))
def low_income_students(ids, params):
    counts = _students(ids, params, Q(student__low_income=True))

    def filters(pid, _param):
        return {"program__id__exact": pid, "low_income__exact": 1}

    return _figures(ids, params, counts, "courses.student", filters)


@metric("direct_beneficiaries", _("direct beneficiaries, of whom from low-income families"))
def direct_beneficiaries(ids, params):
    rows = (
        _enrolled(ids)
        .values("group__program_id")
        .annotate(
            total=Count("student", distinct=True),
            low=Count("student", distinct=True, filter=Q(student__low_income=True)),
        )
        .order_by()
    )
    found = {row["group__program_id"]: row for row in rows}
    out = {}
    for pid in ids:
        counts = {key: found.get(pid, {}).get(key, 0) for key in ("total", "low")}
        figure = Figure(
            counts["total"],
            display=_("%(total)s, of whom %(low)s from low-income families") % counts,
            parts={"low": counts["low"]},
            rows_model="courses.student",
            rows_filters={"program__id__exact": pid},
        )
        out.update({(pid, p): figure for p in params})
    return out


@metric("track_participants", _("volunteers / students of a track"), "track code")
def track_participants(ids, params):
    v, s = _volunteers(ids, params), _students(ids, params)
    filters = _track_rows("group__track__code", "group__program__id__exact", optional=False)
    figures = _figures(ids, params, s, "courses.enrollment", filters)
    for (pid, p), figure in figures.items():
        figure.display = f"{v.get((pid, p), 0)} / {figure.value}"
    return figures


@metric("students_and_volunteers", _("students / volunteers of the programme"))
def students_and_volunteers(ids, params):
    s, v = _students(ids, {""}), _volunteers(ids, {""})
    figures = _figures(ids, {""}, s, "courses.student", lambda pid, _p: {"program__id__exact": pid})
    for (pid, _p), figure in figures.items():
        figure.display = f"{figure.value} / {v.get((pid, ''), 0)}"
    return {(pid, p): figures[(pid, "")] for pid in ids for p in params}


@metric("attendance_journals", _("attendance journals (course groups) of a track"), "track code")
def attendance_journals(ids, params):
    qs = CourseGroup.objects.filter(program_id__in=ids, track__code__in=params)
    counts = _grouped(qs, Count("id"), "program_id", "track__code")
    return _figures(ids, params, counts, "courses.coursegroup", _track_rows("track__code", optional=False))


@metric(
    "test_measurements",
    _("knowledge measurements: distinct (subject, pre/post) pairs tested in a track"),
    "track code",
)
def test_measurements(ids, params):
    pairs = (
        TestResult.objects.filter(program_id__in=ids, track__code__in=params, student__isnull=False)
        .values_list("program_id", "track__code", "student__enrollments__group__subject_id", "kind")
        .order_by()  # the model's ordering (…, id) would make DISTINCT keep every row
        .distinct()
    )
    counts = defaultdict(int)
    for pid, code, _subject, _kind in set(pairs):
        counts[(pid, code)] += 1
    filters = _track_rows("track__code", optional=False)
    return _figures(ids, params, counts, "assessments.testresult", filters)


def _lessons(ids, params, value):
    qs = Lesson.objects.filter(group__program_id__in=ids, status=Lesson.Status.CONFIRMED)
    counts = _track_totals(_grouped(qs, value, "group__program_id", "group__track__code"), params)
    return counts, _track_rows("group__track__code", "group__program__id__exact", status__exact="confirmed")


@metric("confirmed_lessons", _("confirmed lessons (in a track)"), "optional track code")
def confirmed_lessons(ids, params):
    counts, filters = _lessons(ids, params, Count("id"))
    return _figures(ids, params, counts, "courses.lesson", filters)


@metric("confirmed_hours", _("confirmed lesson hours (in a track)"), "optional track code")
def confirmed_hours(ids, params):
    counts, filters = _lessons(ids, params, Sum("hours"))
    return _figures(ids, params, counts, "courses.lesson", filters, zero=Decimal("0"))


@metric("awarded_volunteers", _("volunteers awarded"))
def awarded_volunteers(ids, params):
    qs = Award.objects.filter(program_id__in=ids)
    return _program_count(ids, params, qs, "volunteers.award", Count("volunteer", distinct=True))
