"""Final report: time and peak memory of building the demo programme's report as PDF and
as XLSX, then the same for the programme made ten times larger (students, enrollments,
tests and lessons multiplied with bulk_create).

Side by side in the same run, the demo PDF against the time WeasyPrint alone needs to lay
out the report's own finished HTML (`render_html` of the same report, rendered once
beforehand): everything the product adds to the layout (reading the data, building the
structure, the checks, the template) must stay within 1.3 times that.

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


OVERHEAD_LIMIT = 1.3


def _side_by_side(program, runs=5):
    """Median time of the whole PDF (build + template + layout) and of the layout of its
    finished HTML alone, alternating, per language; returns the worst ratio. The ratio is
    of CPU time (this process's own, so other work on the machine does not tilt it); wall
    time is printed beside it."""
    import os
    import statistics
    import time

    from birgemiz.pdf import html_to_pdf
    from reporting.render_pdf import render_html, render_pdf
    from reporting.report import build_report

    def timed(work):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        return time.perf_counter() - wall, time.process_time() - cpu

    worst = 0.0
    for lang in ("kk", "ru"):
        html = render_html(build_report(program, lang))
        whole, layout = [], []
        for _ in range(runs):
            whole.append(timed(lambda: render_pdf(build_report(program, lang))))  # noqa: B023
            layout.append(timed(lambda: html_to_pdf(html)))  # noqa: B023
        (w_wall, w_cpu), (l_wall, l_cpu) = (
            [statistics.median(t[i] for t in times) for i in (0, 1)] for times in (whole, layout)
        )
        ratio = w_cpu / l_cpu
        worst = max(worst, ratio)
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"demo PDF ({lang}) vs the layout of its finished HTML, median of {runs}: "
            f"CPU {w_cpu:.2f} s vs {l_cpu:.2f} s = {ratio:.2f}× (limit {OVERHEAD_LIMIT}×); "
            f"wall {w_wall:.2f} s vs {l_wall:.2f} s = {w_wall / l_wall:.2f}×; load average {load}",
            flush=True,
        )
    return worst


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

    # --reset: on a database given by DATABASE_URL, a programme left ten times larger by
    # an earlier run is loaded again as the demo.
    call_command("load_demo", reset=True, stdout=io.StringIO())
    program = Program.objects.select_related("organization").get(code="bko-2020")
    # Warm up once (templates, fonts, translations) so the figures are of steady work.
    from reporting.render_pdf import render_pdf
    from reporting.report import build_report

    render_pdf(build_report(program, "kk"))
    print(f"demo programme: {Student.objects.filter(program=program).count()} students", flush=True)
    worst = _side_by_side(program)
    if worst > OVERHEAD_LIMIT:
        print(f"!! the demo PDF takes {worst:.2f}× the layout of its HTML (limit {OVERHEAD_LIMIT}×)")
    _time_report("demo", program)
    multiply_people(program, 10)
    print(f"x10 programme: {Student.objects.filter(program=program).count()} students", flush=True)
    _time_report("x10", program)
