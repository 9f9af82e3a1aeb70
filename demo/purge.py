"""Removing a generated programme: the demo's on `load_demo --reset`, a synthetic one
before `generate_programs` writes it again."""

from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import ProtectedError, RestrictedError

from assessments.models import ContestEntry, QuizAttempt, ScoreConflict, TestResult, UntOutcome
from birgemiz.audit import AUDITED, record_deleted_rows
from birgemiz.models import Evidence, Indicator, Program, SocioEconomicIndicator
from courses.models import Attendance, CourseGroup, Enrollment, Lesson, Student
from surveys.models import Answer, Choice, Question, Survey, SurveyResponse
from volunteers.models import (
    ActivationToken,
    ApplicationScore,
    Award,
    Certificate,
    CouncilMeeting,
    Trainer,
    TrainingEvent,
    Volunteer,
    VolunteerApplication,
)


def _tables(program):
    """The programme's big tables, children before parents."""
    return [
        ScoreConflict.objects.filter(program=program),
        QuizAttempt.objects.filter(program=program),
        ActivationToken.objects.filter(volunteer__program=program),
        Attendance.objects.filter(lesson__group__program=program),
        Answer.objects.filter(response__survey__program=program),
        ApplicationScore.objects.filter(application__program=program),
        UntOutcome.objects.filter(student__program=program),
        ContestEntry.objects.filter(contest__program=program),
        Enrollment.objects.filter(group__program=program),
        TestResult.objects.filter(program=program),
        Lesson.objects.filter(group__program=program),
        SurveyResponse.objects.filter(survey__program=program),
        Choice.objects.filter(question__survey__program=program),
        Question.objects.filter(survey__program=program),
        Survey.objects.filter(program=program),
        CourseGroup.objects.filter(program=program),
        VolunteerApplication.objects.filter(program=program),
        TrainingEvent.attendees.through.objects.filter(trainingevent__program=program),
        TrainingEvent.objects.filter(program=program),
        Trainer.tracks.through.objects.filter(trainer__program=program),
        Trainer.objects.filter(program=program),
        Certificate.objects.filter(program=program),
        Award.objects.filter(program=program),
        Volunteer.objects.filter(program=program),
        Student.objects.filter(program=program),
        Evidence.objects.filter(program=program),
        Indicator.objects.filter(activity__task__program=program),
        SocioEconomicIndicator.objects.filter(program=program),
    ]


def program_purge(program):
    """Delete a programme and everything under it; return the names of its files, for the
    caller to remove once the deletion is committed (`delete_files`).

    The big tables go by plain SQL deletes where nothing else points at them: the ORM's
    cascade would load and audit every generated row one by one. A table that some other
    row may still reference goes through the ORM instead, and records other features
    attached to the programme (issued reports, online tests) go too.
    """
    names = [n for n in Evidence.objects.filter(program=program).values_list("file", flat=True) if n]
    names += [
        n for n in CouncilMeeting.objects.filter(program=program).values_list("minutes", flat=True) if n
    ]
    with transaction.atomic():
        gone = set()
        for qs in _tables(program):
            if _referrers(qs.model) <= gone:
                _sql_delete(qs, program.pk)
            else:
                _delete(qs)
            gone.add(qs.model)
        _delete(Program.objects.filter(pk=program.pk))
    return names


def _sql_delete(qs, program_id, chunk=1000):
    """Delete `qs`'s rows without loading them as instances or sending signals: plain
    DELETEs by primary key, a chunk at a time. An audited model's rows are written to the
    audit trail first, in bulk, with the values they held (what the signals would write)."""
    model = qs.model
    connection = connections[qs.db]
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    with connection.cursor() as cursor:
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            if model in AUDITED:
                _record_deleted(model, program_id, part)
            cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({', '.join(['%s'] * len(part))})", part)


def _record_deleted(model, program_id, ids):
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in ("created_at", "updated_at")]
    record_deleted_rows(model, program_id, model._base_manager.filter(pk__in=ids).values("pk", *fields))


def delete_files(names):
    for name in names:
        default_storage.delete(name)


def _referrers(model):
    """Models whose rows can point at rows of `model` (through tables for many-to-many)."""
    found = {rel.through if rel.many_to_many else rel.related_model for rel in model._meta.related_objects}
    found |= {field.remote_field.through for field in model._meta.many_to_many}
    return found


def _delete(qs, depth=0):
    """`qs.delete()`, first deleting whatever PROTECT / RESTRICT keys keep it."""
    while True:
        try:
            with transaction.atomic():
                return qs.delete()
        except (ProtectedError, RestrictedError) as exc:
            if depth > 5:
                raise
            blockers = getattr(exc, "protected_objects", None) or exc.restricted_objects
            by_model = {}
            for obj in blockers:
                by_model.setdefault(type(obj), []).append(obj.pk)
            for model, pks in by_model.items():
                _delete(model._base_manager.filter(pk__in=pks), depth + 1)
