"""The final report on a small factory-built programme: structure, checks, renderers, query
budget, the report page, issuing and downloads, the export command."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from birgemiz.models import Activity, Meeting, Publication
from courses.models import Student
from reporting import metrics
from reporting.models import IssuedReport
from reporting.numwords import amount_in_words, kk_words, ru_words
from reporting.render_pdf import render_pdf
from reporting.render_xlsx import render_xlsx
from reporting.report import build_report
from reporting.units import MEETING, plan_units

from .factories import MeetingFactory, ProgramFactory, PublicationFactory, UserFactory
from .report_data import add_people, build_report_program, report_groups


@pytest.fixture
def rprogram(program):
    return build_report_program(program)


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text.replace("\xa0", " "))


def check(report, code):
    return next(c for c in report.checks if c.code == code)


# ---------------------------------------------------------------- numbers in words


@pytest.mark.parametrize(
    "n, kk, ru",
    [
        (0, "нөл", "ноль"),
        (1, "бір", "один"),
        (12, "он екі", "двенадцать"),
        (100, "бір жүз", "сто"),
        (1000, "бір мың", "одна тысяча"),
        (2002, "екі мың екі", "две тысячи два"),
        (21000, "жиырма бір мың", "двадцать одна тысяча"),
        (114000, "бір жүз он төрт мың", "сто четырнадцать тысяч"),
        (1000000, "бір миллион", "один миллион"),
        (3000000, "үш миллион", "три миллиона"),
        (
            15337100,
            "он бес миллион үш жүз отыз жеті мың бір жүз",
            "пятнадцать миллионов триста тридцать семь тысяч сто",
        ),
        (2000000000, "екі миллиард", "два миллиарда"),
    ],
)
def test_it_spells_numbers_in_kazakh_and_russian(n, kk, ru):
    assert kk_words(n) == kk
    assert ru_words(n) == ru


def test_it_writes_the_grant_amount_as_the_seed_does():
    assert amount_in_words(15337100, "kk").replace("\xa0", " ") == (
        "15 337 100 (он бес миллион үш жүз отыз жеті мың бір жүз) теңге"
    )
    assert amount_in_words(15337100, "ru").replace("\xa0", " ") == (
        "15 337 100 (пятнадцать миллионов триста тридцать семь тысяч сто) тенге"
    )


def test_it_refuses_negative_amounts():
    with pytest.raises(ValueError):
        kk_words(-1)


# ---------------------------------------------------------------- the structure


def test_it_computes_participants_per_track_from_records(rprogram):
    report = build_report(rprogram, "kk")
    english = report.tasks[1].activities[0]
    assert [c.value for c in english.participants] == [2, 3]  # volunteers, students
    assert english.categories == ["Волонтерлер", "Қатысушылар"]
    monitoring = report.tasks[3].activities[0]
    assert [c.value for c in monitoring.participants] == [6, 4]
    assert report.tasks[0].activities[0].participants[0].value == 21  # 7 + 8 + 2 × 3
    assert report.tasks[3].activities[1].participants[0].value == 35  # typed


def test_it_computes_growth_over_students_with_both_tests(rprogram):
    report = build_report(rprogram, "kk")
    english = report.growth[0]
    # pre 50, 40, 50 → 46.67; post 80, 70, 80 → 76.67
    assert english.measured.value == 3
    assert round(english.pre.value, 1) == 46.7
    assert round(english.post.value, 1) == 76.7
    assert english.growth.value == 30
    assert english.hours == "48 сағат"
    assert build_report(rprogram, "ru").growth[1].hours == "8 часов"


def test_it_marks_facts_that_miss_their_plan(rprogram):
    from birgemiz.models import Indicator

    ind = Indicator.objects.get(name_kk="Кездесулер саны")
    ind.target_value = 100
    ind.save()
    report = build_report(rprogram, "kk")
    row = report.plan_fact[0].activities[0].rows[0]
    assert row.fact.value == 4 and row.met is False
    assert not check(report, "fact_misses_plan").ok


def test_it_prefers_a_typed_fact_to_a_metric(rprogram):
    from birgemiz.models import Indicator

    ind = Indicator.objects.get(name_kk="Кездесулер саны")
    ind.fact_value = 9
    ind.save()
    row = build_report(rprogram, "kk").plan_fact[0].activities[0].rows[0]
    assert row.fact.value == 9 and not row.fact.links


def test_it_words_direct_beneficiaries_as_the_seed_does(rprogram):
    kk = build_report(rprogram, "kk").socio[0]
    ru = build_report(rprogram, "ru").socio[0]
    assert kk.fact.display == "6 оның ішінде аз қамтылған отбасынан 2"
    assert ru.fact.display == "6, из них из малообеспеченных семей 2"
    assert kk.fact.url  # links to the students it counts


def test_it_counts_participant_breakdowns(rprogram):
    report = build_report(rprogram, "kk")
    assert report.participants_total.value == 10  # 6 students + 4 volunteers
    assert [c.value for _h, c in report.gender.columns] == [5, 5]
    assert sum(c.value for _h, c in report.status.columns) == 10
    ages = [c.value for _h, c in report.age.columns]
    assert ages[0] == 6  # students born 2005: 15 on 30.11.2020
    assert sum(ages) == 10
    assert all(c.ok for c in report.checks if c.code.endswith("_sum"))


def test_it_flags_months_under_two_publications(rprogram):
    report = build_report(rprogram, "kk")
    months = {(m.year, m.month): m for m in report.months}
    assert len(months) == 9  # March–November
    assert months[(2020, 8)].count.value == 2 and not months[(2020, 8)].under
    assert months[(2020, 3)].under
    assert not check(report, "months_under").ok


def test_it_fires_a_check_when_a_breakdown_stops_summing(rprogram):
    assert check(build_report(rprogram, "kk"), "age_sum").ok
    student = Student.objects.filter(program=rprogram).first()
    student.birth_date = None
    student.save()
    report = build_report(rprogram, "kk")
    assert not check(report, "age_sum").ok
    assert "9" in check(report, "age_sum").detail
    no_bd = check(report, "no_birth_date")
    assert not no_bd.ok
    assert any(str(student.pk) in link.url for link in no_bd.links)


def test_it_lists_students_without_both_tests(rprogram):
    from assessments.models import TestResult

    TestResult.objects.filter(kind="post").first().delete()
    report = build_report(rprogram, "kk")
    failed = check(report, "tests_missing")
    assert not failed.ok
    assert failed.items and failed.items[0].url.startswith("/admin/courses/student/")


def test_it_lists_plans_without_facts_and_rows_without_plans(rprogram):
    from birgemiz.models import Indicator

    Indicator.objects.create(activity=Indicator.objects.first().activity, name_kk="Жоспарсыз")
    Indicator.objects.create(
        activity=Indicator.objects.first().activity, name_kk="Фактісіз", target_text_kk="Кемінде 3"
    )
    report = build_report(rprogram, "kk")
    assert not check(report, "no_plan").ok
    assert not check(report, "plan_no_fact").ok


def test_it_builds_the_report_in_a_fixed_number_of_queries(rprogram):
    build_report(rprogram, "kk")  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as small:
        build_report(rprogram, "kk")
    add_people(rprogram, report_groups(rprogram), students_per_track=6)
    with CaptureQueriesContext(connection) as doubled:
        report = build_report(rprogram, "kk")
    assert report.participants_total.value > 20
    assert len(doubled) == len(small)
    assert len(small) <= 60


# ---------------------------------------------------------------- renderers


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_it_renders_a_pdf_with_one_embedded_font_and_the_real_page_count(rprogram, lang):
    report = build_report(rprogram, lang)
    reader, text = pdf_text(render_pdf(report))
    pages = len(reader.pages)
    if lang == "kk":
        assert "ҚОРЫТЫНДЫ БАҒДАРЛАМАЛЫҚ ЕСЕП" in text
        assert "15 337 100 (он бес миллион үш жүз отыз жеті мың бір жүз) теңге" in text
        assert f"Есеп беттерінің жалпы саны: {pages} бет." in text
        assert "Өсім деңгейі" in text
    else:
        assert "ИТОГОВЫЙ ПРОГРАММНЫЙ ОТЧЕТ" in text
        assert "(пятнадцать миллионов триста тридцать семь тысяч сто) тенге" in text
        assert f"Общее количество страниц отчета: {pages} стр." in text
    assert f"1 / {pages}" in text and f"{pages} / {pages}" in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts <= {"BirgemizSans", "BirgemizSans-Bold"}
    # Landscape pages for the wide tables, portrait for the rest.
    shapes = {page.mediabox.width > page.mediabox.height for page in reader.pages}
    assert shapes == {True, False}


def test_it_puts_the_warnings_into_the_pdf_annex(rprogram):
    report = build_report(rprogram, "kk")
    assert report.warnings
    _reader, text = pdf_text(render_pdf(report))
    assert "Сәйкессіздіктер тізімі" in text
    assert report.warnings[0].title in text


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_it_renders_an_xlsx_with_numbers_as_numbers(rprogram, lang):
    report = build_report(rprogram, lang)
    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    assert len(wb.sheetnames) == 14
    growth = wb.worksheets[3]
    assert growth["A1"].font.b and growth.freeze_panes == "A2"
    assert growth["G2"].value == 3 and growth["F2"].value == 30
    stats = wb.worksheets[7]
    values = [c.value for row in stats.iter_rows() for c in row]
    assert 10 in values  # the participant total, as a number
    title = wb.worksheets[0]
    assert title["B5"].value == 15337100
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth == 1
    assert wb.worksheets[4].page_setup.orientation == "landscape"


def test_it_never_turns_typed_text_into_a_formula(rprogram):
    wb = load_workbook(io.BytesIO(render_xlsx(build_report(rprogram, "kk"))))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    info = wb.worksheets[5]
    texts = [c.value for row in info.iter_rows() for c in row if isinstance(c.value, str)]
    assert any('=HYPERLINK("http://x")' in t for t in texts)
    partners = wb.worksheets[9]
    assert "+7 Медиа" in [c.value for row in partners.iter_rows() for c in row]


# ---------------------------------------------------------------- the page and issuing


def test_it_shows_the_report_page_to_an_officer_with_links_to_rows(client, officer, rprogram):
    client.force_login(officer)
    response = client.get(reverse("reporting:report", args=[rprogram.code]) + "?lang=ru")
    assert response.status_code == 200
    body = response.content.decode()
    assert "ИТОГОВЫЙ ПРОГРАММНЫЙ ОТЧЕТ" in body
    assert "/admin/courses/student/?program__id__exact=" in body
    assert 'class="fig"' in body
    assert "<svg" in body


def test_it_shows_the_report_page_to_the_coordinator(client, coordinator, rprogram):
    client.force_login(coordinator)
    response = client.get(reverse("reporting:report", args=[rprogram.code]))
    assert response.status_code == 200
    assert "ҚОРЫТЫНДЫ БАҒДАРЛАМАЛЫҚ ЕСЕП" in response.content.decode()


def test_it_hides_the_report_from_other_coordinators(client, outsider, rprogram):
    client.force_login(outsider)
    assert client.get(reverse("reporting:report", args=[rprogram.code])).status_code == 404


def test_it_hides_the_report_from_volunteers(client, rprogram):
    from birgemiz import roles
    from volunteers.models import Volunteer

    user = UserFactory(username="teacher", roles=[roles.VOLUNTEER])
    Volunteer.objects.filter(program=rprogram).update(user=None)
    volunteer = Volunteer.objects.filter(program=rprogram).first()
    volunteer.user = user
    volunteer.save()
    client.force_login(user)
    assert client.get(reverse("reporting:report", args=[rprogram.code])).status_code == 404


def test_it_sends_anonymous_users_to_login(client, rprogram):
    response = client.get(reverse("reporting:report", args=[rprogram.code]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_refuses_to_issue_on_get(client, officer, rprogram):
    client.force_login(officer)
    assert client.get(reverse("reporting:issue", args=[rprogram.code])).status_code == 405


def test_it_refuses_an_unknown_format(client, coordinator, rprogram):
    client.force_login(coordinator)
    response = client.post(reverse("reporting:issue", args=[rprogram.code]), {"lang": "kk", "format": "doc"})
    assert response.status_code == 302
    assert not IssuedReport.objects.exists()


def test_it_keeps_an_issued_report_byte_for_byte(client, coordinator, rprogram):
    client.force_login(coordinator)
    response = client.post(reverse("reporting:issue", args=[rprogram.code]), {"lang": "kk", "format": "xlsx"})
    assert response.status_code == 302
    issued = IssuedReport.objects.get()
    assert issued.issued_by == coordinator and issued.language == "kk" and issued.format == "xlsx"
    assert issued.warnings == len(build_report(rprogram, "kk").warnings) > 0
    # The data changes after issuing...
    Student.objects.filter(program=rprogram).update(sex="F")
    url = reverse("reporting:issued-download", args=[rprogram.code, issued.pk])
    download = client.get(url)
    data = b"".join(download.streaming_content)
    # ...and the kept file is still the one issued.
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    assert download["Content-Disposition"].startswith("attachment")
    page = client.get(reverse("reporting:report", args=[rprogram.code]))
    assert url in page.content.decode()


def test_it_issues_a_pdf_for_the_coordinator_never_for_the_officer(client, officer, coordinator, rprogram):
    # Officers read and download; issuing is a write (issue 17, problem 2).
    client.force_login(officer)
    response = client.post(reverse("reporting:issue", args=[rprogram.code]), {"lang": "ru", "format": "pdf"})
    assert response.status_code == 403 and not IssuedReport.objects.exists()
    client.force_login(coordinator)
    client.post(reverse("reporting:issue", args=[rprogram.code]), {"lang": "ru", "format": "pdf"})
    issued = IssuedReport.objects.get()
    assert issued.file.read().startswith(b"%PDF")


def test_it_scopes_issued_report_downloads(client, coordinator, outsider, rprogram):
    client.force_login(coordinator)
    client.post(reverse("reporting:issue", args=[rprogram.code]), {"lang": "kk", "format": "xlsx"})
    issued = IssuedReport.objects.get()
    other = ProgramFactory(organization=rprogram.organization, code="own-2021")
    client.force_login(outsider)
    url = reverse("reporting:issued-download", args=[rprogram.code, issued.pk])
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    # The report belongs to another programme than the one in the URL.
    assert client.get(reverse("reporting:issued-download", args=[other.code, issued.pk])).status_code == 404


REPORT_PAGE_QUERIES = 31  # this programme's page; the demo's is 42 (`python -m bench pages`)


def test_it_keeps_the_report_page_within_its_query_budget(client, officer, rprogram):
    client.force_login(officer)
    url = reverse("reporting:report", args=[rprogram.code])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_people(rprogram, report_groups(rprogram), students_per_track=6)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few) <= REPORT_PAGE_QUERIES  # fixed: the same whatever the rows


SHARED = {
    "meetings": {""},
    "meeting_participants": {""},
    "meetings_with_protocol": {""},
    "meetings_with_participant_list": {""},
    "videos": {"", "1.1", "9.9"},
    "video_views": {"", "1.1", "9.9"},
    "photos": {"", "1.1", "9.9"},
    "publications": {"", "1.1"},
}


def test_metrics_in_a_batch_share_their_queries_and_give_the_same_figures(rprogram):
    """`metrics.batch()` (the report computes its metrics in one) runs the meetings',
    the videos' and the activities' queries once, for the same figures."""
    other = ProgramFactory(organization=rprogram.organization, code="other-2021")
    a11 = Activity.objects.get(task__program=rprogram, task__number=1, number=1)
    MeetingFactory(program=rprogram, participants=0, has_protocol=False, has_participant_list=False)
    MeetingFactory(program=other, participants=4, has_protocol=False)
    PublicationFactory(program=rprogram, kind="video", activity=a11, views=120)
    PublicationFactory(program=rprogram, kind="video", views=None)
    PublicationFactory(program=other, kind="video", views=7)
    ids = [rprogram.pk, other.pk]

    def everything():
        figures = {name: metrics.compute_many(name, ids, params) for name, params in SHARED.items()}
        return figures, plan_units(ids)

    with CaptureQueriesContext(connection) as apart:
        figures, units = everything()
    with CaptureQueriesContext(connection) as shared, metrics.batch():
        assert everything() == (figures, units)
    # The meetings' 5 queries (4 metrics and the units) in 1, the videos' 2 in 1, the activities' 4 in 1.
    assert len(shared) == len(apart) - 8
    for pid in ids:  # against the rows counted one by one
        held = list(Meeting.objects.filter(program_id=pid))
        assert figures["meetings"][(pid, "")].value == len(held)
        assert figures["meeting_participants"][(pid, "")].value == sum(m.participants for m in held)
        assert figures["meetings_with_protocol"][(pid, "")].value == sum(m.has_protocol for m in held)
        lists = sum(m.has_participant_list for m in held)
        assert figures["meetings_with_participant_list"][(pid, "")].value == lists
        assert units[(pid, MEETING, None)].count == len(held)
        videos = list(Publication.objects.filter(program_id=pid, kind="video"))
        assert figures["videos"][(pid, "")].value == len(videos)
        assert figures["video_views"][(pid, "")].value == sum(v.views or 0 for v in videos)
        assert figures["videos"][(pid, "9.9")].value == figures["video_views"][(pid, "9.9")].value == 0
    assert figures["meetings_with_protocol"][(other.pk, "")].value == 0
    assert figures["videos"][(rprogram.pk, "1.1")].value == 1
    assert figures["video_views"][(rprogram.pk, "1.1")].value == 120
    held = figures["meetings"][(rprogram.pk, "")].value
    with metrics.batch():  # each batch reads afresh
        metrics.compute_many("meetings", ids, {""})
        MeetingFactory(program=rprogram)
        assert metrics.compute_many("meetings", ids, {""})[(rprogram.pk, "")].value == held  # within: once
    with metrics.batch():
        assert metrics.compute_many("meetings", ids, {""})[(rprogram.pk, "")].value == held + 1


def test_its_links_are_the_addresses_reverse_gives(db):
    """The links reverse each admin page once and put the id or the filters in."""
    from reporting.links import change_url, changelist_url, object_url

    for pk in (1, 7, 2147483646, 12345678901):
        assert change_url("courses.student", pk) == reverse("admin:courses_student_change", args=[pk])
        assert object_url("evidence-download", pk) == reverse("evidence-download", args=[pk])
    base = reverse("admin:courses_student_changelist")
    assert changelist_url("courses.student") == base
    assert changelist_url("courses.student", program__id__exact=3) == f"{base}?program__id__exact=3"
    assert change_url("courses.nosuchmodel", 1) == changelist_url("courses.nosuchmodel") == ""
    assert object_url("no-such-view", 1) == ""


def test_it_exports_from_the_command_line(rprogram, tmp_path):
    out = tmp_path / "r.xlsx"
    call_command("export_report", program=rprogram.code, format="xlsx", lang="ru", output=str(out))
    wb = load_workbook(out)
    assert wb.worksheets[0]["A1"].value == "ИТОГОВЫЙ ПРОГРАММНЫЙ ОТЧЕТ"


def test_it_refuses_an_unknown_programme_on_the_command_line(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("export_report", program="nope", output=str(tmp_path / "x.pdf"))


def test_it_computes_ages_at_the_report_date(rprogram):
    rprogram.report_date = datetime.date(2022, 6, 1)  # students born 2005 are 17, volunteers 22
    rprogram.save()
    ages = [c.value for _h, c in build_report(rprogram, "kk").age.columns]
    assert ages == [0, 10, 0, 0, 0, 0, 0]


def test_it_needs_a_user_of_a_known_role(client, rprogram):
    plain = UserFactory(username="plain")
    client.force_login(plain)
    assert client.get(reverse("reporting:report", args=[rprogram.code])).status_code == 404
