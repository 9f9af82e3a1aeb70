"""The printed report reads like a filed document: no word runs into another or out of
its table cell, in any section and either language, and no page is left nearly empty
except a section's last. Measured on the PDF's own word boxes (`tests.pdf_layout`)."""

import pytest

from birgemiz.pdf import font_uris, html_to_pdf
from reporting import hyphenation
from reporting.hyphenation import hyphenate
from reporting.render_pdf import render_pdf
from reporting.report import build_report

from .pdf_layout import layout_problems
from .report_data import build_report_program

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><style>
@font-face {{ font-family: "S"; src: url("{font_regular}"); }}
@page {{ size: A4; margin: 16mm 14mm 18mm 16mm; }}
* {{ font-family: "S"; font-size: 9pt; }}
section[data-bookmark] {{ bookmark-level: 1; bookmark-label: attr(data-bookmark); }}
table {{ table-layout: fixed; border-collapse: collapse; width: 60mm; }}
td {{ border: 0.5pt solid #333; width: 15mm; }}
</style></head><body>{body}</body></html>"""


def pdf_of(body, lang="kk"):
    hyphenation.register()
    return html_to_pdf(PAGE.format(body=body, lang=lang, **font_uris()))


def kinds(problems):
    return sorted({p.kind for p in problems})


# ---------------------------------------------------------------- the measure itself


def test_it_sees_words_that_run_into_each_other():
    body = (
        '<p style="position: absolute; top: 20mm; left: 20mm">Қатысушылар саны</p>'
        '<p style="position: absolute; top: 20mm; left: 24mm">категориясы</p>'
    )
    assert "overlap" in kinds(layout_problems(pdf_of(body)))


def test_it_sees_a_word_that_leaves_its_cell():
    word = "Қатысушылардың"
    overflowing = f'<table><tr><td style="hyphens: manual">{word}</td><td>x</td></tr></table>'
    assert "outside cell" in kinds(layout_problems(pdf_of(overflowing)))
    # Hyphenated in the cell's language, the same word stays inside it.
    hyphenated = f'<table><tr><td style="hyphens: auto">{word}</td><td>x</td></tr></table>'
    assert layout_problems(pdf_of(hyphenated)) == []


def test_it_sees_a_nearly_empty_page_unless_a_section_ends_on_it():
    empty = '<p>Бір жол.</p><p style="break-before: page">Келесі бет.</p>'
    problems = layout_problems(pdf_of(empty))
    assert [(p.page, p.kind) for p in problems] == [(1, "nearly empty")]
    section_end = (
        '<section><p>Бір жол.</p></section>'
        '<section data-bookmark="2" style="break-before: page"><p>Екінші бөлім.</p></section>'
    )
    assert layout_problems(pdf_of(section_end)) == []


@pytest.mark.parametrize(
    "word, lang, expected",
    [
        ("Қатысушылар", "kk", "Қаты-су-шы-лар"),
        ("тұрғындарының", "kk", "тұр-ғын-да-ры-ның"),
        ("Жоспарланған", "kk", "Жос-пар-лан-ған"),
        ("құжаттармен", "kk", "құжат-тар-мен"),
        ("подтверждающими", "ru", "под-твер-жда-ю-щими"),
    ],
)
def test_it_hyphenates_kazakh_by_its_syllables(word, lang, expected):
    assert hyphenate(word, lang) == expected


# ---------------------------------------------------------------- the report


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_factory_report_prints_without_collisions(program, lang):
    report = build_report(build_report_program(program), lang)
    assert [str(p) for p in layout_problems(render_pdf(report))] == []


@pytest.fixture(scope="module")
def demo_pdfs(demo_program, django_db_blocker):
    with django_db_blocker.unblock():
        return {lang: render_pdf(build_report(demo_program, lang)) for lang in ("kk", "ru")}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_demo_report_prints_without_collisions_or_empty_pages(db, demo_pdfs, lang):
    assert [str(p) for p in layout_problems(demo_pdfs[lang])] == []
