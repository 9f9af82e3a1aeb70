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
RU_FACTS = {
    "1 (5 адам)": "1 (5 человек)",
    "100 дана": "100 экз.",
    "Парақшаның Скрины 1": "Скриншот страницы 1",
    "1 БАҚ мақала": "1 статья в СМИ",
}
# The seed's dated publications by month, March to November 2020 (banners and videos have no date).
MONTHS = [0, 0, 0, 1, 1, 3, 4, 7, 8]
KAZAKH_ONLY = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


@pytest.fixture(scope="module")
def rendered(demo_program, django_db_blocker):
    """Both renderings in both languages, made once for the module."""
    out = {}
    with django_db_blocker.unblock():
        for lang in ("kk", "ru"):
            report = build_report(demo_program, lang)
            out[lang] = (report, render_xlsx(report), render_pdf(report))
    return out


def fact_in(fact, lang):
    return RU_FACTS.get(fact, fact) if lang == "ru" else fact


def seed_plan_fact():
    with open(DATA / "plan_fact.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def as_number(text):
    text = (text or "").strip()
    return int(text) if text.isdigit() else text


def rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def pdf_text(data):
    """The PDF's text as a reader reads it: words hyphenated at a line's end («‐», U+2010,
    the PDF's hyphenation mark) joined again, white space collapsed."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    text = re.sub("\u2010\\s*\n", "", text)
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

    # Every plan/fact row of the seed, in order: product, plan as written, …, fact.
    table = [r for r in rows(plan_fact) if r[3] is not None and r[0] is None]
    seed = seed_plan_fact()
    assert len(table) == len(seed)
    for got_row, want in zip(table, seed, strict=True):
        fact = want["fact"] if lang == "kk" or not RU_FACTS.get(want["fact"]) else RU_FACTS[want["fact"]]
        assert got_row[7] == as_number(fact), want
        if lang == "kk":
            assert got_row[3] == want["product"]
            assert got_row[4] == want["plan"], want

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
    assert not re.search(r"\d\.\d+ ?%", text)  # a decimal comma, never «44.7%»
    # Amounts of five or more digits are grouped by thousands (birgemiz.numbers.show_number).
    for plan, fact in [("4 185 000", "4 042 547"), ("441 522", "319 362"), ("1 546 000", "1 395 970")]:
        assert f"{plan} {fact}" in text
    tokens = text.split(" ")
    assert is_subsequence([str(n) for n in ACTIVITY_PARTICIPANTS], tokens)
    # The plan-vs-fact section: every seed fact, in the seed's order.
    start = text.index(report.F["pf_goal"])
    section = text[start:text.index(report.F["iw"][:40])].split(" ")
    facts = [w for want in seed_plan_fact() for w in fact_in(want["fact"], lang).split()]
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
    assert len(after) == len(before) <= 33  # the metrics share their queries (#18)


# ---------------------------------------------------------------- the seed's tables, in place


SEED_TABLES = {
    "kk": [
        # (text just before, the table's first words, its first row, text just after)
        (
            "күн тәртібіне сай кеңес мүшелері жобаның волонтерлерді іріктеді.",
            "№ Аты – жөні Жұмыс орны, лауазымы",
            "1 Каиров Алихан Аскарович БҚО ішкі саясат басқармасы, Саяси партиялар және үкіметтік емес "
            "ұйымдармен жұмыс бөлімінің бас маманы 2 Тенишева Светлана Владимировна",
            "Жоба бойы 5 рет сараптамалық кеңес отырысы ұйымдастырылды",
        ),
        (
            "білім деңгейін аңықтауға арналған тест өткізілді.",
            "№ Оқыту курсы бағыты Оқыту курсының ұзақтығы Алғашқы білім деңгейі Кейінгі білім деңгейі "
            "Өсім деңгейі",
            "1 Құқықтық сауаттылық 8 сағат 66% 90% 24%",
            "Жоба аясынла құқықтық сауаттылық бағыты бойынша байқау ұйымдастырылды.",
        ),
        (
            "кейінгі білім деңгейін анықтауға арналған тестілеуі өткізілді.",
            "№ Оқыту бағыттары Оқыту ұзақтығы Бастапқы деңгей Кейінгі деңгей Өсім деңгейі",
            "1 Ағылшын тілі 48 сағат 46% 75% 29%",
            "Өткізілген оқыту курстарының нәтижесінде:",
        ),
    ],
    "ru": [
        (
            "члены совета провели отбор волонтёров проекта.",
            "№ Фамилия, имя, отчество Место работы, должность",
            "1 Каиров Алихан Аскарович главный специалист отдела",
            "За время проекта проведено 5 заседаний экспертного совета",
        ),
        (
            "За это время учащиеся прошли тесты на определение начального и итогового уровня знаний.",
            "№ Направление курса обучения Продолжительность курса обучения Начальный уровень знаний",
            "1 Правовая грамотность 8 часов 66% 90% 24%",
            "В рамках проекта по направлению «Правовая грамотность» был организован конкурс.",
        ),
        (
            "на определение итогового уровня знаний.",
            "№ Направления обучения Продолжительность обучения Начальный уровень Итоговый уровень",
            "1 Английский язык 48 часов 46% 75% 29%",
            "В результате проведённых обучающих курсов:",
        ),
    ],
}


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_it_prints_every_seed_table_where_the_seed_prints_it(db, rendered, lang):
    _report, _xlsx, pdf = rendered[lang]
    _reader, text = pdf_text(pdf)
    for before, head, first_row, after in SEED_TABLES[lang]:
        at = text.index(before)
        table = text.index(head, at)
        # Right after the paragraph the seed puts it after (a page footer between at most).
        assert table - at < 120, head
        assert text.index(first_row, table) < text.index(after, table), first_row
    # The growth table of every track stands before the five principles, as in the seed.
    principles = {"kk": "1. Волонтерлерді материалдық", "ru": "1. Уделять внимание переходу"}[lang]
    assert text.index(SEED_TABLES[lang][2][1]) < text.index(principles)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_it_writes_the_completeness_cell_once_for_the_pdf_and_the_xlsx(db, rendered, lang):
    report, xlsx, pdf = rendered[lang]
    _reader, text = pdf_text(pdf)
    done = "100% орындалды." if lang == "kk" else "Выполнено на 100%."
    assert text.count(done) == 11  # every activity, as the seed writes it
    cells = [r[7] for r in rows(load_workbook(io.BytesIO(xlsx)).worksheets[1]) if isinstance(r[0], int)]
    assert cells == [a.completeness_text for task in report.tasks for a in task.activities]
    assert all(cell.startswith(done) for cell in cells)


def test_it_prints_the_experts_and_the_publications_as_the_seed_does(db, rendered):
    _report, _xlsx, pdf = rendered["kk"]
    _reader, text = pdf_text(pdf)
    # Activity 7.2 names its experts «position – name»; 1.2 «name – position».
    assert "БҚО Ішкі саясат басқармасының басшысы – Даумов Нұрлыбек Жасқайратович" in text
    assert "Гумарова Зауре Базаргалиевна – БҚО Білім басқармасы басшысының орынбасары" in text
    assert "12. «24.kz» телеарнасы сұхбат «Волонтеры обучают сельских детей» 08.11.2020ж." in text
    _reader, text = pdf_text(rendered["ru"][2])
    assert "12. телеканал «24.kz» интервью «Волонтеры обучают сельских детей» 08.11.2020 г." in text


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_it_counts_the_seeds_publications_by_month_exactly(db, rendered, lang):
    report, xlsx, _pdf = rendered[lang]
    assert [m.count.value for m in report.months] == MONTHS
    assert [m.month for m in report.months if m.under] == [3, 4, 5, 6, 7]
    listed = sum(len(g.posts) for g in report.info_groups)
    assert listed == sum(MONTHS) == 24  # the monthly table counts what the groups list
    info = rows(load_workbook(io.BytesIO(xlsx)).worksheets[5])
    start = next(i for i, r in enumerate(info) if r[0] == report.F["iw_month"])
    assert [r[1] for r in info[start + 1 : start + 10]] == MONTHS


def test_the_checks_see_what_a_careful_officer_sees_on_the_demo(db, rendered):
    report, _xlsx, _pdf = rendered["kk"]
    by_code = {c.code: c for c in report.warnings}
    journals = [i.label for i in by_code["fact_misses_plan"].items if i.label.startswith("Қатысу журналы")]
    assert len(journals) == 4
    assert [int(label.rsplit("→ ", 1)[1]) for label in journals] == [21, 20, 25, 17]
    assert all(" × " in label and "мектеп" in label for label in journals)
    (mismatch,) = by_code["unit_mismatch"].items
    assert "Кемінде 3%" in mismatch.label and mismatch.label.endswith("→ 100")
    contradictions = sorted(i.label for i in by_code["typed_vs_records"].items)
    assert len(contradictions) == 2
    assert "9" in contradictions[0] and "24" in contradictions[0]  # publications typed vs listed
    assert "100" in contradictions[1] and "2641" in contradictions[1]  # surveys typed vs filled in
    assert [i.label for i in by_code["months_under"].items][0] == "Наурыз 2020: 0"
    assert "lang_missing" not in by_code  # the Kazakh report is Kazakh throughout
    assert "lang_missing" not in {c.code for c in rendered["ru"][0].warnings}
    assert not any(d.chosen for d in report.directions)  # the seed ticks no grant direction


def test_the_xlsx_plan_fact_sheet_carries_what_an_officer_computes_with(db, rendered):
    report, xlsx, _pdf = rendered["kk"]
    wb = load_workbook(io.BytesIO(xlsx))
    table = {r[3]: r for r in rows(wb.worksheets[4]) if r[3] is not None and r[0] is None}
    photo = table["Фото"]
    assert tuple(photo[4:9]) == ("Әр кездесуден кемінде 5", "әр кездесуге", 180, 180, report.F["pf_met"])
    survey = table["Оқушылармен толтырылған сауалнама Кемінде 100"]
    assert survey[4] == "Кемінде 3%" and survey[7] == 100 and survey[8] == report.F["pf_no_verdict"]
    assert "жазбалар бойынша: 2641" in survey[9]
    growth = wb.worksheets[3]
    (chart,) = growth._charts
    assert chart.tagname == "barChart" and len(chart.series) == 2
    assert [s.tx.strRef.f for s in chart.series] == ["'3 Өсім'!$D$1", "'3 Өсім'!$E$1"]
    assert chart.series[0].cat.strRef.f == "'3 Өсім'!$B$2:$B$6"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_russian_report_is_russian_and_the_appendix_a_numbered_table(db, rendered, lang):
    report, _xlsx, pdf = rendered[lang]
    _reader, text = pdf_text(pdf)
    words = re.findall(r"[^\W\d_]+", text)
    kazakh = [w for w in words if KAZAKH_ONLY & set(w)]
    share = len(kazakh) / len(words)
    if lang == "ru":
        # What remains are names of people, organisations and outlets, kept as they are.
        assert share < 0.03, (share, sorted(set(kazakh))[:60])
    (first,) = [b for b in report.appendices if b.number == 1]
    assert [(d.number, d.count) for d in first.documents] == [("1–36", 36), ("37–72", 36), ("73–252", 180)]
    assert not any(d.date for d in first.documents)  # the seed dates no meeting
