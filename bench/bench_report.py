"""Final report: time and peak memory of building the demo programme's report as PDF and
as XLSX, then the same for the programme made ten times larger (students, enrollments,
tests and lessons multiplied with bulk_create).

    .venv/bin/python -m bench report
"""

from bench.util import measure, setup_django


def multiply_people(program, factor):
    """Copy every enrolled student (with enrollments and test results) and every lesson of
    the programme `factor - 1` times, so the programme has `factor` times the rows."""
    from assessments.models import TestResult
    from courses.models import Enrollment, Lesson, Student

    students = list(Student.objects.filter(program=program))
    enrollments = list(
        Enrollment.objects.filter(group__program=program).values("group_id", "student_id", "status")
    )
    results = list(
        TestResult.objects.filter(program=program, student__isnull=False).values(
            "track_id", "student_id", "kind", "score", "taken_on", "source"
        )
    )
    lessons = list(Lesson.objects.filter(group__program=program))
    for k in range(1, factor):
        copies = []
        for s in students:
            copies.append(
                Student(
                    program=program,
                    code=f"{s.code}-x{k}",
                    last_name=s.last_name,
                    first_name=s.first_name,
                    middle_name=s.middle_name,
                    sex=s.sex,
                    birth_date=s.birth_date,
                    grade=s.grade,
                    school_id=s.school_id,
                    language=s.language,
                    low_income=s.low_income,
                    disability=s.disability,
                    social_status=s.social_status,
                )
            )
        created = Student.objects.bulk_create(copies, batch_size=1000)
        new_id = {old.id: new.id for old, new in zip(students, created, strict=True)}
        Enrollment.objects.bulk_create(
            [
                Enrollment(group_id=e["group_id"], student_id=new_id[e["student_id"]], status=e["status"])
                for e in enrollments
                if e["student_id"] in new_id
            ],
            batch_size=1000,
        )
        TestResult.objects.bulk_create(
            [TestResult(program=program, **{**r, "student_id": new_id[r["student_id"]]}) for r in results],
            batch_size=1000,
        )
        Lesson.objects.bulk_create(
            [
                Lesson(
                    group_id=le.group_id,
                    date=le.date,
                    hours=le.hours,
                    topic=le.topic,
                    platform=le.platform,
                    status=le.status,
                    reject_reason=le.reject_reason,
                )
                for le in lessons
            ],
            batch_size=1000,
        )


def _time_report(label, program):
    """Wall and CPU time without tracing (tracemalloc slows WeasyPrint several times over),
    then the same work again under `measure` for the peak memory."""
    import time

    from reporting.render_pdf import render_pdf
    from reporting.render_xlsx import render_xlsx
    from reporting.report import build_report

    for fmt, render in (("PDF", render_pdf), ("XLSX", render_xlsx)):
        for lang in ("kk", "ru"):
            wall, cpu = time.perf_counter(), time.process_time()
            data = render(build_report(program, lang))
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(
                f"{label} {fmt} ({lang}), build + render: {wall:.2f} s wall, {cpu:.2f} s CPU, "
                f"{len(data) // 1024} KiB",
                flush=True,
            )
        with measure(f"{label} {fmt} (kk), memory pass"):
            render(build_report(program, "kk"))


def run():
    setup_django("report")
    import io

    from django.core.management import call_command

    from birgemiz.models import Program
    from courses.models import Student

    call_command("load_demo", stdout=io.StringIO())
    program = Program.objects.select_related("organization").get(code="bko-2020")
    # Warm up once (templates, fonts, translations) so the figures are of steady work.
    from reporting.render_pdf import render_pdf
    from reporting.report import build_report

    render_pdf(build_report(program, "kk"))
    print(f"demo programme: {Student.objects.filter(program=program).count()} students", flush=True)
    _time_report("demo", program)
    multiply_people(program, 10)
    print(f"x10 programme: {Student.objects.filter(program=program).count()} students", flush=True)
    _time_report("x10", program)
