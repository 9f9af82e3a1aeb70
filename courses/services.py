"""The one write path for students, enrollments, lessons and attendance.

The admin, the volunteer portal, the importer and the demo loader call these, so
each rule (lesson date within the programme, half-hour steps, group capacity,
only pending lessons are editable) is enforced in one place.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz.audit import batched, record_bulk
from birgemiz.numbers import show_number
from birgemiz.services import clean_and_save, require

from .models import Attendance, Enrollment, Lesson, Student

# What a volunteer may change on a lesson; status and review fields move only by confirm/reject.
EDITABLE_LESSON_FIELDS = {"date", "hours", "topic", "platform", "notes"}


def student_save(*, student: Student) -> Student:
    """Create or update a student after full validation."""
    with transaction.atomic():
        return clean_and_save(student)


def enrollment_create(*, group, student, enrolled_on=None, check_capacity=True) -> Enrollment:
    require(
        student.program_id == group.program_id,
        "student",
        _("The student belongs to another programme."),
    )
    with transaction.atomic():
        if check_capacity:
            validate_enrollment_capacity(
                group=group, taken=group.enrollments.exclude(status=Enrollment.Status.DROPPED).count()
            )
        enrollment = Enrollment(group=group, student=student, enrolled_on=enrolled_on)
        return clean_and_save(enrollment)


def validate_enrollment_capacity(*, group, taken):
    """The capacity rule of a group whose `taken` seats are filled (a form, an import)."""
    require(
        taken < group.capacity,
        "group",
        _("Group «%(group)s» is full (%(capacity)s): raise its capacity or choose another group.")
        % {"group": group.name, "capacity": group.capacity},
        code="capacity",
    )


def validate_lesson_fields(*, program, date, hours, today=None):
    """The lesson rules a form or an import checks before anything is written."""
    errors = {}
    today = today or timezone.localdate()
    if date is not None:
        if date < program.start or date > program.end:
            errors["date"] = _("The date must be within the programme (%(start)s – %(end)s).") % {
                "start": program.start.strftime("%d.%m.%Y"),
                "end": program.end.strftime("%d.%m.%Y"),
            }
        elif date > today:
            errors["date"] = _("A lesson cannot be logged for a future date.")
    if hours is not None:
        hours = Decimal(hours)
        if hours < Decimal("0.5") or hours > Decimal("8"):
            errors["hours"] = _("Hours must be between 0.5 and 8.")
        elif (hours * 2) != (hours * 2).to_integral_value():
            errors["hours"] = _("Hours go in half-hour steps (0.5, 1, 1.5, …).")
    if errors:
        raise ValidationError(errors)


def _enrolled_ids(group):
    return set(
        group.enrollments.exclude(status=Enrollment.Status.DROPPED).values_list("student_id", flat=True)
    )


def _write_attendance(lesson, present_ids):
    """The lesson's roll in a fixed number of queries, whatever the group's size: one
    read of the roster and of the rows, one insert of the new rows, one update of the
    changed ones, each with its audit entries in one insert.

    Only the group's own (not dropped) students get a row: ids posted for anyone else
    are ignored."""
    students = {
        s.pk: s
        for s in Student.objects.filter(enrollments__group=lesson.group)
        .exclude(enrollments__status=Enrollment.Status.DROPPED)
        .only("pk", "last_name", "first_name", "middle_name")
    }
    existing = {a.student_id: a for a in lesson.attendance.all()}
    created, changed = [], []
    for student_id in sorted(students):
        present = student_id in present_ids
        row = existing.get(student_id)
        if row is None:
            created.append(
                Attendance(lesson=lesson, student=students[student_id], present=present)
            )
        elif row.present != present:
            row.present = present
            row.student = students[student_id]
            changed.append(row)
    program_id = lesson.group.program_id
    if created:
        Attendance.objects.bulk_create(created, batch_size=500)
        record_bulk(
            Attendance,
            program_id,
            "create",
            created,
            changes=[
                {k: [None, getattr(a, k)] for k in ("lesson_id", "student_id", "present")}
                for a in created
            ],
        )
    if changed:
        Attendance.objects.bulk_update(changed, ["present"], batch_size=500)
        record_bulk(
            Attendance,
            program_id,
            "update",
            changed,
            changes=[{"present": [not a.present, a.present]} for a in changed],
        )


def lesson_duplicates(*, group, date, hours, exclude_pk=None):
    """Lessons of the group already logged for that day with the same hours (a rejected
    one does not count: it is being corrected, not given again)."""
    same = Lesson.objects.filter(group=group, date=date, hours=hours).exclude(status=Lesson.Status.REJECTED)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same


def _refuse_duplicate(*, group, date, hours, exclude_pk=None):
    if date is None or hours is None:
        return
    if lesson_duplicates(group=group, date=date, hours=hours, exclude_pk=exclude_pk).exists():
        raise ValidationError(
            _(
                "A lesson of this group on %(date)s with %(hours)s h is already logged. If this is "
                "another lesson on the same day, tick «Another lesson on the same day» and save again."
            )
            % {"date": date.strftime("%d.%m.%Y"), "hours": show_number(Decimal(hours))},
            code="duplicate",
        )


def lesson_log(
    *,
    group,
    user,
    date,
    hours,
    topic,
    platform,
    notes="",
    present_ids=None,
    today=None,
    same_day_again=False,
):
    """Log a lesson with its attendance; all enrolled students present unless listed.

    The same group, day and hours twice is refused (a double submit, or the same lesson
    logged again) unless the volunteer says it is another lesson that day; the
    coordinator's list flags such lessons."""
    validate_lesson_fields(program=group.program, date=date, hours=hours, today=today)
    with transaction.atomic():
        # The group's row lock makes two simultaneous submits wait for each other here.
        type(group).objects.select_for_update().filter(pk=group.pk).first()
        if not same_day_again:
            _refuse_duplicate(group=group, date=date, hours=hours)
        lesson = Lesson(
            group=group,
            date=date,
            hours=hours,
            topic=topic,
            platform=platform,
            notes=notes,
            logged_by=user,
        )
        clean_and_save(lesson)
        if present_ids is None:
            present_ids = _enrolled_ids(group)
        _write_attendance(lesson, set(present_ids))
    return lesson


def lesson_update(*, lesson, user, present_ids=None, today=None, same_day_again=False, **fields):
    """Change a lesson that is not confirmed yet.

    A rejected lesson that is corrected goes back to the coordinator as pending; its
    reason stays on the record so the coordinator sees what was wrong before.
    """
    if lesson.status == Lesson.Status.CONFIRMED:
        raise ValidationError(
            _("A confirmed lesson cannot be changed. Ask your coordinator."), code="confirmed"
        )
    unknown = set(fields) - EDITABLE_LESSON_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(lesson, name, value)
    validate_lesson_fields(
        program=lesson.group.program, date=lesson.date, hours=lesson.hours, today=today
    )
    if not same_day_again and {"date", "hours"} & set(fields):
        _refuse_duplicate(group=lesson.group, date=lesson.date, hours=lesson.hours, exclude_pk=lesson.pk)
    if lesson.status == Lesson.Status.REJECTED:
        lesson.status = Lesson.Status.PENDING
        lesson.reviewed_by = None
        lesson.reviewed_at = None
    with transaction.atomic():
        clean_and_save(lesson)
        if present_ids is not None:
            _write_attendance(lesson, set(present_ids))
    return lesson


def lesson_delete(*, lesson, user):
    """A volunteer takes back a lesson not confirmed yet (logged twice, or by mistake)."""
    if lesson.status == Lesson.Status.CONFIRMED:
        raise ValidationError(
            _("A confirmed lesson cannot be deleted. Ask your coordinator."), code="confirmed"
        )
    with transaction.atomic(), batched():
        lesson.attendance.all().delete()
        lesson.delete()


def lesson_confirm(*, lesson, user):
    """Count a lesson towards hours and the report; confirming twice changes nothing."""
    if lesson.status == Lesson.Status.CONFIRMED:
        return lesson
    lesson.status = Lesson.Status.CONFIRMED
    lesson.reject_reason = ""
    lesson.reviewed_by = user
    lesson.reviewed_at = timezone.now()
    with transaction.atomic():
        return clean_and_save(lesson)


def lesson_reject(*, lesson, user, reason):
    reason = (reason or "").strip()
    require(bool(reason), "reject_reason", _("Give a reason for the rejection."), code="required")
    lesson.status = Lesson.Status.REJECTED
    lesson.reject_reason = reason
    lesson.reviewed_by = user
    lesson.reviewed_at = timezone.now()
    with transaction.atomic():
        return clean_and_save(lesson)
