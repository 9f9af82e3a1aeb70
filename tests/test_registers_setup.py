"""The registers a new year is set up with (issue #13): schools, tracks and subjects,
tasks and activities, course groups, council members; students with an IIN and no code;
every template's example row importing into the programme it was downloaded from; and the
batched path of every other register (issue #18): capacity, attendance, lesson states,
lookups read once per file."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation

from birgemiz import registers, roles
from birgemiz.models import Activity, AuditEntry, District, School, Subject, Task
from birgemiz.registers.engine import import_file, write_template
from birgemiz.validators import make_iin
from courses.models import Attendance, CourseGroup, Enrollment, Lesson, Student
from volunteers.models import CouncilMember

from . import test_registers as base
from .factories import StudentFactory, UserFactory, VolunteerFactory

csv_bytes = base.csv_bytes
place = base.place  # fixtures
world = base.world


def run(name, rows, program, user, dry_run=False):
    return import_file(
        name, io.BytesIO(csv_bytes(rows)), "x.csv", program=program, user=user, dry_run=dry_run
    )


def messages(report):
    return [report.file_error] + [f"{e['row']} {e['column']}: {e['message']}" for e in report.errors]


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in English (every one is translated to kk and ru too)."""
    with translation.override("en"):
        yield


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_staff=True, roles=[roles.OPERATOR])


# ---------------------------------------------------------------- templates


@pytest.mark.parametrize("name", registers.ORDER)
def test_it_imports_every_template_into_the_programme_it_was_downloaded_from(
    name, world, program, coordinator
):
    out = io.BytesIO()
    write_template(name, "xlsx", out, program=program)
    report = import_file(name, io.BytesIO(out.getvalue()), "t.xlsx", program=program, user=coordinator)
    assert report.ok, report.error_lines()
    assert report.new + report.updated + report.unchanged == 1


# ---------------------------------------------------------------- schools


SCHOOLS = ["облыс", "аудан", "елді мекен", "мектеп", "оқыту тілі"]


def test_it_imports_a_regions_list_of_schools_in_one_file_as_proposals(program, coordinator, place):
    district, _school = place
    other = District.objects.create(region=program.region, name_kk="Ақжайық", name_ru="Акжаикский")
    rows = [SCHOOLS] + [
        [
            program.region.name_kk,
            (district.name_kk, "Акжаикский")[i % 2],
            f"Ауыл {i}",
            f"№{i + 10} мектеп",
            "ru",
        ]
        for i in range(400)
    ]
    report = run("schools", rows, program, coordinator)
    assert report.ok and report.new == 400, messages(report)[:3]
    assert School.objects.filter(district=other).count() == 200
    added = School.objects.get(name="№11 мектеп")
    assert (added.district, added.settlement, added.language) == (other, "Ауыл 1", "ru")
    assert added.proposed_by == program.organization  # the operator approves it
    assert AuditEntry.objects.filter(model="birgemiz.school", action="create").count() == 400
    assert run("schools", rows, program, coordinator).unchanged == 400


def test_it_names_an_unknown_district_as_the_district_not_the_school(program, coordinator, place):
    report = run("schools", [SCHOOLS, ["", "Жоқ аудан", "", "№5 мектеп", "kk"]], program, coordinator)
    assert [(e["row"], e["column"]) for e in report.errors] == [(2, "аудан")]
    assert "Жоқ аудан" in report.errors[0]["message"] and "operator" in report.errors[0]["message"]
    assert not District.objects.filter(name_kk="Жоқ аудан").exists()
    assert not School.objects.filter(name="№5 мектеп").exists()


def test_it_lets_the_operator_add_districts_and_approved_schools(program, operator, place):
    report = run(
        "schools",
        [SCHOOLS, ["", "Жаңа аудан", "", "№5 мектеп", "kk"], ["", "Жаңа аудан", "", "№6 мектеп", ""]],
        program,
        operator,
    )
    assert report.ok and report.new == 2, messages(report)
    district = District.objects.get(name_kk="Жаңа аудан")
    assert district.region == program.region
    assert set(district.schools.values_list("name", "proposed_by")) == {
        ("№5 мектеп", None),
        ("№6 мектеп", None),
    }
    assert AuditEntry.objects.filter(model="birgemiz.district", action="create").count() == 1


def test_it_keeps_approved_schools_the_operators_to_change(program, coordinator, operator, place):
    district, school = place
    report = run(
        "schools", [SCHOOLS, ["", district.name_kk, "Жаңа ауыл", school.name, ""]], program, coordinator
    )
    assert not report.ok and "only the operator" in report.errors[0]["message"]
    school.refresh_from_db()
    assert school.settlement == ""
    report = run(
        "schools", [SCHOOLS, ["", district.name_kk, "Жаңа ауыл", school.name, ""]], program, operator
    )
    assert report.ok and report.updated == 1, messages(report)
    school.refresh_from_db()
    assert school.settlement == "Жаңа ауыл"


def test_it_refuses_a_school_of_another_region(program, coordinator, place):
    district, _school = place
    report = run(
        "schools", [SCHOOLS, ["Атырау облысы", district.name_kk, "", "№9 мектеп", ""]], program, coordinator
    )
    assert [e["column"] for e in report.errors] == ["облыс"]
    assert "Атырау облысы" in report.errors[0]["message"]


# ---------------------------------------------------------------- students by IIN


STUDENTS = ["тегі", "аты", "ЖСН", "жынысы", "туған күні", "сынып", "мектеп", "оқушы коды"]


def student(i, code=""):
    born = datetime.date(2006, 2, 1)
    return [f"Тегі{i}", "Аты", make_iin(born, "F", i * 10 + 1), "F", "01.02.2006", 9, "№1 орта мектеп", code]


def test_it_assigns_codes_to_students_with_an_iin_and_no_code(program, coordinator, place):
    StudentFactory(program=program, code="S00007", school=place[1])
    report = run(
        "students", [STUDENTS, student(1), student(2), student(3, code="S00009")], program, coordinator
    )
    assert report.ok and report.new == 3, messages(report)
    codes = dict(Student.objects.filter(program=program).values_list("last_name", "code"))
    assert (codes["Тегі1"], codes["Тегі2"], codes["Тегі3"]) == ("S00008", "S00010", "S00009")


def test_it_matches_a_reimport_by_iin_then_by_code(program, coordinator, place):
    run("students", [STUDENTS, student(1)], program, coordinator)
    code = Student.objects.get().code
    changed = student(1)
    changed[1] = "Жаңа"
    report = run("students", [STUDENTS, changed], program, coordinator)  # no code: by IIN
    assert report.updated == 1 and Student.objects.get().first_name == "Жаңа"
    assert Student.objects.get().code == code  # an empty code cell keeps the code
    by_code = student(1, code=code)
    by_code[2] = ""
    by_code[0] = "Басқа"
    report = run("students", [STUDENTS, by_code], program, coordinator)
    assert report.ok and report.updated == 1, messages(report)
    assert Student.objects.get().last_name == "Басқа"


def test_it_asks_for_a_code_or_an_iin(program, coordinator, place):
    row = student(1)
    row[2] = ""
    report = run("students", [STUDENTS, row], program, coordinator)
    assert [e["column"] for e in report.errors] == ["оқушы коды"]
    assert "IIN" in report.errors[0]["message"]


# ---------------------------------------------------------------- groups, enrolment


GROUPS = ["топ", "бағыт", "пән", "волонтердің e-mail", "орын саны", "кесте"]


def test_it_imports_course_groups_with_their_volunteer_and_subject(program, coordinator, track):
    volunteer = VolunteerFactory(program=program, track=track, email="tutor@example.kz")
    Subject.objects.create(track=track, name_kk="Грамматика")
    report = run(
        "course-groups",
        [GROUPS, ["Ағылшын-7", "english", "Грамматика", "TUTOR@example.kz", 30, "сс 16:00"]],
        program,
        coordinator,
    )
    assert report.ok and report.new == 1, messages(report)
    group = CourseGroup.objects.get(name="Ағылшын-7")
    assert (group.volunteer, group.subject.name_kk, group.capacity, group.schedule) == (
        volunteer,
        "Грамматика",
        30,
        "сс 16:00",
    )


def test_it_refuses_a_capacity_below_the_groups_students(program, coordinator, group):
    row = [group.name, group.track.code, "", group.volunteer.email, 2, ""]
    report = run("course-groups", [GROUPS, row], program, coordinator)
    assert not report.ok and "has 3 students" in report.errors[0]["message"]
    group.refresh_from_db()
    assert group.capacity == 25


def test_it_says_how_to_fix_a_full_group_counting_the_files_own_rows(program, coordinator, group):
    group.capacity = 4
    group.save()
    students = [StudentFactory(program=program) for _ in range(2)]
    rows = [["оқушы коды", "топ"]] + [[s.code, group.name] for s in students]
    report = run("enrollments", rows, program, coordinator)
    assert [e["row"] for e in report.errors] == [3]
    assert report.errors[0]["message"] == (
        f"Group «{group.name}» is full (4): raise its capacity or choose another group."
    )
    assert group.enrollments.count() == 3
    group.capacity = 5
    group.save()
    report = run("enrollments", rows, program, coordinator)
    assert report.ok and report.new == 2


# ---------------------------------------------------------------- tasks, activities, council


def test_it_imports_tasks_then_their_activities(program, coordinator):
    report = run("tasks", [["нөмірі", "атауы (қазақша)"], [1, "Ақпарат"], [2, "Оқыту"]], program, coordinator)
    assert report.ok and report.new == 2, messages(report)
    rows = [
        ["міндет", "нөмірі", "атауы (қазақша)", "басталуы"],
        [1, 1, "Кездесулер", "01.03.2020"],
        [2, 1, "Сабақтар", ""],
        [3, 1, "Жоқ", ""],
    ]
    report = run("activities", rows, program, coordinator)
    assert [(e["row"], e["column"]) for e in report.errors] == [(4, "міндет")]
    report = run("activities", rows[:3], program, coordinator)
    assert report.ok and report.new == 2
    assert Activity.objects.get(task__number=1, number=1).start == datetime.date(2020, 3, 1)
    assert Task.objects.filter(program=program).count() == 2


def test_it_keeps_one_chair_of_the_council(program, coordinator):
    header = ["аты-жөні", "жұмыс орны", "рөлі"]
    report = run(
        "council-members",
        [header, ["Ахметова Г.", "Білім бөлімі", "chair"], ["Серіков Б.", "", "chair"]],
        program,
        coordinator,
    )
    assert [e["row"] for e in report.errors] == [3] and "Ахметова" in report.errors[0]["message"]
    report = run(
        "council-members",
        [header, ["Ахметова Г.", "Білім бөлімі", "chair"], ["Серіков Б.", "", "member"]],
        program,
        coordinator,
    )
    assert report.ok and report.new == 2
    assert CouncilMember.objects.get(role="chair").full_name == "Ахметова Г."


# ---------------------------------------------------------------- lessons on the batched path


LESSONS = ["group", "date", "hours", "topic", "absent"]


def test_it_writes_every_attendance_row_with_its_audit_entry(program, coordinator, group):
    codes = sorted(group.enrollments.values_list("student__code", flat=True))
    rows = [LESSONS, [group.name, "01.06.2020", 2, "A", codes[0]], [group.name, "02.06.2020", 2, "B", ""]]
    report = run("lessons", rows, program, coordinator)
    assert report.ok and report.new == 2, messages(report)
    lesson = Lesson.objects.get(topic="A")
    assert lesson.logged_by == coordinator
    assert sorted(lesson.attendance.values_list("student__code", "present")) == [
        (codes[0], False),
        (codes[1], True),
        (codes[2], True),
    ]
    entries = AuditEntry.objects.filter(model="courses.attendance", action="create")
    assert (
        entries.count() == 6
        and entries.filter(program=program, user=coordinator, source="import").count() == 6
    )
    assert entries.filter(object_repr__contains="01.06.2020").count() == 3


def test_it_refuses_to_change_a_confirmed_lesson_and_reopens_a_rejected_one(program, coordinator, group):
    rows = [LESSONS, [group.name, "01.06.2020", 2, "A", ""], [group.name, "02.06.2020", 2, "B", ""]]
    run("lessons", rows, program, coordinator)
    Lesson.objects.filter(topic="A").update(status=Lesson.Status.CONFIRMED)
    Lesson.objects.filter(topic="B").update(status=Lesson.Status.REJECTED, reject_reason="жоқ")
    assert run("lessons", rows, program, coordinator).unchanged == 2
    changed = [LESSONS, [group.name, "01.06.2020", "1,5", "A", ""]]
    report = run("lessons", changed, program, coordinator)
    assert not report.ok and "confirmed" in report.errors[0]["message"]
    report = run("lessons", [LESSONS, [group.name, "02.06.2020", "1,5", "B", ""]], program, coordinator)
    assert report.ok and report.updated == 1
    lesson = Lesson.objects.get(topic="B")
    assert (lesson.status, lesson.hours) == (Lesson.Status.PENDING, Decimal("1.5"))


def test_it_reads_lookups_once_per_file_not_once_per_row(
    program, coordinator, group, django_assert_max_num_queries
):
    group.capacity = 1000
    group.save()
    students = Student.objects.bulk_create(
        [
            Student(
                program=program,
                code=f"X{i:04d}",
                last_name="Т",
                first_name="А",
                sex="F",
                grade=9,
                school=group.enrollments.first().student.school,
            )
            for i in range(300)
        ]
    )

    def queries(count):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        rows = [["оқушы коды", "топ"]] + [[s.code, group.name] for s in students[:count]]
        with CaptureQueriesContext(connection) as captured:
            report = run("enrollments", rows, program, coordinator, dry_run=True)
        assert report.ok and report.new == count
        return len(captured)

    assert queries(300) == queries(10)
    rows = [["оқушы коды", "топ"]] + [[s.code, group.name] for s in students]
    with django_assert_max_num_queries(25):
        report = run("enrollments", rows, program, coordinator)
    assert report.new == 300 and Enrollment.objects.filter(group=group).count() == 303
    assert not Attendance.objects.exists()
