"""The consolidated report: the final report's tables across programmes, summed, with growth
averaged over students (not over programmes)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from birgemiz.models import Publication
from reporting.consolidated import build_consolidated
from reporting.render_xlsx import render_xlsx

from .factories import (
    CourseGroupFactory,
    EnrollmentFactory,
    ProgramFactory,
    PublicationFactory,
    StudentFactory,
    TestResultFactory,
    TrackFactory,
)

URL = "/dashboard/consolidated/"


def program_with(code, scores, *, org=None, sex="M"):
    """A programme with one English track and one student per (pre, post) pair."""
    program = ProgramFactory(code=code, **({"organization": org} if org else {}))
    track = TrackFactory(
        program=program, code="english", name_kk="Ағылшын тілі", name_ru="Английский язык",
        planned_students=10,
    )
    group = CourseGroupFactory(program=program, track=track)
    for pre, post in scores:
        student = StudentFactory(program=program, sex=sex)
        EnrollmentFactory(group=group, student=student)
        TestResultFactory(student=student, program=program, track=track, kind="pre", score=Decimal(pre))
        TestResultFactory(student=student, program=program, track=track, kind="post", score=Decimal(post))
    for month in (3, 3, 4):
        PublicationFactory(program=program, kind=Publication.Kind.POST, date=datetime.date(2020, month, 5))
    return program


@pytest.fixture
def two_programs(db):
    # A: one student, 40 → 60 (growth 20). B: three students, 70 → 80 (growth 10).
    # Over students: pre (40 + 3·70) / 4 = 62.5, post (60 + 3·80) / 4 = 75, growth 12.5.
    # Averaging the two programmes instead would give 15: the report must not.
    small = program_with("small-2020", [(40, 60)])
    big = program_with("big-2020", [(70, 80)] * 3, sex="F")
    return small, big


def test_it_averages_growth_over_students_not_programmes(two_programs):
    report = build_consolidated(two_programs, "kk")
    (row,) = report.growth
    assert row.code == "english"
    assert row.pre.value == 62.5
    assert row.post.value == 75
    assert row.growth.value == 12.5
    assert row.measured.value == 4


def test_it_sums_the_counting_tables(two_programs):
    report = build_consolidated(two_programs, "kk")
    singles = [build_consolidated([p], "kk") for p in two_programs]
    # Participants: 1 student + 1 volunteer, and 3 students + 1 volunteer.
    assert report.participants_total.value == 6 == sum(r.participants_total.value for r in singles)
    # Men: the small programme's student; women: the big one's three and both volunteers.
    assert [c.value for _h, c in report.gender.columns] == [1, 5]
    assert report.gender.column_sum == 6
    assert report.age.column_sum == sum(r.age.column_sum for r in singles)
    (track,) = report.track_indicators
    assert (track.students.value, track.plan_students) == (4, 20)
    assert report.track_totals.students.value == 4
    assert report.title.amount == sum(p.grant_amount for p in two_programs)


def test_it_sums_publications_per_month_against_twice_the_rule(two_programs):
    report = build_consolidated(two_programs, "kk")
    months = {(m.year, m.month): m for m in report.months}
    assert months[(2020, 3)].count.value == 4 and not months[(2020, 3)].under
    # 1 + 1 in April: two programmes need 2 each.
    assert months[(2020, 4)].count.value == 2 and months[(2020, 4)].under


def test_its_xlsx_carries_the_student_weighted_growth(two_programs):
    workbook = load_workbook(io.BytesIO(render_xlsx(build_consolidated(two_programs, "ru"))))
    values = [cell.value for ws in workbook.worksheets for row in ws.iter_rows() for cell in row]
    assert 12.5 in values and 62.5 in values
    assert 15 not in values


# ---------------------------------------------------------------- the view


def consolidate(client, **data):
    """POST the dashboard's consolidated-report form; the job runs (inline in tests) and
    its page offers the file: return that download."""
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"].startswith("/jobs/"), response
    job = client.get(response["Location"]).context["job"]
    assert job.status == "done", job.error
    return client.get(reverse("jobs:download", args=[job.pk]))


def test_it_downloads_xlsx_for_an_officer(client, officer, two_programs):
    client.force_login(officer)
    response = consolidate(client, p=["small-2020", "big-2020"], format="xlsx", lang="kk")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.slow
@pytest.mark.parametrize("lang, word", [("kk", "Ағылшын"), ("ru", "Английский")])
def test_it_downloads_pdf_in_both_languages(client, officer, two_programs, lang, word):
    from pypdf import PdfReader

    client.force_login(officer)
    response = consolidate(client, all="1", format="pdf", lang=lang)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    # Both languages write a decimal comma (birgemiz.numbers.show_number), never «12.5%».
    assert "12,5%" in text and "62,5%" in text
    assert "12.5%" not in text
    assert word in text
    # Every page's footer names the document in its language, as a programme's names its code.
    footer = {"kk": "Жиынтық есеп (2)", "ru": "Сводный отчёт (2)"}[lang]
    assert text.count(footer) == len(PdfReader(io.BytesIO(data)).pages)
    assert "consolidated" not in text


def test_it_only_consolidates_the_coordinators_own_programmes(client, coordinator, program, outsider):
    client.force_login(coordinator)
    response = consolidate(client, p=["test-2020", "other-2020"], format="xlsx")
    assert response.status_code == 200
    assert "-1-kk-" in response["Content-Disposition"]  # one programme: the outsider's is ignored


def test_it_keeps_the_file_for_the_one_who_asked(client, officer, coordinator, two_programs):
    client.force_login(officer)
    job_page = client.post(URL, {"all": "1", "format": "xlsx", "lang": "kk"})["Location"]
    client.force_login(coordinator)
    assert client.get(job_page).status_code == 404


def test_it_redirects_when_nothing_is_selected(client, officer, two_programs):
    client.force_login(officer)
    response = client.post(URL, {"format": "xlsx"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:index")


def test_it_refuses_unknown_formats(client, officer, two_programs):
    client.force_login(officer)
    assert client.post(URL, {"all": "1", "format": "docx"}).status_code == 404
    assert client.post(URL, {"all": "1", "lang": "en"}).status_code == 404


def test_it_is_not_there_for_volunteers(client, volunteer_user, group):
    client.force_login(volunteer_user)
    assert client.post(URL, {"all": "1"}).status_code == 404


def test_it_sends_anonymous_users_to_login(client, db):
    response = client.post(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_builds_the_file_in_a_job_not_on_get(client, officer):
    client.force_login(officer)
    assert client.get(URL).status_code == 405
