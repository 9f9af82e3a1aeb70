"""The batched students import (`birgemiz.registers.bulk`): a fixed number of queries per
thousand rows, lookups the database answers from an index, one audit entry per written row
in the signals' shape, and the same errors as the row-by-row path."""

import datetime
import io

import pytest
from django.db import connection
from django.utils import translation

from birgemiz.models import AuditEntry, District, School
from birgemiz.registers.engine import export_register, import_file
from birgemiz.validators import make_iin
from courses.models import Student
from courses.resources import StudentResource

HEADER = ["Оқушы коды", "Тегі", "Аты", "ЖСН", "Жынысы", "Туған күні", "Сынып", "Мектеп", "Аудан"]
BORN = datetime.date(2005, 5, 1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def place(program):
    district = District.objects.create(region=program.region, name_kk="Бөрлі", name_ru="Бурлинский")
    School.objects.create(district=district, name="№1 орта мектеп")
    School.objects.create(district=district, name="№2 орта мектеп")
    return district


def row(i, last="Серікова", code=None, iin=None):
    # Spaced serials (make_iin moves on when a check digit does not exist), 500 a birth date.
    born = BORN + datetime.timedelta(days=i // 500)
    return [
        code or f"S{i:05d}",
        last,
        "Айгерім",
        make_iin(born, "F", (i % 500) * 10 + 1) if iin is None else iin,
        "F",
        born.strftime("%d.%m.%Y"),
        10,
        "№1 орта мектеп" if i % 2 else "№2 орта мектеп",
        "Бөрлі",
    ]


def csv_file(rows):
    lines = [";".join(str(c) for c in r) for r in [HEADER, *rows]]
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def run(rows, program, user, dry_run=False):
    return import_file(
        "students", io.BytesIO(csv_file(rows)), "s.csv", program=program, user=user, dry_run=dry_run
    )


def count_queries(django_assert_max_num_queries, rows, program, user, budget, dry_run=False):
    with django_assert_max_num_queries(budget) as captured:
        report = run(rows, program, user, dry_run=dry_run)
    assert report.ok, report.errors
    return len(captured.captured_queries), report


# The programme's schools, per thousand rows the two key lookups, the batched inserts, the
# audit inserts and the savepoints: not one query per row.
BUDGET = 25


@pytest.mark.parametrize("dry_run", [False, True])
def test_ten_times_the_rows_costs_no_more_queries(
    program, coordinator, place, django_assert_max_num_queries, dry_run
):
    small, first = count_queries(
        django_assert_max_num_queries, [row(i) for i in range(20)], program, coordinator, BUDGET, dry_run
    )
    large, second = count_queries(
        django_assert_max_num_queries,
        [row(i) for i in range(1000, 1200)],
        program,
        coordinator,
        BUDGET,
        dry_run,
    )
    if dry_run:
        assert large == small
    else:
        # Inserts go in batches (SQLite takes 999 parameters a statement: ~60 students and
        # ~110 audit entries); a query per row would be 180 more.
        assert large - small <= (200 - 20) // 30
    assert (first.new, second.new) == (20, 200)
    assert Student.objects.filter(program=program).count() == (0 if dry_run else 220)


def test_updates_and_unchanged_rows_cost_no_more_queries_per_row(
    program, coordinator, place, django_assert_max_num_queries
):
    rows = [row(i) for i in range(300)]
    run(rows, program, coordinator)
    edited = [row(i, last="Жаңа") if i % 3 == 0 else row(i) for i in range(300)]
    queries, report = count_queries(django_assert_max_num_queries, edited, program, coordinator, BUDGET)
    assert (report.new, report.updated, report.unchanged) == (0, 100, 200)
    assert Student.objects.filter(program=program, last_name="Жаңа").count() == 100


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_the_iin_lookup_is_answered_from_the_partial_unique_index(program, coordinator, place):
    resource = StudentResource(program=program, user=coordinator)
    plan = resource.key_queryset(("iin",)).filter(iin__in=["050501600019"]).explain()
    assert "courses_student_unique_iin" in plan, plan
    # The row-by-row path of the other registers (volunteers by IIN) repeats it too.
    assert (
        "courses_student_unique_iin" in resource.key_queryset(("iin",)).filter(iin="050501600019").explain()
    )


def test_a_file_of_one_thousand_and_one_rows_is_written_whole(program, coordinator, place):
    report = run([row(i) for i in range(1001)], program, coordinator)
    assert (report.ok, report.new) == (True, 1001)
    assert Student.objects.filter(program=program).count() == 1001


def test_a_bad_row_in_the_second_thousand_writes_nothing(program, coordinator, place):
    rows = [row(i) for i in range(1500)]
    rows[1400][6] = 12  # grade out of range
    report = run(rows, program, coordinator)
    assert not report.written and not Student.objects.exists()
    assert [(e["row"], e["column"]) for e in report.errors] == [(1402, "Сынып")]
    assert not AuditEntry.objects.filter(model="courses.student").exists()


def test_every_written_row_has_its_audit_entry_in_the_signals_shape(program, coordinator, place):
    run([row(i) for i in range(3)], program, coordinator)
    created = AuditEntry.objects.filter(model="courses.student", action="create")
    assert created.count() == 3
    entry = created.get(object_id=str(Student.objects.get(code="S00000").pk))
    assert (entry.user, entry.source, entry.program) == (coordinator, "import", program)
    assert entry.changes["last_name"] == [None, "Серікова"] and entry.changes["grade"] == [None, 10]
    run([row(0, last="Жаңа"), row(1), row(2)], program, coordinator)
    updated = AuditEntry.objects.get(model="courses.student", action="update")
    assert updated.changes == {"last_name": ["Серікова", "Жаңа"]}
    assert updated.object_id == str(Student.objects.get(code="S00000").pk)


def test_an_iin_and_a_code_naming_two_students_is_refused(program, coordinator, place):
    run([row(0), row(1)], program, coordinator)
    # The IIN of S00000 with the code of S00001.
    report = run([row(0, code="S00001")], program, coordinator)
    assert not report.written
    assert report.errors[0]["column"] == "Оқушы коды"
    assert "belongs to" in report.errors[0]["message"]


def test_two_rows_naming_one_stored_student_are_refused(program, coordinator, place):
    run([row(0)], program, coordinator)
    # Row 2 renames S00000 (found by IIN); row 3 names it again by its stored code.
    report = run([row(0, code="S-NEW"), row(5, code="S00000", iin="")], program, coordinator)
    assert not report.written
    assert [e["row"] for e in report.errors] == [3] and "row 2" in report.errors[0]["message"]
    assert Student.objects.get().code == "S00000"


def test_an_iin_contradicting_the_birth_date_is_refused_once(program, coordinator, place):
    report = run([row(0, iin=make_iin(datetime.date(2006, 1, 1), "F", 1))], program, coordinator)
    assert not report.written
    assert len(report.errors) == 1 and report.errors[0]["row"] == 2


def test_an_exported_register_re_imports_unchanged_and_writes_nothing(program, coordinator, place):
    run([row(i) for i in range(50)], program, coordinator)
    out = io.BytesIO()
    export_register("students", "csv", out, program=program)
    before = AuditEntry.objects.count()
    report = import_file("students", io.BytesIO(out.getvalue()), "s.csv", program=program, user=coordinator)
    assert (report.ok, report.new, report.updated, report.unchanged) == (True, 0, 0, 50)
    assert AuditEntry.objects.count() == before


def _count_full_clean(monkeypatch, model):
    calls = []
    original = model.full_clean

    def counted(self, *args, **kwargs):
        calls.append(self.pk)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(model, "full_clean", counted)
    return calls


def test_each_student_row_is_validated_once(program, coordinator, place, monkeypatch):
    calls = _count_full_clean(monkeypatch, Student)
    assert run([row(i) for i in range(5)], program, coordinator).new == 5
    assert len(calls) == 5


def test_a_row_by_row_register_validates_each_row_once(program, coordinator, monkeypatch):
    from birgemiz.models import Partner

    calls = _count_full_clean(monkeypatch, Partner)
    data = "\ufeffname;role\nБілім бөлімі;Ақпарат\nӘкімдік;Қолдау\n".encode()
    report = import_file("partners", io.BytesIO(data), "p.csv", program=program, user=coordinator)
    assert (report.ok, report.new) == (True, 2), report.errors
    assert len(calls) == 2
    assert AuditEntry.objects.filter(model="birgemiz.partner", action="create").count() == 2
