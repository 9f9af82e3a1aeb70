"""The final report of the demo programme bko-2020 carries the seed's figures, in the XLSX
cell by cell and in the PDF's extracted text, in Kazakh and in Russian."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from bench.bench_report import multiply_people
from courses.models import Student
from reporting.render_pdf import render_pdf
from reporting.render_xlsx import render_xlsx
from reporting.report import build_report

DATA = Path(__file__).resolve().parent.parent / "demo" / "data"

ACTIVITY_PARTICIPANTS = [698, 2641, 5, 110, 21, 378, 20, 258, 25, 469, 27, 385, 17, 128, 1618, 110, 35]
GROWTH = [(48, 46, 75, 29), (8, 68, 93, 25), (48, 70, 85, 15), (8, 66, 90, 24), (48, 56, 81, 25)]
GENDER = [1728, 565, 1163]
STATUS = [1728, 16, 48, 1, 30, 0, 3, 12, 7, 7, 1604]
AGES = [1728, 1618, 70, 11, 10, 15, 4, 0]
SOCIO = {
    "kk": [
        ("1000 оның ішінде аз қамтылған отбасынан 200", "1618 оның ішінде аз қамтылған отбасынан 319"),
        (10, 10), (4, 4), ("3 (1)", 7), (5, 10), (4185000, 4042547), (441522, 319362),
        (1546000, 1395970), (10, 19),
    ],
    "ru": [
        (None, "1618, из них из малообеспеченных семей 319"),
        (10, 10), (4, 4), ("3 (1)", 7), (5, 10), (4185000, 4042547), (441522, 319362),
        (1546000, 1395970), (10, 19),
    ],
}
TRACKS = [(20, 21, 200, 378), (20, 20, 250, 258), (25, 25, 250, 469), (25, 27, 250, 385), (10, 17, 50, 128)]


@pytest.fixture(scope="module")
def rendered(demo_program, django_db_blocker):
    """Both renderings in both languages, made once for the module."""
    out = {}
    with django_db_blocker.unblock():
        for lang in ("kk", "ru"):
            report = build_report(demo_program, lang)
            out[lang] = (report, render_xlsx(report), render_pdf(report))
    return out


def seed_plan_fact():
    with open(DATA / "plan_fact.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def as_number(text):
    text = (text or "").strip()
    return int(text) if text.isdigit() else text


def rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return reader, re.sub(r"\s+", " ", text.replace("\xa0", " "))


def is_subsequence(needles, haystack):
    it = iter(haystack)
    return all(any(n == h for h in it) for n in needles)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_it_puts_the_seed_figures_in_the_xlsx_cell_by_cell(db, rendered, lang):
    report, xlsx, _pdf = rendered[lang]
    wb = load_workbook(io.BytesIO(xlsx))
    title, activities, _narr, growth, plan_fact, info, socio, stats, indicators = wb.worksheets[:9]

    assert title["B5"].value == 15337100
    words = "он бес миллион үш жүз отыз жеті мың бір жүз" if lang == "kk" else (
        "пятнадцать миллионов триста тридцать семь тысяч сто"
    )
    assert f"({words})" in title["B6"].value

    assert [r[4] for r in rows(activities) if isinstance(r[4], int)] == ACTIVITY_PARTICIPANTS

    hours_word = {"kk": ("48 сағат", "8 сағат"), "ru": ("48 часов", "8 часов")}[lang]
    got = [tuple(r[2:6]) for r in rows(growth)[1:6]]
    assert got == [(hours_word[0] if h == 48 else hours_word[1], pre, post, g) for h, pre, post, g in GROWTH]
    assert [r[6] for r in rows(growth)[1:6]] == [378, 258, 469, 385, 128]

    # Every plan/fact row of the seed, in order.
    table = [r for r in rows(plan_fact) if r[3] is not None and r[0] is None]
    seed = seed_plan_fact()
    assert len(table) == len(seed)
    for got_row, want in zip(table, seed, strict=True):
        assert got_row[5] == as_number(want["fact"]), want
        if lang == "kk":
            assert got_row[3] == want["product"]
            assert got_row[4] == as_number(want["plan"]), want

    socio_rows = [r for r in rows(socio) if isinstance(r[0], int)]
    assert len(socio_rows) == 9
    for got_row, (plan, fact) in zip(socio_rows, SOCIO[lang], strict=True):
        if plan is not None:
            assert got_row[3] == plan
        assert got_row[4] == fact

    numeric = [[v for v in r if v is not None] for r in rows(stats)]
    numeric = [r for r in numeric if r and all(isinstance(v, int) for v in r)]
    assert numeric == [GENDER, STATUS, AGES]

    track_rows = [r[1:5] for r in rows(indicators) if isinstance(r[1], int)]
    assert track_rows == [list(t) for t in TRACKS] + [[100, 110, 1000, 1618]]

    info_facts = [r[5] for r in rows(info) if isinstance(r[5], int) and r[3]]
    assert info_facts == [5, 6, 13, 1, 5]


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_it_puts_the_seed_figures_in_the_pdf_text(db, rendered, lang):
    report, _xlsx, pdf = rendered[lang]
    reader, text = pdf_text(pdf)
    pages = len(reader.pages)
    if lang == "kk":
        assert "15 337 100 (он бес миллион үш жүз отыз жеті мың бір жүз) теңге" in text
        assert f"Есеп беттерінің жалпы саны: {pages} бет." in text
        assert "1618 оның ішінде аз қамтылған отбасынан 319" in text
        assert "Ағылшын тілі 48 сағат 46% 75% 29%" in text
        assert "Олимпиадаларға, ғылыми байқауларға дайындық 48 сағат 56% 81% 25%" in text
        assert "«Жас қанат» ЖҚБ төрағасы: Сейтимов Азат Галимович" in text
    else:
        assert "15 337 100 (пятнадцать миллионов триста тридцать семь тысяч сто) тенге" in text
        assert f"Общее количество страниц отчета: {pages} стр." in text
        assert "1618, из них из малообеспеченных семей 319" in text
        assert "48 часов 46% 75% 29%" in text
    for pre_post_growth in ("46% 75% 29%", "68% 93% 25%", "70% 85% 15%", "66% 90% 24%", "56% 81% 25%"):
        assert pre_post_growth in text
    assert " ".join(map(str, GENDER)) in text
    assert " ".join(map(str, STATUS)) in text
    assert " ".join(map(str, AGES)) in text
    for plan, fact in [(4185000, 4042547), (441522, 319362), (1546000, 1395970)]:
        assert f"{plan} {fact}" in text
    tokens = text.split(" ")
    assert is_subsequence([str(n) for n in ACTIVITY_PARTICIPANTS], tokens)
    # The plan-vs-fact section: every seed fact, in the seed's order.
    start = text.index(report.F["pf_goal"])
    section = text[start:text.index(report.F["iw"][:40])].split(" ")
    facts = [w for want in seed_plan_fact() for w in want["fact"].split()]
    assert is_subsequence(facts, section)


def test_it_warns_when_a_breakdown_stops_summing_on_the_demo(db, demo_program):
    report = build_report(demo_program, "kk")
    assert next(c for c in report.checks if c.code == "age_sum").ok
    student = Student.objects.filter(program=demo_program).first()
    student.birth_date = None
    student.save()
    report = build_report(demo_program, "kk")
    age = next(c for c in report.checks if c.code == "age_sum")
    assert not age.ok and "1727" in age.detail
    assert not next(c for c in report.checks if c.code == "no_birth_date").ok
    _reader, text = pdf_text(render_pdf(report))
    assert age.title in text  # in the annex


def test_it_builds_the_demo_report_in_the_same_number_of_queries_when_the_data_doubles(db, demo_program):
    build_report(demo_program, "kk")
    with CaptureQueriesContext(connection) as before:
        build_report(demo_program, "kk")
    multiply_people(demo_program, 2)
    with CaptureQueriesContext(connection) as after:
        report = build_report(demo_program, "kk")
    assert report.tasks[6].activities[0].participants[0].value == 2 * 1618
    assert len(after) == len(before)
