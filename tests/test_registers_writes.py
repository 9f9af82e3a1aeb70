"""The batched path's lean writes (`birgemiz.registers.bulk`: `insert`, `insert_records`,
`audit_rows`, `snapshotter`) write what `bulk_create`, `audit.record_bulk` and
`audit.snapshot` write, and an imported lesson's attendance is audited as the signals
would audit it (issue #18)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from birgemiz.audit import acting_as, record_bulk, snapshot
from birgemiz.models import AuditEntry
from birgemiz.registers.bulk import audit_rows, insert, insert_records, snapshotter
from birgemiz.registers.engine import import_file
from courses.models import Attendance, Lesson, Student
from tests.factories import SchoolFactory

FIELDS = ("user_id", "program_id", "action", "model", "object_id", "object_repr", "changes", "source")


def students(program, school, prefix, n=3):
    return [
        Student(
            program=program,
            code=f"{prefix}{i}",
            last_name=f"Тегі {i}",
            first_name="Аты",
            sex="F",
            grade=9,
            school=school,
            birth_date=datetime.date(2006, 1, 1 + i),
        )
        for i in range(n)
    ]


def stored(student):
    values = snapshot(student)
    for name in ("id", "code"):
        values.pop(name)
    return values


def test_insert_records_writes_what_bulk_create_writes(program):
    school = SchoolFactory()
    lean, plain = students(program, school, "L"), students(program, school, "P")
    insert_records(Student, lean)
    Student.objects.bulk_create(plain)
    for mine, theirs in zip(lean, plain, strict=True):
        assert mine.pk is not None and not mine._state.adding and mine._state.db == "default"
        row = Student.objects.get(pk=mine.pk)
        assert row.code == mine.code  # the keys came back in the rows' order
        assert stored(row) == stored(Student.objects.get(pk=theirs.pk))
        assert row.created_at is not None and row.updated_at is not None


def test_insert_refuses_what_the_database_refuses(program):
    from django.db import IntegrityError, transaction

    school = SchoolFactory()
    insert_records(Student, students(program, school, "S", 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_records(Student, students(program, school, "S", 1))  # the same code again
    assert Student.objects.filter(code="S0").count() == 1


def test_insert_returns_the_keys_beyond_one_statement(program, group):
    lesson = Lesson.objects.create(group=group, date=datetime.date(2020, 6, 1), hours=2, topic="A")
    students = list(Student.objects.filter(enrollments__group=group))
    many = [
        Student(
            program=program,
            code=f"X{i}",
            last_name="Т",
            first_name="А",
            sex="M",
            grade=9,
            school=students[0].school,
        )
        for i in range(1200)
    ]
    insert_records(Student, many)  # more rows than SQLite takes in one statement
    pks = insert(
        Attendance,
        ("lesson_id", "student_id", "present"),
        [(lesson.pk, s.pk, i % 2 == 0) for i, s in enumerate(many)],
        returning=True,
    )
    assert len(pks) == 1200
    assert dict(Attendance.objects.values_list("pk", "student_id")) == {
        pk: s.pk for pk, s in zip(pks, many, strict=True)
    }


def test_audit_rows_write_what_record_bulk_writes(program, coordinator):
    school = SchoolFactory()
    records = students(program, school, "A")
    Student.objects.bulk_create(records)
    changes = [
        {"last_name": [None, s.last_name], "birth_date": [None, f"2006-01-0{i + 1}"]}
        for i, s in enumerate(records)
    ]
    with acting_as(coordinator, "import"):
        record_bulk(Student, program.pk, "create", records, changes=changes)
        audit_rows(
            Student, program.pk, "create", [(s.pk, s, c) for s, c in zip(records, changes, strict=True)]
        )
    entries = list(AuditEntry.objects.filter(model="courses.student").order_by("id").values(*FIELDS))
    assert len(entries) == 6 and entries[:3] == entries[3:]
    assert entries[0]["object_repr"] == "Тегі 0 Аты" and entries[0]["user_id"] == coordinator.pk
    audit_rows(Student, None, "update", [(records[0].pk, "x" * 400, {"grade": [9, 10]})])
    shell = AuditEntry.objects.filter(action="update").get()
    assert (shell.source, shell.user, shell.program, len(shell.object_repr)) == ("shell", None, None, 300)


@pytest.mark.parametrize(
    "hours, stored", [(Decimal("1.50"), "1.5"), ("1.5", "1.5"), (2, "2.0"), (Decimal("2.00"), "2.0")]
)
def test_the_snapshot_keeps_what_the_database_holds(group, hours, stored):
    # A typed 2 or 2.00 is kept as the column's 2.0 before and after saving, dates as ISO text,
    # keys by their ids, and the created/updated times left out.
    lesson = Lesson(group=group, date=datetime.date(2020, 6, 1), hours=hours, topic="A", notes="")
    values = snapshotter(Lesson)(lesson)
    assert (values["hours"], values["date"], values["group_id"]) == (stored, "2020-06-01", group.pk)
    assert "created_at" not in values and "updated_at" not in values
    lesson.save()
    lesson.refresh_from_db()
    assert snapshot(lesson) == {**values, "id": lesson.pk}


def test_an_imported_lessons_attendance_is_audited_as_the_signals_audit_it(program, coordinator, group):
    codes = sorted(group.enrollments.values_list("student__code", flat=True))
    text = "group;date;hours;topic;absent\n" + f"{group.name};01.06.2020;1,5;A;{codes[1]}\n"
    with CaptureQueriesContext(connection):
        report = import_file("lessons", io.BytesIO(text.encode()), "l.csv", program=program, user=coordinator)
    assert report.ok, report.errors
    rows = list(Attendance.objects.filter(lesson__topic="A").select_related("lesson__group", "student"))
    assert len(rows) == 3
    for row in rows:
        entry = AuditEntry.objects.get(model="courses.attendance", object_id=str(row.pk))
        assert entry.object_repr == str(row)[:300]
        assert entry.changes == {
            "lesson_id": [None, row.lesson_id],
            "student_id": [None, row.student_id],
            "present": [None, row.present],
        }
        assert (entry.action, entry.user, entry.program, entry.source) == (
            "create",
            coordinator,
            program,
            "import",
        )
    lesson = Lesson.objects.get(topic="A")
    entry = AuditEntry.objects.get(model="courses.lesson", object_id=str(lesson.pk))
    assert entry.changes == {k: [None, v] for k, v in snapshot(lesson).items() if v not in (None, "")}
    assert entry.changes["hours"] == [None, "1.5"] and entry.object_repr == str(lesson)


def test_audit_rows_keep_tabs_newlines_and_backslashes(program):
    # PostgreSQL takes them by COPY, whose text format escapes these.
    label = "Тегі\tАты\nекінші жол \\ соңы\r"
    changes = {"notes": [None, "бір\tекі\nүш \\N"], "hours": [None, "1.5"], "present": [None, False]}
    audit_rows(Lesson, program.pk, "create", [(7, label, changes), (8, "", {})])
    first, second = AuditEntry.objects.filter(model="courses.lesson").order_by("object_id")
    assert (first.object_id, first.object_repr, first.changes) == ("7", label, changes)
    assert (second.object_repr, second.changes, second.program) == ("", {}, program)


# ---------------------------------------------------------------- check constraints, per row


def test_a_negative_plan_or_fact_is_reported_on_its_row_and_column(program, coordinator):
    from birgemiz.models import Indicator
    from tests.factories import ActivityFactory, TaskFactory

    ActivityFactory(task=TaskFactory(program=program, number=1), number=1)
    text = (
        "activity;name_kk;target_value;fact_value\n"
        "1.1;Кездесулер;10;12\n"
        "1.1;Жиындар;-5;1\n"  # the plan may not be negative (nor may the database take it)
        "1.1;Оқушылар;;-1\n"
    )
    report = import_file("indicators", io.BytesIO(text.encode()), "i.csv", program=program, user=coordinator)
    assert [(e["row"], e["column"]) for e in report.errors] == [(3, "target_value"), (4, "fact_value")]
    assert all("0" in e["message"] for e in report.errors)  # «… 0-ден кем болмауы тиіс»
    assert not any("Could not be saved" in e["message"] for e in report.errors)
    assert not Indicator.objects.exists()


def test_a_row_breaking_a_check_constraint_is_reported_with_its_number(program, coordinator, monkeypatch):
    # The check constraints are evaluated on each row before anything is written: a row the
    # database would refuse is named, even where no field rule stops it first.
    from birgemiz.models import Indicator
    from tests.factories import ActivityFactory, TaskFactory

    field = Indicator._meta.get_field("target_value")
    monkeypatch.setattr(field, "_validators", [])  # as if the field's own rule were missing
    monkeypatch.delitem(field.__dict__, "validators", raising=False)  # its cached list
    ActivityFactory(task=TaskFactory(program=program, number=1), number=1)
    text = "activity;name_kk;target_value\n1.1;Кездесулер;10\n1.1;Жиындар;-5\n"
    try:
        report = import_file(
            "indicators", io.BytesIO(text.encode()), "i.csv", program=program, user=coordinator
        )
    finally:
        field.__dict__.pop("validators", None)  # recomputed with the rule once restored
    assert [e["row"] for e in report.errors] == [3]
    assert "birgemiz_indicator_target_not_negative" in report.errors[0]["message"]
    assert not any("Could not be saved" in e["message"] for e in report.errors)
    assert not Indicator.objects.exists()


def test_an_activity_ending_before_it_starts_is_refused_on_its_row(program, coordinator):
    from birgemiz.models import Activity
    from tests.factories import TaskFactory

    TaskFactory(program=program, number=1)
    text = (
        "task;number;title_kk;start;end\n1;1;Кездесу;01.03.2020;30.04.2020\n1;2;Жиын;01.05.2020;01.04.2020\n"
    )
    report = import_file("activities", io.BytesIO(text.encode()), "a.csv", program=program, user=coordinator)
    assert [(e["row"], e["column"]) for e in report.errors] == [(3, "end")]
    assert not Activity.objects.exists()


def test_the_check_constraints_are_evaluated_without_a_query(program, coordinator, group):
    from birgemiz import registers
    from birgemiz.registers.bulk import BulkImportMixin, holds

    checked = 0
    for resource in registers.all_registers():
        if not issubclass(resource, BulkImportMixin):
            continue
        model = resource._meta.model
        for constraint in model._meta.constraints:
            if hasattr(constraint, "condition") and not hasattr(constraint, "fields"):
                holds(constraint.condition, model())  # raises when it would need a query
                checked += 1
    assert checked >= 10


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        (Q(hours__gte=Decimal("0.5")) & Q(hours__lte=8), {"hours": Decimal("9")}, False),
        (Q(hours__gte=Decimal("0.5")) & Q(hours__lte=8), {"hours": Decimal("2")}, True),
        (Q(hours__gte=Decimal("0.5")), {"hours": None}, None),  # NULL: a CHECK lets it pass
        (~Q(status="rejected") | ~Q(reject_reason=""), {"status": "rejected", "reject_reason": ""}, False),
        (~Q(status="rejected") | ~Q(reject_reason=""), {"status": "pending", "reject_reason": ""}, True),
        (Q(reviewed_at__isnull=True) | Q(date__lte=F("date")), {"reviewed_at": None}, True),
        (Q(group__isnull=False), {"group_id": None}, False),
        (Q(status__in=["pending", "confirmed"]), {"status": "rejected"}, False),
    ],
)
def test_holds_answers_as_the_database_does(condition, values, expected):
    from birgemiz.registers.bulk import holds

    lesson = Lesson(date=datetime.date(2020, 6, 1), **values)
    assert holds(condition, lesson) is expected


def test_holds_refuses_what_it_cannot_evaluate():
    from birgemiz.registers.bulk import _Unsupported, holds

    for condition in (Q(group__name="x"), Q(hours__gte=F("group__capacity")), Q(topic__icontains="x")):
        with pytest.raises(_Unsupported):
            holds(condition, Lesson(hours=2, topic="x"))
