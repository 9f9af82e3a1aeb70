"""50 000 survey responses from one spreadsheet: import, re-import unchanged, and XLSX.

Target (issue 5): under 60 s, aim 20 s, with flat memory. The file is written to
disk first and streamed by the importer, as the command line and the admin do.
"""

import contextlib
import csv
import datetime
import io
import os
import resource
import tempfile
import time

from bench.util import setup_django

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))


def _rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def measure(label):
    """Wall and CPU time, and the RSS before and after. Not bench.util.measure: tracemalloc
    slows an allocation-heavy import several times over, which is not what a user waits."""
    box = {}
    rss_before = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    yield box
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = f"{label}: {elapsed:.1f} s (CPU {cpu:.1f} s), RSS {rss_before:.0f} → {_rss_mb():.0f} MiB"
    line += f", max {peak:.0f} MiB"
    for key, value in box.items():
        line += f", {key} {value}"
    print(line, flush=True)


def _world():
    from birgemiz.models import District, Organization, Program, Region, School
    from surveys.models import Choice, Question, Survey

    region = Region.objects.create(code="bko", name_kk="Батыс Қазақстан облысы")
    org = Organization.objects.create(name_kk="«Жас қанат» ЖҚБ")
    program = Program.objects.create(
        organization=org,
        code="bench-2020",
        title_kk="Бағдарлама",
        topic_kk="Тақырып",
        grant_amount=1,
        start=datetime.date(2020, 3, 1),
        end=datetime.date(2020, 11, 30),
        region=region,
    )
    schools = []
    for d in range(12):
        district = District.objects.create(region=region, name_kk=f"Аудан {d}")
        for s in range(20):
            schools.append(School.objects.create(district=district, name=f"№{s + 1} орта мектеп"))
    survey = Survey.objects.create(program=program, code="needs-2020", title_kk="Сауалнама")
    track = Question.objects.create(survey=survey, code="track", kind="single", text_kk="Бағыт")
    for value in ("english", "it", "unt", "law", "olympiad"):
        Choice.objects.create(question=track, value=value, text_kk=value.title())
    subjects = Question.objects.create(survey=survey, code="subjects", kind="multiple", text_kk="Пәндер")
    for value in ("math", "physics", "history"):
        Choice.objects.create(question=subjects, value=value, text_kk=value.title())
    Question.objects.create(survey=survey, code="wish", kind="text", text_kk="Тілек", required=False)
    return program, schools


def _write_file(path, schools, rows):
    header = [
        "survey code",
        "response code",
        "last name",
        "first name",
        "sex",
        "birth date",
        "grade",
        "district",
        "school",
        "phone",
        "Бағыт",
        "Пәндер",
        "Тілек",
    ]
    tracks = ("english", "it", "unt", "law", "olympiad")
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for i in range(rows):
            school = schools[i % len(schools)]
            writer.writerow(
                [
                    "needs-2020",
                    f"R{i:06d}",
                    f"Тегі{i}",
                    "Аты",
                    "F" if i % 3 else "M",
                    f"{1 + i % 28:02d}.{1 + i % 12:02d}.2005",
                    8 + i % 4,
                    school.district.name_kk,
                    school.name,
                    f"+7701{i:07d}",
                    tracks[i % 5],
                    "math; physics" if i % 2 else "history",
                    "көбірек сабақ",
                ]
            )


def run():
    setup_django("import")
    from birgemiz.registers.engine import export_register, import_file
    from surveys.models import Answer, SurveyResponse

    program, schools = _world()
    folder = tempfile.mkdtemp(prefix="birgemiz-bench-import-")
    path = os.path.join(folder, "responses.csv")
    _write_file(path, schools, ROWS)
    size_mb = os.path.getsize(path) / 2**20

    with measure(f"import {ROWS} survey responses from CSV ({size_mb:.1f} MB)") as box:
        with open(path, "rb") as handle:
            report = import_file("survey-responses", handle, path, program=program, user=None)
        box["new"] = report.new
        box["errors"] = len(report.errors)
    assert report.ok and report.new == ROWS, report.error_lines()[:5]
    print(f"  responses {SurveyResponse.objects.count()}, answers {Answer.objects.count()}", flush=True)

    with measure(f"re-import the same {ROWS} rows (all unchanged)") as box:
        with open(path, "rb") as handle:
            report = import_file("survey-responses", handle, path, program=program, user=None)
        box["unchanged"] = report.unchanged
    assert report.ok and report.unchanged == ROWS

    xlsx_path = os.path.join(folder, "responses.xlsx")
    with measure(f"export {ROWS} survey responses to XLSX"):
        with open(xlsx_path, "wb") as out:
            export_register("survey-responses", "xlsx", out, program=program)

    with measure(f"check (dry run) {ROWS} survey responses from that XLSX") as box:
        with open(xlsx_path, "rb") as handle:
            report = import_file(
                "survey-responses", handle, xlsx_path, program=program, user=None, dry_run=True
            )
        box["unchanged"] = report.unchanged
    assert report.ok and report.unchanged == ROWS

    # One bad row among them: nothing is written, the row is named.
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    bad = text.replace(f"R{ROWS - 1:06d};", f"R{ROWS - 1:06d}X;").replace(";8;Аудан", ";12;Аудан", 1)
    with measure(f"import {ROWS} rows with one bad grade (all or nothing)") as box:
        report = import_file(
            "survey-responses", io.BytesIO(bad.encode("utf-8")), "bad.csv", program=program, user=None
        )
        box["errors"] = len(report.errors)
    assert not report.written and report.errors
