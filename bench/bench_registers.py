"""Every register at 20 000 rows through the product's importer and, in the same run and on
the same rows, through a plain tuned django-import-export `ModelResource`.

Issue 18's targets: 20 000 students in ≤ 20 s, the last thousand rows within 20 % of the
first thousand's rate (linear), a dry run no slower than the import, a re-import of the
same file ≤ 10 s, and every register within 2× of the plain resource. The plain resource
is tuned as the issue measured it (`use_bulk`, `batch_size` 1 000, `skip_diff`,
`force_init_instance`, foreign keys read once into a dictionary); it validates nothing,
matches nothing (every row is a create) and writes no audit entries; the product does all
three. The plain run goes first, inside a transaction rolled back after it is timed, so
both import into the same programme and the same foreign keys.

What each side does with a file:

- plain: import-export's own loop (per row: the cells through its widgets, a new instance,
  `before_save_instance` setting the programme), `bulk_create` per thousand; no
  `full_clean`, no lookup of existing records, no audit. Its rate is marked when each
  thousand is written (import-export writes a batch after its thousandth row).
- product: `import_file` — the file read and its headers matched in three languages; per
  row the register's widgets, the lookups (read once per file), the natural-key match
  against the stored records, `full_clean` and the register's rules, the duplicate check
  within the file; per thousand the inserts / updates and one audit entry per written
  record; all in one transaction.

Lessons carry their attendance (10 enrolled students a group, so 20 000 lessons are
200 000 attendance rows). The plain side writes them as a plain user would for the same
file: the lesson resource's `bulk_create` hook writes, after each thousand lessons, an
`Attendance` row for every enrolled student of the lesson's group (the enrolments read once
into a dictionary), absent when the row's «absent» cell names the student's code. The
product does the same and checks that every named student is enrolled in the group, and
audits each lesson and each attendance row (220 000 entries).

`python -m bench registers`; BENCH_REGISTERS_ROWS changes the size (default 20 000);
BENCH_REGISTERS_ONLY=students,lessons runs some of them; DATABASE_URL picks the database
(a throwaway SQLite file by default; for PostgreSQL an empty database, e.g.
`createdb -h 127.0.0.1 -U postgres birgemiz_bench_registers` and
DATABASE_URL=postgres://postgres@127.0.0.1:5432/birgemiz_bench_registers). Each step's rate
per thousand rows is printed: a single thousand is noisy (a garbage collection, another
process), so look at the whole curve for the shape.
"""

import datetime
import os
import tempfile
import time

from bench.util import setup_django

ROWS = int(os.environ.get("BENCH_REGISTERS_ROWS", "20000"))
# A folder: each register's product import is profiled into <folder>/<name>.prof (a re-import
# of the same file into <name>-again.prof).
PROFILE = os.environ.get("BENCH_REGISTERS_PROFILE", "")
ONLY = [n for n in os.environ.get("BENCH_REGISTERS_ONLY", "").split(",") if n]
START = datetime.date(2020, 3, 1)
GROUPS = 200  # groups of the enrollments / test-results world
LESSON_GROUPS = 200  # groups of 10 students, for lessons with attendance
ACTIVITIES = 10  # tasks × activities


class Rollback(Exception):
    pass


class Rates:
    """Rows per second of the first and the last thousand, from (rows done, time) marks."""

    def __init__(self):
        self.start = time.perf_counter()
        self.marks = [(0, self.start)]

    def mark(self, done):
        self.marks.append((done, time.perf_counter()))

    def at(self, done):
        return min(self.marks, key=lambda m: abs(m[0] - done))

    def curve(self):
        return [
            round((r1 - r0) / max(t1 - t0, 1e-9))
            for (r0, t0), (r1, t1) in zip(self.marks, self.marks[1:], strict=False)
            if r1 > r0
        ]

    def first_last(self, total):
        (r0, t0), (r1, t1) = self.at(0), self.at(min(1000, total))
        (r2, t2), (r3, t3) = self.at(max(total - 1000, 0)), self.at(total)
        return (r1 - r0) / max(t1 - t0, 1e-9), (r3 - r2) / max(t3 - t2, 1e-9)


# ---------------------------------------------------------------- the world


def _world():
    from birgemiz.models import (
        Activity,
        District,
        InfoWorkGroup,
        Organization,
        Program,
        Region,
        School,
        Task,
        Track,
    )
    from courses.models import CourseGroup
    from volunteers.models import Volunteer

    region = Region.objects.get_or_create(code="bko", defaults={"name_kk": "Батыс Қазақстан облысы"})[0]
    org = Organization.objects.get_or_create(name_kk="«Жас қанат» ЖҚБ")[0]
    program = Program.objects.create(
        organization=org,
        code="bench",
        title_kk="Бағдарлама",
        topic_kk="Тақырып",
        grant_amount=1,
        start=START,
        end=datetime.date(2020, 11, 30),
        region=region,
    )
    schools = []
    for d in range(12):
        district = District.objects.create(region=region, name_kk=f"Аудан {d}")
        schools += School.objects.bulk_create(
            [School(district=district, name=f"№{s + 1} орта мектеп") for s in range(20)]
        )
    tracks = Track.objects.bulk_create(
        [Track(program=program, code=c, order=i, name_kk=c) for i, c in enumerate(("english", "math", "law"))]
    )
    activities = []
    for t in range(1, ACTIVITIES + 1):
        task = Task.objects.create(program=program, number=t, title_kk=f"Міндет {t}")
        activities += Activity.objects.bulk_create(
            [Activity(task=task, number=a, title_kk=f"Іс-шара {t}.{a}") for a in range(1, ACTIVITIES + 1)]
        )
    InfoWorkGroup.objects.bulk_create(
        [InfoWorkGroup(program=program, number=n, title_kk=f"Топ {n}") for n in range(1, 4)]
    )
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                program=program,
                email=f"tutor{i}@example.kz",
                last_name=f"Тьютор{i}",
                first_name="Аты",
                sex="F",
                track=tracks[0],
            )
            for i in range(GROUPS + LESSON_GROUPS)
        ]
    )
    CourseGroup.objects.bulk_create(
        [
            CourseGroup(
                program=program,
                track=tracks[0],
                volunteer=volunteers[i],
                name=f"Топ {i}" if i < GROUPS else f"Сабақ-{i - GROUPS}",
                capacity=1000,
            )
            for i in range(GROUPS + LESSON_GROUPS)
        ]
    )
    return program, schools


def _lesson_enrollments(program):
    """10 students in each lesson group (the students register must have run)."""
    from courses.models import CourseGroup, Enrollment, Student

    students = list(Student.objects.filter(program=program).order_by("code")[: LESSON_GROUPS * 10])
    groups = list(CourseGroup.objects.filter(program=program, name__startswith="Сабақ-").order_by("pk"))
    Enrollment.objects.bulk_create(
        [
            Enrollment(group=groups[i // 10], student=s)
            for i, s in enumerate(students)
            if i // 10 < len(groups)
        ]
    )


# ---------------------------------------------------------------- rows per register
# Each gives (columns, rows as {column: value}); values are dates, booleans, numbers or
# text, written the product's way (dd.mm.yyyy, иә/жоқ) or the plain resource's (ISO, 1/0).


def _students(schools):
    from birgemiz.validators import make_iin

    columns = ["last_name", "first_name", "iin", "sex", "birth_date", "grade", "school", "district", "code"]
    rows = []
    for i in range(ROWS):
        born = datetime.date(2004, 1, 1) + datetime.timedelta(days=i // 500)
        sex = "F" if i % 2 else "M"
        school = schools[i % len(schools)]
        rows.append(
            {
                "last_name": f"Тегі{i}",
                "first_name": "Аты",
                "iin": make_iin(born, sex, (i % 500) * 10 + 1),
                "sex": sex,
                "birth_date": born,
                "grade": 8 + i % 4,
                "school": school.name,
                "district": school.district.name_kk,
                # The product assigns codes (S00001…) to rows with an IIN and no code; the
                # plain resource needs one, the same the product will assign.
                "code": f"S{i + 1:05d}",
            }
        )
    return columns, rows


def _volunteers(people="volunteer"):
    columns = ["email", "last_name", "first_name", "sex", "birth_date", "phone", "district", "track"]
    return columns, [
        {
            "email": f"{people}{i}@example.kz",
            "last_name": f"Тегі{i}",
            "first_name": "Аты",
            "sex": "F" if i % 2 else "M",
            "birth_date": datetime.date(1998, 1, 1) + datetime.timedelta(days=i % 1500),
            "phone": f"+7701{i:07d}",
            "district": f"Аудан {i % 12}",
            "track": ("english", "math", "law")[i % 3],
        }
        for i in range(ROWS)
    ]


def _applications():
    columns, rows = _volunteers("applicant")
    for row in rows:
        row["consent"] = True
        row["motivation"] = "Балаларға көмектескім келеді"
    return columns + ["consent", "motivation"], rows


def _enrollments():
    return ["student", "group", "status", "enrolled_on"], [
        {"student": f"S{i + 1:05d}", "group": f"Топ {i % GROUPS}", "status": "active", "enrolled_on": START}
        for i in range(ROWS)
    ]


def _test_results():
    return ["student", "track", "kind", "score", "taken_on"], [
        {
            "student": f"S{i // 2 + 1:05d}",
            "track": "english",
            "kind": ("pre", "post")[i % 2],
            "score": 30 + i % 70,
            "taken_on": START + datetime.timedelta(days=5 + 200 * (i % 2)),
        }
        for i in range(ROWS)
    ]


def _lessons():
    per_group = -(-ROWS // LESSON_GROUPS)
    return ["group", "date", "hours", "topic", "platform", "absent"], [
        {
            "group": f"Сабақ-{i // per_group}",
            "date": START + datetime.timedelta(days=i % per_group),
            "hours": 2,
            "topic": f"Тақырып {i % per_group}",
            "platform": "zoom",
            # Two of the group's ten students absent (the students register gave S00001…).
            "absent": f"S{(i // per_group) * 10 + 1:05d}, S{(i // per_group) * 10 + 2:05d}",
        }
        for i in range(ROWS)
    ]


def _meetings():
    return ["date", "place", "district", "audience", "participants", "activity"], [
        {
            "date": START + datetime.timedelta(days=i % 270),
            "place": f"Ауыл {i}",
            "district": f"Аудан {i % 12}",
            "audience": "мектеп оқушылары",
            "participants": 10 + i % 40,
            "activity": f"{i % ACTIVITIES + 1}.{i // ACTIVITIES % ACTIVITIES + 1}",
        }
        for i in range(ROWS)
    ]


def _publications():
    return ["kind", "outlet", "title", "language", "date", "url", "views", "activity", "group"], [
        {
            "kind": "post",
            "outlet": "Instagram",
            "title": f"Жаңалық {i}",
            "language": "kk",
            "date": START + datetime.timedelta(days=i % 270),
            "url": f"https://example.kz/news/{i}",
            "views": i % 1000,
            "activity": "6.1",
            "group": 1 + i % 3,
        }
        for i in range(ROWS)
    ]


def _partners():
    return ["order", "name", "role", "contact"], [
        {"order": i, "name": f"Серіктес {i}", "role": "Ақпараттық қолдау", "contact": f"+7711{i:07d}"}
        for i in range(ROWS)
    ]


def _indicators():
    return ["activity", "order", "name_kk", "unit", "comparator", "target_value", "fact_value"], [
        {
            "activity": f"{i % ACTIVITIES + 1}.{i // ACTIVITIES % ACTIVITIES + 1}",
            "order": i,
            "name_kk": f"Көрсеткіш {i}",
            "unit": "дана",
            "comparator": "at_least",
            "target_value": 10,
            "fact_value": i % 20,
        }
        for i in range(ROWS)
    ]


def _product_text(value):
    if isinstance(value, bool):
        return "иә" if value else "жоқ"
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _plain_text(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _write(path, columns, rows, product_columns=None):
    columns = product_columns or columns
    with open(path, "w", encoding="utf-8-sig") as handle:
        handle.write(";".join(columns) + "\n")
        for row in rows:
            handle.write(";".join(_product_text(row.get(c, "")) for c in columns) + "\n")


# ---------------------------------------------------------------- the plain tuned resource


def _lookups(program):
    """{kind: {text: object}}: every foreign key read once, as a tuned resource would."""
    from birgemiz.models import Activity, District, InfoWorkGroup, Track
    from courses.models import CourseGroup, Student

    return {
        "district": {d.name_kk: d for d in District.objects.filter(region=program.region)},
        "school": None,  # by (district, name), below
        "track": {t.code: t for t in Track.objects.filter(program=program)},
        "group": {g.name: g for g in CourseGroup.objects.filter(program=program)},
        "student": {s.code: s for s in Student.objects.filter(program=program)},
        "activity": {
            f"{a.task.number}.{a.number}": a
            for a in Activity.objects.filter(task__program=program).select_related("task")
        },
        "info_group": {str(g.number): g for g in InfoWorkGroup.objects.filter(program=program)},
    }


def _plain_resource(model, columns, foreign, program):
    from import_export import fields, resources, widgets

    from birgemiz.models import School
    from courses.models import Attendance, Enrollment

    lookups = _lookups(program)
    with_attendance = model.__name__ == "Lesson"
    enrolled = {}
    if with_attendance:
        for enrollment in (
            Enrollment.objects.filter(group__program=program)
            .exclude(status="dropped")
            .select_related("student")
        ):
            enrolled.setdefault(enrollment.group_id, []).append(enrollment.student)
    schools = {(s.district.name_kk, s.name): s for s in School.objects.select_related("district")}

    class Cached(widgets.Widget):
        def __init__(self, kind):
            super().__init__()
            self.kind = kind

        def clean(self, value, row=None, **kwargs):
            if self.kind == "school":
                return schools[(row["district"], value)]
            return lookups[self.kind][str(value)]

    declared = {
        column: fields.Field(attribute=attribute, column_name=column, widget=Cached(kind))
        for column, (attribute, kind) in foreign.items()
    }
    model_fields = {f.name for f in model._meta.get_fields()}
    plain = [c for c in columns if c not in foreign and c in model_fields]
    has_program = "program" in model_fields

    class Meta:
        pass

    Meta.model = model
    Meta.fields = tuple(plain) + tuple(foreign)
    Meta.import_id_fields = (plain[0],)
    Meta.use_bulk = True
    Meta.batch_size = 1000
    Meta.skip_diff = True
    Meta.force_init_instance = True

    def before_save_instance(self, instance, row, **kwargs):
        if has_program:
            instance.program_id = program.pk
        if model.__name__ == "TestResult":
            instance.program_id = program.pk
        if with_attendance:
            instance.absent_codes = {c.strip() for c in str(row["absent"]).split(",") if c.strip()}

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        written = list(self.create_instances)
        resources.ModelResource.bulk_create(
            self, using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result
        )
        if with_attendance:
            # The lessons' attendance, as a plain user writes it after the lessons: every
            # enrolled student of the group (read once), present unless the row names them.
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        lesson=lesson, student=student, present=student.code not in lesson.absent_codes
                    )
                    for lesson in written
                    for student in enrolled.get(lesson.group_id, ())
                ],
                batch_size=1000,
            )
        # Marked once the thousand is written (import-export writes a batch after its rows).
        self.done = getattr(self, "done", 0) + len(written)
        self.rates.mark(self.done)

    attrs = dict(declared, Meta=Meta, before_save_instance=before_save_instance, bulk_create=bulk_create)
    return type("PlainResource", (resources.ModelResource,), attrs)()


def _plain(model, columns, rows, foreign, program):
    import tablib
    from django.db import transaction

    dataset = tablib.Dataset(*[[_plain_text(r.get(c, "")) for c in columns] for r in rows], headers=columns)
    resource = _plain_resource(model, columns, foreign, program)
    rates = Rates()
    resource.rates = rates
    try:
        with transaction.atomic():
            result = resource.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=False)
            elapsed = time.perf_counter() - rates.start
            assert not result.has_errors() and not result.has_validation_errors()
            assert result.totals["new"] == len(rows), result.totals
            if model.__name__ == "Lesson":
                from courses.models import Attendance

                also = Attendance.objects.filter(lesson__group__program=program).count()
                assert also == 10 * len(rows), also
            raise Rollback
    except Rollback:
        pass
    return elapsed, rates.first_last(len(rows))


# ---------------------------------------------------------------- the product


def _product(name, path, program, dry_run=False):
    from birgemiz.registers.engine import import_file

    profile = None
    if PROFILE and not dry_run:
        import cProfile

        profile = cProfile.Profile()
    rates = Rates()
    with open(path, "rb") as handle:
        if profile is not None:
            profile.enable()
        report = import_file(
            name, handle, path, program=program, user=None, dry_run=dry_run, progress=rates.mark
        )
        if profile is not None:
            profile.disable()
    elapsed = time.perf_counter() - rates.start
    if profile is not None:
        profile.dump_stats(os.path.join(PROFILE, f"{name}{'' if report.new else '-again'}.prof"))
    assert report.ok, report.error_lines()[:5]
    print(f"  {name}{' (dry run)' if dry_run else ''} rows/s per thousand:", rates.curve(), flush=True)
    return elapsed, rates.first_last(ROWS), report


def _registers(schools):
    from assessments.models import TestResult
    from birgemiz.models import Indicator, Meeting, Partner, Publication
    from courses.models import Enrollment, Lesson, Student
    from volunteers.models import Volunteer, VolunteerApplication

    student_columns, student_rows = _students(schools)
    return [
        # name, model, (columns, rows), columns the product file has, {column: (attribute, lookup kind)}
        (
            "students",
            Student,
            (student_columns, student_rows),
            student_columns[:-1],
            {"school": ("school", "school")},
        ),
        (
            "volunteers",
            Volunteer,
            _volunteers(),
            None,
            {"district": ("district", "district"), "track": ("track", "track")},
        ),
        (
            "applications",
            VolunteerApplication,
            _applications(),
            None,
            {"district": ("district", "district"), "track": ("track", "track")},
        ),
        (
            "enrollments",
            Enrollment,
            _enrollments(),
            None,
            {"student": ("student", "student"), "group": ("group", "group")},
        ),
        (
            "test-results",
            TestResult,
            _test_results(),
            None,
            {"student": ("student", "student"), "track": ("track", "track")},
        ),
        ("lessons", Lesson, _lessons(), None, {"group": ("group", "group")}),
        (
            "meetings",
            Meeting,
            _meetings(),
            None,
            {"district": ("district", "district"), "activity": ("activity", "activity")},
        ),
        (
            "publications",
            Publication,
            _publications(),
            None,
            {"activity": ("activity", "activity"), "group": ("group", "info_group")},
        ),
        ("partners", Partner, _partners(), None, {}),
        ("indicators", Indicator, _indicators(), None, {"activity": ("activity", "activity")}),
    ]


def run():
    setup_django("registers")
    from django.db import connection

    from birgemiz.models import AuditEntry

    program, schools = _world()
    folder = tempfile.mkdtemp(prefix="birgemiz-bench-registers-")
    print(
        f"{ROWS} rows a register, {connection.vendor}, load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        flush=True,
    )
    table = []
    for name, model, (columns, rows), product_columns, foreign in _registers(schools):
        if ONLY and name not in ONLY:
            continue
        if name == "lessons":
            _lesson_enrollments(program)
        path = os.path.join(folder, f"{name}.csv")
        _write(path, columns, rows, product_columns)
        load = os.getloadavg()[0]
        plain, (plain_first, plain_last) = _plain(model, columns, rows, foreign, program)
        print(
            f"{name}: plain tuned {plain:.1f} s, "
            f"rows/s first/last thousand {plain_first:.0f} / {plain_last:.0f}",
            flush=True,
        )
        extra = ""
        if name == "students":
            dry, _rates, report = _product(name, path, program, dry_run=True)
            assert report.new == ROWS and not model.objects.exists()
            extra = f"dry run {dry:.1f} s"
        audit_before = AuditEntry.objects.count()
        product, (first, last), report = _product(name, path, program)
        assert report.new == ROWS, (report.new, report.updated, report.unchanged)
        assert AuditEntry.objects.filter(model=model._meta.label_lower, action="create").count() == ROWS
        audited = AuditEntry.objects.count() - audit_before
        if name in ("students", "lessons"):
            again, _rates, report = _product(name, path, program)
            assert report.unchanged == ROWS
            extra += f"{', ' if extra else ''}unchanged re-import {again:.1f} s"
        print(
            f"{name}: product {product:.1f} s, rows/s first/last thousand {first:.0f} / {last:.0f}, "
            f"{audited} audit entries{', ' + extra if extra else ''}",
            flush=True,
        )
        table.append((name, product, plain, first, last, plain_first, plain_last, extra, load))
    print(
        "\n| register | rows | product | plain tuned | ratio | product rows/s, first / last thousand "
        "| plain rows/s, first / last | also | load average (1 min) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, product, plain, first, last, plain_first, plain_last, extra, load in table:
        line = (
            f"| {name} | {_n(ROWS)} | {product:.1f} s | {plain:.1f} s | {product / plain:.2f}× "
            f"| {_n(first)} / {_n(last)} | {_n(plain_first)} / {_n(plain_last)} | {extra} | {load:.2f} |"
        )
        print(line, flush=True)


def _n(number):
    return f"{number:,.0f}".replace(",", " ")
