"""20 000 students through the product's register and, in the same run and on the same rows,
through a plain tuned django-import-export `ModelResource`.

Issue 18's targets: the students file in ≤ 20 s, the last thousand rows within 20 % of the
first thousand's rate (linear), a dry run no slower than the import, a re-import of the same
file ≤ 10 s, and the product within 2× of the plain resource. The plain resource is tuned as
the issue measured it (`use_bulk`, `skip_diff`, `force_init_instance`, schools cached in a
dictionary); it validates nothing and writes no audit entries, the product does both.

`python -m bench registers`; BENCH_REGISTERS_ROWS changes the size; DATABASE_URL picks the
database (a throwaway SQLite file by default; for PostgreSQL an empty database, e.g.
`createdb -h 127.0.0.1 -U postgres birgemiz_bench_registers` and
DATABASE_URL=postgres://postgres@127.0.0.1:5432/birgemiz_bench_registers). Each step's
rate per thousand rows is printed: a single thousand is noisy (a garbage collection, another
process), so look at the whole curve for the shape.
"""

import datetime
import os
import tempfile
import time

from bench.util import setup_django

ROWS = int(os.environ.get("BENCH_REGISTERS_ROWS", "20000"))
HEADER = ["code", "last name", "first name", "IIN", "sex", "birth date", "grade", "school", "district"]


def _program(code):
    from birgemiz.models import Organization, Program, Region

    region = Region.objects.get_or_create(code="bko", defaults={"name_kk": "Батыс Қазақстан облысы"})[0]
    org = Organization.objects.get_or_create(name_kk="«Жас қанат» ЖҚБ")[0]
    return Program.objects.create(
        organization=org,
        code=code,
        title_kk="Бағдарлама",
        topic_kk="Тақырып",
        grant_amount=1,
        start=datetime.date(2020, 3, 1),
        end=datetime.date(2020, 11, 30),
        region=region,
    )


def _schools(region):
    from birgemiz.models import District, School

    schools = []
    for d in range(12):
        district = District.objects.create(region=region, name_kk=f"Аудан {d}")
        for s in range(20):
            schools.append(School.objects.create(district=district, name=f"№{s + 1} орта мектеп"))
    return schools


def _rows(schools, count):
    """Valid, distinct IINs that agree with the birth date and sex (500 a birth date)."""
    from birgemiz.validators import make_iin

    for i in range(count):
        born = datetime.date(2004, 1, 1) + datetime.timedelta(days=i // 500)
        sex = "F" if i % 2 else "M"
        school = schools[i % len(schools)]
        yield [
            f"S{i:06d}",
            f"Тегі{i}",
            "Аты",
            make_iin(born, sex, (i % 500) * 10 + 1),
            sex,
            born.strftime("%d.%m.%Y"),
            8 + i % 4,
            school.name,
            school.district.name_kk,
        ]


def _write(path, rows):
    with open(path, "w", encoding="utf-8-sig") as handle:
        handle.write(";".join(HEADER) + "\n")
        for row in rows:
            handle.write(";".join(str(c) for c in row) + "\n")


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
        """Rows per second of each step between marks (a thousand rows each)."""
        return [
            round((r1 - r0) / max(t1 - t0, 1e-9))
            for (r0, t0), (r1, t1) in zip(self.marks, self.marks[1:], strict=False)
            if r1 > r0
        ]

    def first_last(self, total):
        (r0, t0), (r1, t1) = self.at(0), self.at(1000)
        (r2, t2), (r3, t3) = self.at(total - 1000), self.at(total)
        return (r1 - r0) / max(t1 - t0, 1e-9), (r3 - r2) / max(t3 - t2, 1e-9)


def _product(path, program, dry_run=False):
    from birgemiz.registers.engine import import_file

    rates = Rates()
    with open(path, "rb") as handle:
        report = import_file(
            "students", handle, path, program=program, user=None, dry_run=dry_run, progress=rates.mark
        )
    elapsed = time.perf_counter() - rates.start
    assert report.ok, report.error_lines()[:5]
    print("  rows/s per thousand:", rates.curve())
    return elapsed, rates.first_last(ROWS), report


def _plain_resource(program):
    from import_export import fields, resources, widgets

    from birgemiz.models import School
    from courses.models import Student

    schools = {(s.district.name_kk, s.name): s for s in School.objects.select_related("district")}

    class SchoolWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return schools[(row["district"], value)]

    class PlainStudentResource(resources.ModelResource):
        school = fields.Field(attribute="school", column_name="school", widget=SchoolWidget())

        class Meta:
            model = Student
            fields = ("code", "last_name", "first_name", "iin", "sex", "birth_date", "grade", "school")
            import_id_fields = ("code",)
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            force_init_instance = True

        def before_save_instance(self, instance, row, **kwargs):
            instance.program = program

        def after_import_row(self, row, row_result, **kwargs):
            self.done = getattr(self, "done", 0) + 1
            if self.done % 1000 == 0:
                self.rates.mark(self.done)

    return PlainStudentResource()


def _plain(path, program):
    import tablib

    with open(path, encoding="utf-8-sig") as handle:
        lines = [line.rstrip("\n").split(";") for line in handle]
    # The default DateWidget reads ISO dates.
    rows = [
        r[:5] + [datetime.datetime.strptime(r[5], "%d.%m.%Y").date().isoformat()] + r[6:] for r in lines[1:]
    ]
    dataset = tablib.Dataset(*rows, headers=[h.replace(" ", "_") for h in lines[0]])
    dataset.headers = [
        "code",
        "last_name",
        "first_name",
        "iin",
        "sex",
        "birth_date",
        "grade",
        "school",
        "district",
    ]
    resource = _plain_resource(program)
    rates = Rates()
    resource.rates = rates
    result = resource.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
    elapsed = time.perf_counter() - rates.start
    assert not result.has_errors() and not result.has_validation_errors()
    return elapsed, rates.first_last(ROWS)


def run():
    setup_django("registers")
    from django.db import connection

    from birgemiz.models import AuditEntry
    from courses.models import Student

    product_program = _program("bench-product")
    plain_program = _program("bench-plain")
    schools = _schools(product_program.region)
    folder = tempfile.mkdtemp(prefix="birgemiz-bench-registers-")
    path = os.path.join(folder, "students.csv")
    _write(path, _rows(schools, ROWS))
    print(f"{ROWS} students, {connection.vendor}, load average {os.getloadavg()[0]:.2f}", flush=True)

    dry, (dry_first, dry_last), report = _product(path, product_program, dry_run=True)
    assert report.new == ROWS and not Student.objects.exists()
    print(f"product dry run:  {dry:6.1f} s, rows/s first/last thousand {dry_first:.0f} / {dry_last:.0f}")
    product, (first, last), report = _product(path, product_program)
    assert report.new == ROWS == Student.objects.filter(program=product_program).count()
    assert AuditEntry.objects.filter(model="courses.student", action="create").count() == ROWS
    print(f"product import:   {product:6.1f} s, rows/s first/last thousand {first:.0f} / {last:.0f}")
    again, _rates, report = _product(path, product_program)
    assert report.unchanged == ROWS
    print(f"product re-import (unchanged): {again:6.1f} s")
    plain, (plain_first, plain_last) = _plain(path, plain_program)
    assert Student.objects.filter(program=plain_program).count() == ROWS
    print(
        f"plain tuned:      {plain:6.1f} s, rows/s first/last thousand {plain_first:.0f} / {plain_last:.0f}"
    )
    print(
        f"| students | {ROWS} | {product:.1f} s | {plain:.1f} s | {product / plain:.2f}× "
        f"| {first:.0f} / {last:.0f} | dry run {dry:.1f} s, re-import {again:.1f} s |",
        flush=True,
    )
