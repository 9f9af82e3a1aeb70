"""Register pages in the admin: upload → preview → confirm, scoping, background jobs,
changelist exports as filtered, the export action and the buttons on changelists."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from birgemiz.models import AuditEntry, District, Program, School
from birgemiz.registers.models import ImportJob
from birgemiz.validators import make_iin
from courses.models import Student

from .factories import StudentFactory

HEADER = "Оқушы коды;Тегі;Аты;Жынысы;Сынып;Мектеп\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def school(program):
    district = District.objects.create(region=program.region, name_kk="Бөрлі")
    return School.objects.create(district=district, name="№1 орта мектеп")


def upload(text, name="students.csv"):
    return SimpleUploadedFile(name, ("\ufeff" + text).encode("utf-8"), content_type="text/csv")


def good_file(n=2):
    return HEADER + "".join(f"S{i};Серікова;Айгерім;F;10;№1 орта мектеп\n" for i in range(n))


def post_import(client, program, text, name="students.csv"):
    return client.post(
        reverse("registers:import", args=["students"]),
        {"program": program.code, "file": upload(text, name)},
    )


def test_it_previews_then_writes_on_confirm(client, coordinator, program, school):
    client.force_login(coordinator)
    response = post_import(client, program, good_file(2))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("registers:job", args=[job.pk])
    assert (job.phase, job.status, job.report["new"]) == ("preview", "done", 2)
    assert not Student.objects.exists()

    page = client.get(response.url)
    assert page.status_code == 200
    assert reverse("registers:job-confirm", args=[job.pk]) in page.content.decode()

    response = client.post(reverse("registers:job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.phase, job.status, job.report["written"]) == ("import", "done", True)
    assert Student.objects.filter(program=program).count() == 2
    assert AuditEntry.objects.filter(model="courses.student", user=coordinator, source="import").count() == 2
    assert not job.file  # the upload is not kept once imported


def test_it_shows_every_bad_row_and_offers_no_confirm(client, coordinator, program, school):
    client.force_login(coordinator)
    text = good_file(1) + "S7;Серікова;Айгерім;F;12;№1 орта мектеп\nS8;А;Б;F;10;Жоқ\n"
    post_import(client, program, text)
    job = ImportJob.objects.get()
    page = client.get(reverse("registers:job", args=[job.pk]))
    content = page.content.decode()
    assert reverse("registers:job-confirm", args=[job.pk]) not in content
    assert [e["row"] for e in job.report["errors"]] == [3, 4]
    errors_csv = client.get(reverse("registers:job-errors", args=[job.pk]))
    assert "Жоқ" in errors_csv.content.decode("utf-8-sig")
    assert client.post(reverse("registers:job-confirm", args=[job.pk])).status_code == 302
    assert not Student.objects.exists()


def test_it_refuses_an_officer(client, officer, program, school):
    client.force_login(officer)
    assert client.get(reverse("registers:import", args=["students"])).status_code == 403
    assert post_import(client, program, good_file()).status_code == 403
    assert not ImportJob.objects.exists()


def test_it_refuses_a_coordinator_of_another_organisation(client, outsider, program, school):
    client.force_login(outsider)
    assert post_import(client, program, good_file()).status_code == 404
    assert not Student.objects.exists()


def test_another_coordinator_cannot_see_or_confirm_a_job(client, coordinator, outsider, program, school):
    client.force_login(coordinator)
    post_import(client, program, good_file())
    job = ImportJob.objects.get()
    client.force_login(outsider)
    assert client.get(reverse("registers:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("registers:job-confirm", args=[job.pk])).status_code == 404
    assert not Student.objects.exists()


def test_confirm_is_post_only(client, coordinator, program, school):
    client.force_login(coordinator)
    post_import(client, program, good_file())
    job = ImportJob.objects.get()
    assert client.get(reverse("registers:job-confirm", args=[job.pk])).status_code == 405


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("registers:import", args=["students"]))
    assert response.status_code == 302 and "login" in response.url


def test_an_unknown_register_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("registers:import", args=["nothing"])).status_code == 404


def test_a_running_job_page_refreshes_itself(client, coordinator, program, school):
    client.force_login(coordinator)
    job = ImportJob.objects.create(
        program=program, user=coordinator, register="students", original_name="big.csv", status="running"
    )
    page = client.get(reverse("registers:job", args=[job.pk]))
    assert b'http-equiv="refresh"' in page.content


# ---------------------------------------------------------------- exports


def test_an_officer_takes_no_row_export_of_a_register(client, officer, program, school):
    # #17: officers read and download aggregates; a register's rows carry IINs, phones and
    # minors' birth dates, so neither the register export nor the changelist's gives them.
    iin = make_iin(datetime.date(2005, 5, 1), "M", 17)
    StudentFactory(program=program, school=school, code="S1", iin=iin, phone="+77011234567")
    client.force_login(officer)
    for url, params in (
        (reverse("registers:export", args=["students"]), {"program": program.code, "format": "csv"}),
        (reverse("registers:changelist-export", args=["courses", "student"]), {"_format": "csv"}),
    ):
        response = client.get(url, params)
        assert response.status_code == 403, url
        content = response.content.decode("utf-8", "replace")
        assert iin not in content and "+77011234567" not in content
    index = client.get(reverse("registers:index")).content.decode()
    assert reverse("registers:export", args=["students"]) not in index
    assert reverse("registers:template", args=["students"]) in index


def test_a_coordinator_exports_a_register(client, coordinator, program, school):
    StudentFactory(program=program, school=school, code="S1")
    client.force_login(coordinator)
    response = client.get(
        reverse("registers:export", args=["students"]), {"program": program.code, "format": "csv"}
    )
    assert response.status_code == 200
    assert "S1" in response.content.decode("utf-8-sig")
    index = client.get(reverse("registers:index")).content.decode()
    assert reverse("registers:export", args=["students"]) in index


def test_an_export_outside_scope_is_404(client, outsider, program):
    client.force_login(outsider)
    response = client.get(reverse("registers:export", args=["students"]), {"program": program.code})
    assert response.status_code == 404


def test_a_template_downloads(client, officer):
    client.force_login(officer)
    response = client.get(reverse("registers:template", args=["lessons"]), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_row == 2


def test_the_changelist_exports_as_filtered(client, coordinator, program, school):
    StudentFactory(program=program, school=school, code="S1", grade=9)
    StudentFactory(program=program, school=school, code="S2", grade=10)
    other = Program.objects.create(
        organization=program.organization.__class__.objects.create(name_kk="Басқа"),
        code="x-2020",
        title_kk="x",
        topic_kk="x",
        grant_amount=1,
        start=program.start,
        end=program.end,
        region=program.region,
    )
    StudentFactory(program=other, school=school, code="S3", grade=9)
    client.force_login(coordinator)
    url = reverse("registers:changelist-export", args=["courses", "student"])
    response = client.get(url, {"grade": "9", "_format": "csv"})
    assert response.status_code == 200, response.content[:300]
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("S1;")


def test_the_changelist_has_the_buttons(client, coordinator, program):
    client.force_login(coordinator)
    page = client.get(reverse("admin:courses_student_changelist"))
    assert page.status_code == 200
    content = page.content.decode()
    assert reverse("registers:model-import", args=["courses", "student"]) in content
    assert reverse("registers:changelist-export", args=["courses", "student"]) in content


def test_the_officer_sees_neither_export_nor_import(client, officer, program):
    client.force_login(officer)
    content = client.get(reverse("admin:courses_student_changelist")).content.decode()
    assert reverse("registers:model-import", args=["courses", "student"]) not in content
    assert reverse("registers:changelist-export", args=["courses", "student"]) not in content
    assert reverse("registers:model-template", args=["courses", "student"]) in content


def test_the_export_action_exports_the_selected_rows(client, coordinator, program, school):
    first = StudentFactory(program=program, school=school, code="S1")
    StudentFactory(program=program, school=school, code="S2")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:courses_student_changelist"),
        {"action": "registers_export_selected_csv", "_selected_action": [first.pk]},
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("S1;")
