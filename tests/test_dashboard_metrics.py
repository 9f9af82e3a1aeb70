"""Named metrics are written once, batched over many programmes (the dashboard); one
programme (the report) is a batch of one. A batch over several programmes gives each
programme what it gives alone, and both give what the rows counted one programme at a
time with the ORM give."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from assessments.models import TestResult
from birgemiz.metric_registry import REGISTRY
from birgemiz.models import Activity, Evidence, Meeting, Partner, Program, Publication
from courses.models import CourseGroup, Enrollment, Lesson, Student
from reporting import metrics
from reporting.metrics import compute, compute_many
from surveys.models import SurveyResponse
from volunteers.models import Award, CouncilMeeting, CouncilMember, Volunteer

pytestmark = pytest.mark.django_db

PARAMS = ["", "english", "unt", "olympiad", "1.1", "1.4", "7.1", "9.9", " 1.1 "]
PARAMS += ["photo@1.1", "photo", "photo@", "1.x", "photo@x"]


@pytest.fixture
def programs():
    call_command("generate_programs", regions=2, scale=0.05, stdout=open("/dev/null", "w"))
    programs = list(Program.objects.order_by("code"))
    # Evidence is not generated, nor media tied to an activity; add some so the metrics
    # of an activity count something, differently in each programme. A withdrawn
    # volunteer and a dropped student must not count, nor a meeting without minutes.
    for n, program in enumerate(programs):
        withdrawn = Volunteer.objects.filter(program=program).order_by("pk")[:1].values("pk")
        Volunteer.objects.filter(pk__in=withdrawn).update(status=Volunteer.Status.WITHDRAWN)
        dropped = Enrollment.objects.filter(group__program=program).order_by("pk")[: n + 1].values("pk")
        Enrollment.objects.filter(pk__in=dropped).update(status=Enrollment.Status.DROPPED)
        for i in range(n + 1):  # meetings without minutes or a participant list
            Meeting.objects.create(
                program=program, date=program.start, place="Орал", participants=5 + i, has_protocol=bool(i),
                has_participant_list=not i,
            )
        activity = Activity.objects.get(task__program=program, task__number=1, number=1)
        for i in range(n + 2):
            Evidence.objects.create(
                program=program, activity=activity if i else None, kind="photo", title=f"photo {i}",
                file="evidence/x.jpg",
            )
            Publication.objects.create(
                program=program, activity=activity, kind=Publication.Kind.VIDEO, title=f"video {i}",
                views=10 * i,
            )
    return programs


# ---------------------------------------------------------------- rows counted one programme at a time


class NotTaken(Exception):
    """The metric does not take this parameter."""


def _of_activity(qs, program, key):
    if not key:
        return qs
    try:
        task_no, act_no = (int(p) for p in key.split("."))
    except ValueError:
        raise NotTaken from None
    activity = Activity.objects.filter(task__program=program, task__number=task_no, number=act_no).first()
    return qs.filter(activity=activity) if activity else qs.none()


def _evidence(program, param):
    kind, _sep, key = param.partition("@")
    return _of_activity(Evidence.objects.filter(program=program, kind=kind), program, key).count()


def _videos(program, param):
    qs = Publication.objects.filter(program=program, kind=Publication.Kind.VIDEO)
    return _of_activity(qs, program, param)


def _volunteers(program, track=""):
    qs = Volunteer.objects.filter(program=program).exclude(status=Volunteer.Status.WITHDRAWN)
    return (qs.filter(track__code=track) if track else qs).count()


def _students(program, track="", **filters):
    enrolled = Enrollment.objects.filter(group__program=program).exclude(status=Enrollment.Status.DROPPED)
    if track:
        enrolled = enrolled.filter(group__track__code=track)
    return Student.objects.filter(program=program, id__in=enrolled.values("student_id"), **filters).count()


def _lessons(program, track):
    qs = Lesson.objects.filter(group__program=program, status=Lesson.Status.CONFIRMED)
    return qs.filter(group__track__code=track) if track else qs


def _total(qs, name):
    return qs.aggregate(s=Sum(name))["s"] or 0


COUNTED = {
    "meetings": lambda p, _: Meeting.objects.filter(program=p).count(),
    "meeting_participants": lambda p, _: _total(Meeting.objects.filter(program=p), "participants"),
    "meetings_with_protocol": lambda p, _: Meeting.objects.filter(program=p, has_protocol=True).count(),
    "meetings_with_participant_list": (
        lambda p, _: Meeting.objects.filter(program=p, has_participant_list=True).count()
    ),
    "evidence": _evidence,
    "photos": lambda p, param: _evidence(p, f"photo@{param}"),
    "publications": lambda p, param: _of_activity(
        Publication.objects.filter(program=p, kind__in=["post", "newspaper", "interview"]), p, param
    ).count(),
    "videos": lambda p, param: _videos(p, param).count(),
    "video_views": lambda p, param: _total(_videos(p, param), "views"),
    "partners": lambda p, _: Partner.objects.filter(program=p).count(),
    "survey_responses": lambda p, _: SurveyResponse.objects.filter(survey__program=p).count(),
    "council_members": lambda p, _: CouncilMember.objects.filter(program=p).count(),
    "council_meetings": lambda p, _: CouncilMeeting.objects.filter(program=p).count(),
    "volunteers": _volunteers,
    "students": _students,
    "low_income_students": lambda p, param: _students(p, param, low_income=True),
    "direct_beneficiaries": lambda p, _: _students(p),
    "track_participants": _students,
    "students_and_volunteers": lambda p, _: _students(p),
    "attendance_journals": lambda p, param: CourseGroup.objects.filter(program=p, track__code=param).count(),
    "test_measurements": lambda p, param: len(
        set(
            TestResult.objects.filter(program=p, track__code=param, student__isnull=False).values_list(
                "student__enrollments__group__subject_id", "kind"
            )
        )
    ),
    "confirmed_lessons": lambda p, param: _lessons(p, param).count(),
    "confirmed_hours": lambda p, param: _total(_lessons(p, param), "hours") or Decimal("0"),
    "awarded_volunteers": lambda p, _: Award.objects.filter(program=p).values("volunteer").distinct().count(),
}

# Metrics whose link lists exactly the rows they count.
LINKED_ROWS = (
    "meetings",
    "meetings_with_protocol",
    "meetings_with_participant_list",
    "evidence",
    "photos",
    "videos",
    "partners",
    "survey_responses",
    "council_members",
    "council_meetings",
    "attendance_journals",
    "confirmed_lessons",
)


def test_every_registered_metric_is_counted_here():
    assert set(COUNTED) == set(REGISTRY)


def test_a_batch_gives_each_programme_what_it_gives_alone(programs):
    ids = [p.pk for p in programs]
    for name in sorted(REGISTRY):
        batch = compute_many(name, ids, PARAMS)
        assert {pid for pid, _param in batch} == set(ids), name
        for program in programs:
            alone = compute_many(name, [program.pk], PARAMS)
            assert {key: batch[key] for key in alone} == alone, (name, program.code)
            assert len(alone) == len({k for k in batch if k[0] == program.pk}), (name, program.code)


def test_batches_give_what_the_rows_counted_one_programme_at_a_time_give(programs):
    ids = [p.pk for p in programs]
    checked = nonzero = 0
    for name in sorted(REGISTRY):
        batch = compute_many(name, ids, PARAMS)
        for program in programs:
            for param in PARAMS:
                key = (program.pk, param.strip())
                try:
                    expected = COUNTED[name](program, param.strip())
                except NotTaken:
                    assert key not in batch, (name, program.code, param)
                    with pytest.raises(metrics.UnknownMetric):
                        compute(program, name, param)
                    continue
                assert batch[key].value == expected, (name, program.code, param)
                assert compute(program, name, param) == batch[key]
                checked += 1
                nonzero += bool(expected)
    assert checked > len(REGISTRY) * len(programs)
    assert nonzero > len(REGISTRY)


def test_a_figure_links_to_the_rows_it_counts(programs):
    program = programs[-1]
    for name in LINKED_ROWS:
        for param in ("", "english", "1.1", "photo@1.1"):
            try:
                figure = compute(program, name, param)
            except metrics.UnknownMetric:
                continue
            model = apps.get_model(figure.rows_model)
            assert model.objects.filter(**figure.rows_filters).count() == figure.value, (name, param)
            assert figure.rows_url.startswith("/admin/")


def test_it_words_the_figures_that_say_more_than_a_number(programs):
    program = programs[0]
    students, volunteers = _students(program, "english"), _volunteers(program, "english")
    assert compute(program, "track_participants", "english").display == f"{volunteers} / {students}"
    everyone = f"{_students(program)} / {_volunteers(program)}"
    assert compute(program, "students_and_volunteers").display == everyone
    beneficiaries = compute(program, "direct_beneficiaries")
    assert beneficiaries.parts == {"low": _students(program, low_income=True)}
    assert str(beneficiaries.value) in beneficiaries.display


def test_it_refuses_an_unknown_metric(programs):
    with pytest.raises(metrics.UnknownMetric):
        compute(programs[0], "no_such_metric")


def test_a_batch_costs_the_same_queries_for_one_programme_or_many(programs):
    ids = [p.pk for p in programs]
    for name in sorted(REGISTRY):
        with CaptureQueriesContext(connection) as one:
            compute_many(name, ids[:1], PARAMS)
        with CaptureQueriesContext(connection) as many:
            compute_many(name, ids, PARAMS)
        assert len(many) == len(one) <= 3, name
