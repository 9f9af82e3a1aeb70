"""The checks a careful grant officer makes, on a small factory-built programme: per-unit
plans against their units, a percent plan against a count, typed facts against the
records, texts missing in the report's language, unknown table markers; every failing
row is numbered, marked in the body with its number and listed under it in the annex."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from birgemiz.models import Evidence, Indicator, Meeting
from reporting.checks import number_marks, structure_checks
from reporting.consolidated import build_consolidated
from reporting.render_pdf import render_html, render_pdf
from reporting.report import build_report

from .factories import IndicatorFactory, MeetingFactory, SurveyFactory, SurveyResponseFactory
from .report_data import build_report_program


@pytest.fixture
def rprogram(program):
    return build_report_program(program)


def check(report, code):
    return next(c for c in report.checks if c.code == code)


def row_named(report, name):
    return next(r for t in report.plan_fact for a in t.activities for r in a.rows if r.name == name)


def english_activity(program):
    return program.tasks.get(number=2).activities.get()


# ---------------------------------------------------------------- plans per unit


def test_it_counts_a_per_school_plan_against_the_schools_the_students_come_from(rprogram):
    # The English track's three students come from three schools; one journal (course group).
    IndicatorFactory(
        activity=english_activity(rprogram), order=9, name_kk="Қатысу журналы", comparator="per_unit",
        per="school", unit="мектеп", target_value=Decimal("1"), target_text_kk="Әр мектепте 1",
        metric="attendance_journals", metric_param="english",
    )
    report = build_report(rprogram, "kk")
    row = row_named(report, "Қатысу журналы")
    assert row.fact.value == 1
    assert row.units.value == 3 and row.target == 3 and row.met is False
    assert row.target_note == "Әр мектепте 1 × 3 мектеп = 3"
    assert row.units.url.startswith("/admin/birgemiz/school/?id__in=")
    missed = check(report, "fact_misses_plan")
    item = next(i for i in missed.items if i.row is row)
    assert item.label == "Қатысу журналы: Әр мектепте 1 × 3 мектеп = 3 → 1"
    assert item.url.endswith(f"/admin/birgemiz/indicator/{row.pk}/change/")
    assert build_report(rprogram, "ru").plan_fact[1].activities[0].rows[-1].units.display == "3 школы"


def test_it_counts_a_per_meeting_plan_against_the_meetings_held(rprogram):
    report = build_report(rprogram, "kk")
    photos = row_named(report, "Фото")
    meetings = Meeting.objects.filter(program=rprogram).count()
    assert meetings == 4 and photos.target == meetings and photos.fact.value == 1 and photos.met is False
    for meeting in Meeting.objects.filter(program=rprogram):
        meeting.delete()
    MeetingFactory(program=rprogram, participants=5)
    assert row_named(build_report(rprogram, "kk"), "Фото").met is True  # one photo, one meeting


def test_a_per_unit_plan_reads_its_unit_from_the_wording_of_a_spreadsheet_row(rprogram):
    ind = Indicator(
        activity=english_activity(rprogram), name_kk="Журнал", comparator="per_unit", unit="мектеп",
        target_value=Decimal("1"), target_text_kk="Әр мектепте 1",
    )
    ind.full_clean()
    assert ind.per == "school"
    ind.unit = "дана"
    ind.per = ""
    with pytest.raises(Exception) as error:
        ind.full_clean()
    assert "per" in error.value.message_dict


# ---------------------------------------------------------------- units and records


def test_it_judges_no_percent_plan_by_a_count(rprogram):
    IndicatorFactory(
        activity=english_activity(rprogram), order=9, name_kk="Сауалнама", unit="%",
        target_value=Decimal("3"), target_text_kk="Кемінде 3%", fact_value=Decimal("100"),
    )
    report = build_report(rprogram, "kk")
    row = row_named(report, "Сауалнама")
    assert row.unit_mismatch and row.met is None
    mismatch = check(report, "unit_mismatch")
    assert not mismatch.ok and [i.row for i in mismatch.items] == [row]
    assert row not in [i.row for i in check(report, "fact_misses_plan").items]
    # A fact typed in percent is compared.
    Indicator.objects.filter(name_kk="Сауалнама").update(fact_text="5%", fact_value=Decimal("5"))
    row = row_named(build_report(rprogram, "kk"), "Сауалнама")
    assert not row.unit_mismatch and row.met is True


def test_it_compares_a_typed_fact_with_the_records_that_could_compute_it(rprogram):
    survey = SurveyFactory(program=rprogram)
    for _ in range(3):
        SurveyResponseFactory(survey=survey)
    IndicatorFactory(
        activity=english_activity(rprogram), order=9, name_kk="Толтырылған сауалнама",
        target_value=Decimal("1"), target_text_kk="Кемінде 1", fact_value=Decimal("100"),
        metric="survey_responses",
    )
    report = build_report(rprogram, "kk")
    row = row_named(report, "Толтырылған сауалнама")
    assert row.fact.value == 100 and row.recorded.value == 3  # the typed fact stays the fact
    contradiction = check(report, "typed_vs_records")
    (item,) = contradiction.items
    assert "100" in item.label and "3" in item.label
    assert contradiction.links[0].url.startswith("/admin/surveys/surveyresponse/")
    assert "жазбалар бойынша: 3" in row.notes
    Indicator.objects.filter(name_kk="Толтырылған сауалнама").update(fact_value=Decimal("3"))
    assert check(build_report(rprogram, "kk"), "typed_vs_records").ok


# ---------------------------------------------------------------- the report's language


def test_it_marks_and_lists_a_text_missing_in_the_report_language(rprogram):
    act = english_activity(rprogram)
    act.experts = "Асанов Бек – тренер"
    act.experts_ru = ""
    act.save()
    report = build_report(rprogram, "ru")
    english = report.tasks[1].activities[0]
    assert english.experts == "[на казахском языке] Асанов Бек – тренер"
    missing = check(report, "lang_missing")
    assert not missing.ok
    item = next(i for i in missing.items if i.url.endswith("#id_experts_ru"))
    assert item.url.startswith(f"/admin/birgemiz/activity/{act.pk}/change/")
    assert "[на казахском языке] Асанов Бек" in render_html(report)
    act.experts_ru = "Асанов Бек – тренер"
    act.save()
    items = check(build_report(rprogram, "ru"), "lang_missing").items
    assert not any(i.url.endswith("#id_experts_ru") for i in items)


def test_it_prints_a_name_that_reads_the_same_in_both_languages_unmarked(rprogram):
    from birgemiz.models import Partner

    partners = Partner.objects.filter(program=rprogram)
    partners.update(role="Ақпараттық қолдау", role_ru="Информационная поддержка")
    report = build_report(rprogram, "ru")
    names = [p.name for p in report.partners]
    assert "+7 Медиа" in names  # no Kazakh letter: the same in Russian
    assert "[на казахском языке] БҚО Білім басқармасы" in names  # a Kazakh name with no Russian one
    assert report.title.grantee.startswith("[на казахском языке]") is False


def test_it_lists_a_table_marker_it_does_not_know(rprogram):
    act = english_activity(rprogram)
    act.narrative_kk = "Бірінші абзац.\n[[grwth]]\nЕкінші абзац."
    act.save()
    report = build_report(rprogram, "kk")
    blocks = report.narratives[1].activities[0].blocks
    assert [b.kind for b in blocks] == ["text", "text"]
    markers = check(report, "narrative_markers")
    assert not markers.ok and markers.items[0].url.endswith("#id_narrative_kk")
    act.narrative_kk = "Бірінші абзац.\n[[growth:english]]\nЕкінші абзац."
    act.save()
    blocks = build_report(rprogram, "kk").narratives[1].activities[0].blocks
    assert [b.kind for b in blocks] == ["text", "growth", "text"]
    assert blocks[1].single and [r.code for r in blocks[1].rows] == ["english"]


# ---------------------------------------------------------------- marks and the annex


def marks_in(text):
    return sorted(int(n) for group in re.findall(r"✗ ([\d, ]+)", text) for n in group.split(",") if n.strip())


def test_every_marked_row_is_an_item_of_the_annex_under_its_number(rprogram):
    report = build_report(rprogram, "kk")
    refs = [i.ref for c in report.warnings for i in c.items if i.ref]
    assert refs == list(range(1, len(refs) + 1)) and refs
    html = render_html(report)
    body, annex = html.split('id="annex"')
    assert marks_in(body) == refs  # the body marks each numbered item once …
    # … and the annex lists it, linked to the place the body marks it.
    assert sorted(int(n) for n in re.findall(r'<a href="#mark-(\d+)">✗ \1</a></td>', annex)) == refs
    assert all(f'id="mark-{n}"' in body for n in refs)
    reader = PdfReader(io.BytesIO(render_pdf(report)))
    annex_page = reader.pages[-1]
    targets = [a.get_object().get("/Dest") for a in annex_page.get("/Annots") or []]
    assert len([t for t in targets if t]) == len(refs)  # each ✗ n of the annex jumps to its row


def test_the_consolidated_annex_lists_exactly_what_its_body_marks(rprogram):
    other = build_report_program(_second_program(rprogram))
    report = build_consolidated([rprogram, other], "ru")
    assert report.warnings, "the summed rows miss plans too"
    html = render_html(report)
    body, annex = html.split('id="annex"')
    assert "Несоответствий не обнаружено" not in annex
    refs = [i.ref for c in report.warnings for i in c.items if i.ref]
    assert marks_in(body) == refs
    # Every check it keeps is one its body can show.
    assert {c.code for c in report.warnings} <= {c.code for c in structure_checks(report, report.missing)}


def test_numbering_skips_checks_that_pass(rprogram):
    report = build_report(rprogram, "kk")
    checks = number_marks(structure_checks(report))
    assert all(not i.ref for c in checks if c.ok for i in c.items)


def _second_program(program):
    from .factories import ProgramFactory

    return ProgramFactory(organization=program.organization, code="second-2020", region=program.region)


def evidence(program, activity, kind, title, **fields):
    return Evidence.objects.create(
        program=program, activity=activity, kind=kind, title=title,
        file=ContentFile(b"%PDF-1.4 test", name="doc.pdf"), **fields
    )


def test_an_evidence_series_is_one_row_numbered_as_a_range(rprogram):
    act = english_activity(rprogram)
    for n in range(1, 4):
        evidence(rprogram, act, "photo", f"Сабақ фотосы №{n}")
    evidence(rprogram, act, "photo", "Сабақ фотосы №7")  # not the next number: a row of its own
    evidence(rprogram, act, "letter", "Хат", date=datetime.date(2020, 11, 25))
    block = next(b for b in build_report(rprogram, "kk").appendices if b.number == 2)
    rows = [(d.number, d.title, d.count, d.date, d.activity) for d in block.documents]
    assert rows == [
        ("1", "Хат", 1, "25.11.2020", "2.1"),
        ("2–4", "Сабақ фотосы №1–3", 3, "", "2.1"),
        ("5", "Сабақ фотосы №7", 1, "", "2.1"),
    ]


def test_the_dashboard_judges_per_unit_and_percent_plans_as_the_report_does(rprogram, officer):
    from reporting.dashboard import selectors

    act = english_activity(rprogram)
    IndicatorFactory(
        activity=act, order=9, name_kk="Қатысу журналы", comparator="per_unit", per="school", unit="мектеп",
        target_value=Decimal("1"), target_text_kk="Әр мектепте 1", metric="attendance_journals",
        metric_param="english",
    )
    IndicatorFactory(
        activity=act, order=10, name_kk="Сауалнама", unit="%", target_value=Decimal("3"),
        target_text_kk="Кемінде 3%", fact_value=Decimal("100"),
    )
    report = build_report(rprogram, "kk")
    verdicts = [r.met for t in report.plan_fact for a in t.activities for r in a.rows if r.has_fact]
    row = next(r for r in selectors.program_rows(officer) if r.program.pk == rprogram.pk)
    assert (row.met, row.missed) == (verdicts.count(True), verdicts.count(False))
    assert row_named(report, "Қатысу журналы").met is False and row_named(report, "Сауалнама").met is None
