"""Every named metric (`reporting.metrics`) computed for MANY programmes at once.

The dashboard judges every indicator row of every programme (met / missed). An
indicator's fact may come from a metric, and `metrics.compute(program, name, param)`
costs one or two queries per call: over 20 programmes × 90 indicators that would be
thousands of queries. Here each metric family is one grouped query (GROUP BY
programme and parameter) for all the programmes together, so the dashboard's query
count depends on how many metric *families* are in use (at most the size of the
registry), never on how many programmes there are.

Values must equal what `metrics.compute` gives for one programme; a test checks both
on the same data, and a test fails when a metric is registered without a batch here.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum

from assessments.models import TestResult
from birgemiz.models import Evidence, Meeting, Partner, Publication
from courses.models import CourseGroup, Enrollment, Lesson
from surveys.models import SurveyResponse
from volunteers.models import Award, CouncilMeeting, CouncilMember, Volunteer

BATCHES = {}


def batch(*names):
    def register(fn):
        for name in names:
            BATCHES[name] = fn
        return fn

    return register


def _activity_key(task_no, act_no):
    return f"{task_no}.{act_no}" if task_no is not None and act_no is not None else ""


def _per_program(qs, field="program_id", value=None):
    value = value or Count("id")
    return {row[field]: row["v"] or 0 for row in qs.values(field).annotate(v=value).order_by()}


def _simple(name, params, per_program):
    return {(pid, p): per_program.get(pid, 0) for pid in per_program for p in params}


def compute_many(name, program_ids, params):
    """{(program_id, param): value} for one metric; missing keys mean 0."""
    fn = BATCHES.get(name)
    if fn is None:
        raise KeyError(name)
    return fn(name, program_ids, set(params))


@batch("meetings", "meeting_participants", "meetings_with_protocol", "meetings_with_participant_list")
def _meetings(name, ids, params):
    qs = Meeting.objects.filter(program_id__in=ids)
    if name == "meetings_with_protocol":
        qs = qs.filter(has_protocol=True)
    elif name == "meetings_with_participant_list":
        qs = qs.filter(has_participant_list=True)
    value = Sum("participants") if name == "meeting_participants" else Count("id")
    return _simple(name, params, _per_program(qs, value=value))


@batch("evidence", "photos")
def _evidence(name, ids, params):
    rows = (
        Evidence.objects.filter(program_id__in=ids)
        .values("program_id", "kind", "activity__task__number", "activity__number")
        .annotate(v=Count("id"))
        .order_by()
    )
    out = defaultdict(int)
    wanted = {}
    for param in params:
        kind, _sep, key = (f"photo@{param}" if name == "photos" else param).partition("@")
        wanted[param] = (kind, key)
    for row in rows:
        key = _activity_key(row["activity__task__number"], row["activity__number"])
        for param, (kind, want_key) in wanted.items():
            if row["kind"] == kind and (not want_key or want_key == key):
                out[(row["program_id"], param)] += row["v"]
    return dict(out)


@batch("publications", "videos", "video_views")
def _publications(name, ids, params):
    qs = Publication.objects.filter(program_id__in=ids)
    if name == "publications":
        qs = qs.exclude(kind=Publication.Kind.BANNER)
    else:
        qs = qs.filter(kind=Publication.Kind.VIDEO)
    value = Sum("views") if name == "video_views" else Count("id")
    rows = (
        qs.values("program_id", "activity__task__number", "activity__number")
        .annotate(v=value)
        .order_by()
    )
    out = defaultdict(int)
    for row in rows:
        key = _activity_key(row["activity__task__number"], row["activity__number"])
        for param in params:
            if not param or param == key:
                out[(row["program_id"], param)] += row["v"] or 0
    return dict(out)


@batch("partners", "council_members", "council_meetings", "survey_responses", "awarded_volunteers")
def _counts(name, ids, params):
    if name == "partners":
        per = _per_program(Partner.objects.filter(program_id__in=ids))
    elif name == "council_members":
        per = _per_program(CouncilMember.objects.filter(program_id__in=ids))
    elif name == "council_meetings":
        per = _per_program(CouncilMeeting.objects.filter(program_id__in=ids))
    elif name == "awarded_volunteers":
        per = _per_program(
            Award.objects.filter(program_id__in=ids), value=Count("volunteer", distinct=True)
        )
    else:
        per = _per_program(
            SurveyResponse.objects.filter(survey__program_id__in=ids), field="survey__program_id"
        )
    return _simple(name, params, per)


@batch("volunteers")
def _volunteers(name, ids, params):
    rows = (
        Volunteer.objects.filter(program_id__in=ids)
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .values("program_id", "track__code")
        .annotate(v=Count("id"))
        .order_by()
    )
    out = defaultdict(int)
    for row in rows:
        for param in params:
            if not param or param == row["track__code"]:
                out[(row["program_id"], param)] += row["v"]
    return dict(out)


def _enrolled(ids):
    return Enrollment.objects.filter(group__program_id__in=ids).exclude(status=Enrollment.Status.DROPPED)


def _students_by(ids, params, extra=None):
    """Distinct enrolled students per programme (all tracks) and per (programme, track)."""
    qs = _enrolled(ids)
    if extra is not None:
        qs = qs.filter(extra)
    out = {}
    if "" in params:
        for row in qs.values("group__program_id").annotate(v=Count("student", distinct=True)).order_by():
            out[(row["group__program_id"], "")] = row["v"]
    tracks = params - {""}
    if tracks:
        for row in (
            qs.filter(group__track__code__in=tracks)
            .values("group__program_id", "group__track__code")
            .annotate(v=Count("student", distinct=True))
            .order_by()
        ):
            out[(row["group__program_id"], row["group__track__code"])] = row["v"]
    return out


@batch("students", "track_participants")
def _students(name, ids, params):
    return _students_by(ids, params)


@batch("direct_beneficiaries", "students_and_volunteers")
def _all_students(name, ids, params):
    totals = _students_by(ids, {""})
    return {(pid, p): v for (pid, _), v in totals.items() for p in params}


@batch("low_income_students")
def _low_income(name, ids, params):
    return _students_by(ids, params, Q(student__low_income=True))


@batch("attendance_journals")
def _journals(name, ids, params):
    rows = (
        CourseGroup.objects.filter(program_id__in=ids, track__code__in=params)
        .values("program_id", "track__code")
        .annotate(v=Count("id"))
        .order_by()
    )
    return {(r["program_id"], r["track__code"]): r["v"] for r in rows}


@batch("test_measurements")
def _measurements(name, ids, params):
    pairs = (
        TestResult.objects.filter(program_id__in=ids, track__code__in=params, student__isnull=False)
        .values_list("program_id", "track__code", "student__enrollments__group__subject_id", "kind")
        .order_by()  # the model's ordering (…, id) would make DISTINCT keep every row
        .distinct()
    )
    out = defaultdict(int)
    for pid, code, _subject, _kind in set(pairs):
        out[(pid, code)] += 1
    return dict(out)


@batch("confirmed_lessons", "confirmed_hours")
def _lessons(name, ids, params):
    qs = Lesson.objects.filter(group__program_id__in=ids, status=Lesson.Status.CONFIRMED)
    value = Sum("hours") if name == "confirmed_hours" else Count("id")
    rows = qs.values("group__program_id", "group__track__code").annotate(v=value).order_by()
    out = defaultdict(lambda: Decimal(0) if name == "confirmed_hours" else 0)
    for row in rows:
        for param in params:
            if not param or param == row["group__track__code"]:
                out[(row["group__program_id"], param)] += row["v"] or 0
    return dict(out)
