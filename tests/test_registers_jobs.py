"""Spreadsheets read with limits, every import as a job (issue 17, item 4 and problems 6,
7, 9): decompression bombs and row counts refused before parsing with the limit named;
the admin's and the quiz's imports run as jobs that can be cancelled; the reader's BOM at
any sample boundary; the product's own CSV over 64 KB and every register's export over
1 MB imported back unchanged; the XLSX export of lists with files and JSON."""

import codecs
import csv
import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from birgemiz import registers
from birgemiz.jobs import live
from birgemiz.jobs.models import Job
from birgemiz.models import District, School
from birgemiz.registers import reader
from birgemiz.registers.engine import export_register, import_file
from birgemiz.registers.models import ImportJob
from birgemiz.registers.tasks import register_import
from courses.models import Enrollment, Lesson, Student
from surveys.models import Answer, SurveyResponse
from surveys.services import identity_key

from . import factories as f

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
HEADER = "Оқушы коды;Тегі;Аты;Жынысы;Сынып;Мектеп\n"


@pytest.fixture(autouse=True)
def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the pages, as the messages below
    with translation.override("en"):
        yield


@pytest.fixture
def school(program):
    district = District.objects.create(region=program.region, name_kk="Бөрлі")
    return School.objects.create(district=district, name="№1 орта мектеп")


def students_csv(n, bom=True):
    body = HEADER + "".join(f"S{i:05d};Серікова;Айгерім;F;10;№1 орта мектеп\n" for i in range(n))
    return (("\ufeff" if bom else "") + body).encode()


def post_import(client, program, data, name="students.csv", key=None):
    payload = {"program": program.code, "file": SimpleUploadedFile(name, data)}
    if key:
        payload["request_key"] = key
    return client.post(reverse("registers:import", args=["students"]), payload)


def bomb(shared_bytes, rows=2):
    """An XLSX of a few KB whose shared strings unpack to `shared_bytes`."""
    book = openpyxl.Workbook()
    for i in range(rows):
        book.active.append([f"r{i}", "x"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/sharedStrings.xml":
                dst.writestr(item, src.read(item.filename))
        with dst.open("xl/sharedStrings.xml", "w") as handle:
            handle.write(
                b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            chunk = b"<si><t>" + b"a" * 1000 + b"</t></si>"
            for _ in range(shared_bytes // len(chunk) + 1):
                handle.write(chunk)
            handle.write(b"</sst>")
    return out.getvalue()


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail if openpyxl is asked to parse: the limits must refuse the file before."""

    def refuse(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr("assessments.quiz_import.load_workbook", refuse)  # imported first
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# ---------------------------------------------------------------- limits (problem 6)


def test_a_decompression_bomb_is_refused_before_parsing_naming_the_limit(
    client, coordinator, program, school, settings, no_parsing
):
    settings.REGISTERS_MAX_SHARED_STRINGS_BYTES = 2 * 1024 * 1024
    data = bomb(3 * 1024 * 1024)
    assert len(data) < 100_000  # a small file...
    client.force_login(coordinator)
    response = post_import(client, program, data, "bomb.xlsx")
    assert response.status_code == 200  # ...refused by the form, nothing queued
    assert "limit of 2 MB" in response.content.decode()
    assert not ImportJob.objects.exists() and not Job.objects.exists()
    report = import_file("students", io.BytesIO(data), "bomb.xlsx", program=program, user=coordinator)
    assert "limit of 2 MB" in report.file_error  # the job's reader checks it again


def test_the_default_limits_stop_an_850_mb_shared_strings_file():
    rows, size, shared = reader.limits()
    assert (rows, size, shared) == (200_000, 300 * 1024 * 1024, 100 * 1024 * 1024)
    assert shared < 850 * 1024 * 1024


def test_a_quiz_bomb_is_refused_before_parsing(client, coordinator, program, track, no_parsing):
    quiz = f.QuizFactory(program=program, track=track)
    client.force_login(coordinator)
    upload = SimpleUploadedFile("questions.xlsx", bomb(11 * 1024 * 1024))
    response = client.post(reverse("assessments:quiz_import", args=[program.code, quiz.pk]), {"file": upload})
    assert response.status_code == 400 and not Job.objects.exists()
    assert "limit of 10 MB" in response.content.decode()


def test_too_many_rows_are_refused_naming_the_limit(program, coordinator, school, settings):
    settings.REGISTERS_MAX_ROWS = 50
    report = import_file("students", io.BytesIO(students_csv(51)), "s.csv", program=program, user=coordinator)
    assert "more than 50 rows" in report.file_error and not Student.objects.exists()
    report = import_file("students", io.BytesIO(students_csv(50)), "s.csv", program=program, user=coordinator)
    assert report.ok and report.new == 50


def test_an_xlsx_declaring_too_many_rows_is_refused_before_parsing(
    program, coordinator, settings, monkeypatch
):
    book = openpyxl.Workbook()
    for i in range(30):
        book.active.append([f"S{i}", "Тегі"])
    out = io.BytesIO()
    book.save(out)
    settings.REGISTERS_MAX_ROWS = 20
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    report = import_file("students", io.BytesIO(out.getvalue()), "s.xlsx", program=program, user=coordinator)
    assert "30 rows, more than the limit of 20 rows" in report.file_error


# ---------------------------------------------------------------- the BOM (problem 7)


@pytest.mark.parametrize("bom", [True, False])
def test_the_reader_handles_a_bom_and_a_letter_cut_at_any_sample_boundary(monkeypatch, bom):
    text = "код;аты\n" + "".join(f"{i};Әлия Сәрсенқызы\n" for i in range(40))
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    for size in range(18, 90):  # every offset inside the two-byte letters of the first rows
        monkeypatch.setattr(reader, "SNIFF_BYTES", size)
        table = reader.open_table(io.BytesIO(data), "x.csv")
        assert table.header == ["код", "аты"], size
        assert [cells for _n, cells in table][-1] == ["39", "Әлия Сәрсенқызы"]


def test_a_cp1251_file_is_still_refused_with_its_line():
    data = "код;аты\n1;Әлия\n".encode() + "2;Иван\n".encode("cp1251")
    with pytest.raises(reader.FileError, match="line 3"):
        reader.open_table(io.BytesIO(data), "x.csv")


def test_the_products_own_csv_over_64_kb_imports_back(program, coordinator, school):
    for i in range(700):
        f.StudentFactory(program=program, school=school, code=f"S{i:04d}", last_name="Сәрсенқызы-Әлиханова")
    out = io.BytesIO()
    export_register("students", "csv", out, program=program)
    assert len(out.getvalue()) > 64 * 1024
    report = import_file("students", io.BytesIO(out.getvalue()), "s.csv", program=program, user=coordinator)
    assert report.ok, report.error_lines()[:3]
    assert report.unchanged == 700


# ---------------------------------------------------------------- every import is a job


def test_an_admin_upload_is_a_job_and_a_double_click_makes_one(client, coordinator, program, school):
    client.force_login(coordinator)
    first = post_import(client, program, students_csv(3), key="d" * 32)
    second = post_import(client, program, students_csv(3), key="d" * 32)
    assert first["Location"] == second["Location"]
    import_job = ImportJob.objects.get()
    assert import_job.job.kind == "register-import" and import_job.job.status == "done"
    page = client.get(first["Location"])
    key = page.context["request_key"]
    confirm = reverse("registers:job-confirm", args=[import_job.pk])
    client.post(confirm, {"request_key": key})
    client.post(confirm, {"request_key": key})  # the reload of the confirm
    assert Student.objects.count() == 3 and Job.objects.count() == 2


def test_a_quiz_import_is_a_job(client, coordinator, program, track):
    from .test_online_tests_pages import HEADER as QUIZ_HEADER
    from .test_online_tests_pages import _xlsx

    quiz = f.QuizFactory(program=program, track=track)
    client.force_login(coordinator)
    upload = _xlsx([QUIZ_HEADER, ["single", 1, "", "Сұрақ", "", "A", None, "иә", "", "жоқ"]])
    response = client.post(reverse("assessments:quiz_import", args=[program.code, quiz.pk]), {"file": upload})
    job = Job.objects.get(kind="quiz-import")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == "done" and quiz.questions.count() == 1
    assert not job.input_file  # the upload is not kept once imported


@override_settings(TASKS=DUMMY)
def test_a_running_import_can_be_cancelled_and_writes_nothing(client, coordinator, program, school):
    client.force_login(coordinator)
    post_import(client, program, students_csv(5))
    import_job = ImportJob.objects.get()
    import_job.phase = "import"
    import_job.save()
    job = import_job.job
    page = client.get(reverse("registers:job", args=[import_job.pk]))
    assert reverse("registers:job-cancel", args=[import_job.pk]) in page.content.decode()
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1)  # the worker has it
    client.post(reverse("registers:job-cancel", args=[import_job.pk]))
    assert live.cancel_requested(job.pk)
    Job.objects.filter(pk=job.pk).update(status="queued", attempts=0)
    name = import_job.file.name
    assert register_import.call(str(job.pk)) == "cancelled"
    import_job.refresh_from_db()
    assert import_job.status == "cancelled" and not Student.objects.exists()
    assert not default_storage.exists(name)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}})
def test_a_waiting_import_says_when_no_worker_runs(client, coordinator, program, school):
    from django.utils import timezone

    from birgemiz.jobs.models import WorkerBeat

    client.force_login(coordinator)
    url = post_import(client, program, students_csv(2))["Location"]
    assert ImportJob.objects.get().status == "queued"  # in the database queue, no worker yet
    assert "registers-no-worker" in client.get(url).content.decode()
    WorkerBeat.objects.create(worker_id="w", seen_at=timezone.now())
    assert "registers-no-worker" not in client.get(url).content.decode()


# ---------------------------------------------------------------- exports (item 9)


def test_the_xlsx_export_of_evidence_audit_trail_and_meetings_works(client, program):
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from volunteers.models import CouncilMeeting

    from .admin_data import populate

    populate(program, 2)
    meeting = CouncilMeeting(program=program, number=1, date=datetime.date(2020, 4, 1), agenda="Өтінімдер")
    meeting.minutes.save("minutes.pdf", ContentFile(b"%PDF-1.4"), save=True)
    root = get_user_model().objects.create_superuser("root", "root@example.kz", "root-password-long")
    client.force_login(root)
    for app, model in (
        ("birgemiz", "evidence"),
        ("birgemiz", "auditentry"),
        ("volunteers", "councilmeeting"),
    ):
        response = client.get(reverse("registers:changelist-export", args=[app, model]), {"_format": "xlsx"})
        assert response.status_code == 200, model
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert sheet.max_row >= 2, model


# ---------------------------------------------------------------- round trips over 1 MB


LONG = "Сәрсенбайқызы-Әбілқайырова"  # 26 letters, two bytes each


def _text(n, i):
    return (f"{i} " + LONG * (n // len(LONG) + 1))[:n]


def _names(i):
    return {"last_name": _text(95, i), "first_name": _text(95, i), "middle_name": _text(95, i)}


def _fill(program, school, track):
    group = f.CourseGroupFactory(program=program, track=track, name="Ағылшын-үлкен")
    students = Student.objects.bulk_create(
        Student(
            program=program,
            code=f"B{i:05d}",
            **_names(i),
            sex="F",
            birth_date=datetime.date(2005, 5, 1),
            grade=10,
            school=school,
        )
        for i in range(1900)
    )
    Enrollment.objects.bulk_create(Enrollment(group=group, student=s) for s in students)
    from assessments.models import TestResult

    TestResult.objects.bulk_create(
        TestResult(student=s, program=program, track=track, kind="pre", score=50) for s in students
    )
    from volunteers.models import Volunteer, VolunteerApplication

    Volunteer.objects.bulk_create(
        Volunteer(
            program=program,
            **_names(i),
            email=f"v{i}@example.kz",
            sex="F",
            birth_date=datetime.date(2000, 1, 15),
            occupation=_text(190, i),
            education=_text(190, i),
            track=track,
        )
        for i in range(1100)
    )
    VolunteerApplication.objects.bulk_create(
        VolunteerApplication(
            program=program,
            last_name="Үміткер",
            first_name="Дана",
            email=f"a{i}@example.kz",
            sex="F",
            track=track,
            consent=True,
            motivation=_text(5000, i),
        )
        for i in range(120)
    )
    Lesson.objects.bulk_create(
        Lesson(
            group=group,
            date=datetime.date(2020, 6, 1) + datetime.timedelta(days=i),
            hours=2,
            topic="Present Simple",
            notes=_text(5000, i),
        )
        for i in range(120)
    )
    from birgemiz.models import Indicator, Meeting, Partner, Publication

    Meeting.objects.bulk_create(
        Meeting(
            program=program,
            date=datetime.date(2020, 3, 10),
            place=_text(290, i),
            audience=_text(290, i),
            participants=10,
        )
        for i in range(1000)
    )
    Publication.objects.bulk_create(
        Publication(
            program=program,
            kind="post",
            outlet="Qazvolunteer.kz",
            title=_text(490, i),
            date=datetime.date(2020, 8, 15),
            url=f"https://example.kz/news/{i}",
        )
        for i in range(1100)
    )
    Partner.objects.bulk_create(
        Partner(program=program, name=f"Серіктес {i}", note=_text(5000, i)) for i in range(120)
    )
    activity = f.ActivityFactory(task=f.TaskFactory(program=program, number=1), number=1)
    Indicator.objects.bulk_create(
        Indicator(
            activity=activity,
            order=i,
            name_kk=_text(5000, i),
            name_ru=_text(5000, i),
            comparator="at_least",
            target_value=10,
        )
        for i in range(60)
    )
    # The set-up registers (issue #13).
    from birgemiz.models import Activity, School, Subject, Task, Track
    from volunteers.models import CouncilMember

    tasks = Task.objects.bulk_create(
        Task(program=program, number=i + 2, title_kk=_text(5000, i)) for i in range(250)
    )
    Activity.objects.bulk_create(
        Activity(task=tasks[0], number=i + 1, title_kk=_text(5000, i)) for i in range(250)
    )
    School.objects.bulk_create(
        School(district=school.district, name=_text(290, i), settlement=_text(190, i)) for i in range(2500)
    )
    Track.objects.bulk_create(
        Track(program=program, code=f"t{i}", name_kk=_text(190, i), name_ru=_text(190, i))
        for i in range(3000)
    )
    Subject.objects.bulk_create(
        Subject(track=track, name_kk=_text(190, i), name_ru=_text(190, i)) for i in range(3000)
    )
    from courses.models import CourseGroup

    CourseGroup.objects.bulk_create(
        CourseGroup(
            program=program,
            track=track,
            volunteer=group.volunteer,
            name=_text(190, i),
            schedule=_text(190, i),
        )
        for i in range(3000)
    )
    CouncilMember.objects.bulk_create(
        CouncilMember(program=program, full_name=_text(190, i), workplace_position=_text(390, i))
        for i in range(2000)
    )
    survey = f.SurveyFactory(program=program, code="big-2020")
    wish = f.QuestionFactory(survey=survey, code="wish", kind="text", text_kk="Тілегіңіз", required=False)
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey,
            code=f"R{i:05d}",
            last_name=_text(95, i),
            first_name=_text(95, i),
            school=school,
            district=school.district,
            identity_key=identity_key(last_name=_text(95, i), first_name=_text(95, i), school_id=school.pk),
        )
        for i in range(1300)
    )
    Answer.objects.bulk_create(Answer(response=r, question=wish, text=_text(300, r.pk)) for r in responses)


@pytest.fixture
def big_program(program, school, track):
    _fill(program, school, track)
    return program


@pytest.mark.slow
def test_every_registers_export_over_1_mb_imports_back_unchanged(big_program, coordinator):
    checked = []
    for name in registers.names():
        out = io.BytesIO()
        export_register(name, "csv", out, program=big_program)
        data = out.getvalue()
        rows = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")) - 1
        assert len(data) > 1024 * 1024, (name, len(data))
        report = import_file(
            name, io.BytesIO(data), f"{name}.csv", program=big_program, user=coordinator, dry_run=True
        )
        assert report.ok, (name, report.error_lines()[:3])
        assert (report.new, report.updated, report.unchanged) == (0, 0, rows), name
        checked.append(name)
    assert set(checked) == set(registers.names())
