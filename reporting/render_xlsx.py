"""The report as an XLSX workbook (openpyxl): a sheet per section, numbers stored as numbers,
bold frozen headers, column widths, print setup; text typed by people is always stored as
text, never as a formula (every cell goes through `birgemiz.xlsx.put`). One writer per
sheet; each renders a part of the built report and computes nothing."""

from django.utils import translation
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.properties import PageSetupProperties

from birgemiz.numbers import show_number
from birgemiz.xlsx import new_workbook, put, to_bytes

from .structure import number

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEAD_FILL = PatternFill("solid", fgColor="E3E8EF")
GROUP_FILL = PatternFill("solid", fgColor="F3F3F3")
MISSED_FILL = PatternFill("solid", fgColor="F8D7DA")
THIN = Side(style="thin", color="888888")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")

SHEET_NAMES = {
    "title": ("Титул", "Титул"),
    "s1": ("1 Іс-шаралар", "1 Мероприятия"),
    "s2": ("2 Сипаттама", "2 Описание"),
    "s3": ("3 Өсім", "3 Прирост"),
    "s4": ("4 Жоспар-факт", "4 План-факт"),
    "s5": ("5 Ақпараттық жұмыс", "5 Информационная работа"),
    "s6": ("6 Әлеуметтік-экономикалық", "6 Социально-экономические"),
    "s7": ("7 Статистика", "7 Статистика"),
    "s8": ("8 Көрсеткіштер", "8 Показатели"),
    "s9": ("9 Серіктестер", "9 Партнеры"),
    "s10": ("10 Ұсыныстар", "10 Предложения"),
    "s11": ("11 Мемлекеттік органдар", "11 Госорганы"),
    "s13": ("Қосымшалар", "Приложения"),
    "annex": ("Сәйкессіздіктер", "Несоответствия"),
}


class Sheet:
    """A worksheet written row by row."""

    def __init__(self, wb, name, widths, landscape=False):
        self.ws = wb.create_sheet(name[:31])
        self.row = 1
        self.header_row = None
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        ps = self.ws.page_setup
        ps.paperSize = self.ws.PAPERSIZE_A4
        ps.orientation = "landscape" if landscape else "portrait"
        ps.fitToWidth = 1
        ps.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.ws.print_options.gridLines = False
        self.ws.oddFooter.right.text = "&P / &N"

    def put(self, col, value, *, font=None, fill=None, border=True, align=WRAP, fmt=None):
        cell = put(self.ws, self.row, col, value)
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if border:
            cell.border = BORDER
        cell.alignment = align
        if fmt:
            cell.number_format = fmt
        return cell

    def line(self, *values, **kw):
        for col, value in enumerate(values, start=1):
            if value is not None or kw.get("border", True):
                self.put(col, value, **kw)
        self.row += 1

    def text(self, value, *, font=None, span=1):
        self.put(1, value, font=font, border=False)
        if span > 1 and value:
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=span)
        self.row += 1

    def header(self, *labels, freeze=True):
        for col, label in enumerate(labels, start=1):
            self.put(col, label, font=BOLD, fill=HEAD_FILL, align=CENTER)
        if freeze and self.header_row is None:
            self.header_row = self.row
            self.ws.freeze_panes = self.ws.cell(row=self.row + 1, column=1)
            self.ws.print_title_rows = f"{self.row}:{self.row}"
        self.row += 1

    def merge_down(self, col, first, last):
        if last > first:
            self.ws.merge_cells(start_row=first, start_column=col, end_row=last, end_column=col)

    def skip(self, n=1):
        self.row += n


def num(cell):
    """A figure's value when it is a number, else its text."""
    if cell is None:
        return None
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        if cell.display and cell.display not in (_plain(cell.value), show_number(cell.value)):
            return cell.display
        return cell.value
    return cell.display or None


def _plain(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}"


def plan_value(text):
    """A plan written as a bare number is stored as a number; «Кемінде 10» stays text."""
    bare = (text or "").replace(" ", "").replace("\xa0", "")
    if bare.isdigit():
        return int(bare)
    return text or None


def pct_fmt(value):
    if value is None:
        return None
    return '0"%"' if float(value).is_integer() else '0.0"%"'



def _title_sheet(wb, name, report, F):
    """The title block."""
    s = Sheet(wb, name, [28, 90])
    s.text(F["title"], font=TITLE, span=2)
    s.skip()
    s.line(F["grantee"], report.title.grantee, border=False)
    s.line(F["topic"], report.title.topic, border=False)
    s.line(F["amount"], report.title.amount, border=False, fmt="#,##0")
    s.line("", report.title.amount_text, border=False)
    s.line("", report.as_of_text, border=False)
    for r in range(3, 7):
        s.ws.cell(row=r, column=1).font = BOLD


def _activities_sheet(wb, name, report, F):
    """1. Activities: a second line of participants goes on a row of its own, so every count
    stays a number."""
    s = Sheet(wb, name, [5, 34, 14, 18, 12, 20, 34, 50, 16], landscape=True)
    s.text(F["s1"], font=TITLE, span=9)
    s.header(F["s1_no"], F["s1_activity"], F["s1_period"], F["s1_place"], F["s1_participants"],
             F["s1_category"], F["s1_experts"], F["s1_completeness"], F["s1_appendix"])
    for task in report.tasks:
        s.put(1, task.heading, font=BOLD, fill=GROUP_FILL)
        s.ws.merge_cells(start_row=s.row, start_column=1, end_row=s.row, end_column=9)
        s.row += 1
        for a in task.activities:
            lines = max(1, len(a.participants), len(a.categories))
            first = s.row
            for i in range(lines):
                part = a.participants[i] if i < len(a.participants) else None
                cat = a.categories[i] if i < len(a.categories) else None
                if i == 0:
                    s.line(a.number, a.title, a.period, a.place, num(part), cat, a.experts,
                           a.completeness_text, a.appendix)
                else:
                    s.put(5, num(part))
                    s.put(6, cat)
                    s.row += 1
            for col in (1, 2, 3, 4, 7, 8, 9):
                s.merge_down(col, first, s.row - 1)


def _narratives_sheet(wb, name, report, F):
    """2. Narratives per task and activity, with the tables they place"""
    s = Sheet(wb, name, [6, 40, 18, 16, 16, 16])
    for task in report.narratives:
        s.text(task.heading, font=BOLD, span=6)
        for a in task.activities:
            if a.show_heading:
                s.text(a.heading, font=BOLD, span=6)
            for block in a.blocks:
                if block.kind == "text":
                    s.text(block.text, span=6)
                    s.ws.row_dimensions[s.row - 1].height = min(409, 15 * (1 + len(block.text) // 110))
                elif block.kind == "growth":
                    _growth_rows(s, F, block.rows, block.single)
                elif block.kind == "experts":
                    s.header(F["experts_no"], F["experts_name"], F["experts_position"], freeze=False)
                    for e in block.rows:
                        s.line(e.number, e.name, e.position)
        s.skip()


def _growth_rows(s, F, rows, single=False):
    keys = ("growth1_track", "growth1_hours", "growth1_pre", "growth1_post") if single else (
        "growth_track", "growth_hours", "growth_pre", "growth_post"
    )
    s.header(F["growth_no"], *(F[k] for k in keys), F["growth_growth"], freeze=False)
    for g in rows:
        s.line(g.number, g.name, g.hours, g.pre.value, g.post.value, g.growth.value)
        for col, c in ((4, g.pre), (5, g.post), (6, g.growth)):
            if c.value is not None:
                s.ws.cell(row=s.row - 1, column=col).number_format = pct_fmt(c.value)


def _growth_sheet(wb, name, report, F):
    """3. Growth, and a native chart of the pre- and post-test means per track"""
    s = Sheet(wb, name, [5, 40, 16, 16, 16, 16, 18])
    s.header(F["growth_no"], F["growth_track"], F["growth_hours"], F["growth_pre"], F["growth_post"],
             F["growth_growth"], F["growth_students"])
    first = s.row
    for g in report.growth:
        s.line(g.number, g.name, g.hours, g.pre.value, g.post.value, g.growth.value, g.measured.value)
        for col, c in ((4, g.pre), (5, g.post), (6, g.growth)):
            if c.value is not None:
                s.ws.cell(row=s.row - 1, column=col).number_format = pct_fmt(c.value)
    if report.growth:
        s.ws.add_chart(growth_chart(s.ws, F, first, s.row - 1), f"B{s.row + 2}")


def _plan_fact_sheet(wb, name, report, F):
    """4. Plan vs fact: the plan as written, and beside it what an officer computes with:
    the comparator, the number the fact must reach (a per-unit plan multiplied out), the
    fact, whether it is met, and why a row is marked."""
    s = Sheet(wb, name, [8, 30, 40, 36, 18, 16, 12, 12, 18, 36], landscape=True)
    s.text(F["pf"], font=TITLE, span=10)
    s.line(F["pf_goal"], report.goal, border=False)
    s.ws.merge_cells(start_row=s.row - 1, start_column=2, end_row=s.row - 1, end_column=10)
    s.line(F["pf_result"], report.achieved_result, border=False)
    s.ws.merge_cells(start_row=s.row - 1, start_column=2, end_row=s.row - 1, end_column=10)
    s.header(F["pf_task"], F["pf_actions"], F["pf_short"], F["pf_products"], F["pf_plan_written"],
             F["pf_comparator"], F["pf_target"], F["pf_fact"], F["pf_verdict"], F["pf_note"])
    verdicts = {True: F["pf_met"], False: F["pf_missed"], None: F["pf_no_verdict"]}
    for task in report.plan_fact:
        s.put(1, f"{task.number}. {task.title}", font=BOLD, fill=GROUP_FILL)
        s.ws.merge_cells(start_row=s.row, start_column=1, end_row=s.row, end_column=10)
        s.row += 1
        for a in task.activities:
            first = s.row
            for i, row in enumerate(a.rows or [None]):
                act = f"{a.number}. {a.title}" if i == 0 else None
                result = a.result if i == 0 else None
                if row is None:
                    s.line(None, act, result, None, None, None, None, None, None, None)
                    continue
                note = "; ".join(filter(None, [F["marks"].format(refs=", ".join(map(str, row.marks)))
                                               if row.marks else "", *row.notes]))
                s.line(None, act, result, row.name, row.plan or None, row.comparator, number(row.target),
                       num(row.fact), verdicts[row.met] if row.has_plan else None, note or None)
                if row.marks:
                    for col in (8, 9):
                        s.ws.cell(row=s.row - 1, column=col).fill = MISSED_FILL
            for col in (1, 2, 3):
                s.merge_down(col, first, s.row - 1)


def _info_work_sheet(wb, name, report, F):
    """5. Information work and publications per month"""
    s = Sheet(wb, name, [5, 28, 70, 24, 16, 10], landscape=True)
    s.text(F["iw"], font=TITLE, span=6)
    s.header(F["iw_no"], F["iw_event"], F["iw_work"], F["iw_kind"], F["iw_plan"], F["iw_fact"])
    for g in report.info_groups:
        work = "\n".join(g.work_lines)
        first = s.row
        for i, p in enumerate(g.plans or [None]):
            head = (g.number, g.title, work) if i == 0 else (None, None, None)
            if p is None:
                s.line(*head, None, None, None)
                continue
            s.line(*head, p.label, plan_value(p.plan), p.fact.value)
            if not p.met:
                s.ws.cell(row=s.row - 1, column=6).fill = MISSED_FILL
        for col in (1, 2, 3):
            s.merge_down(col, first, s.row - 1)
    s.skip()
    s.text(F["iw_months"], font=BOLD)
    s.header(F["iw_month"], F["iw_count"], F["iw_note"], freeze=False)
    for m in report.months:
        marks = F["marks"].format(refs=", ".join(map(str, m.marks))) if m.marks else ""
        s.line(m.label, m.count.value, f"{marks} {F['iw_under']}".strip() if m.under else None)
        if m.under:
            s.ws.cell(row=s.row - 1, column=2).fill = MISSED_FILL


def _socio_sheet(wb, name, report, F):
    """6. Socio-economic"""
    s = Sheet(wb, name, [5, 60, 14, 30, 30])
    s.text(F["se"], font=TITLE, span=5)
    s.header("", F["se_indicator"], F["se_unit"], F["se_plan"], F["se_fact"])
    for r in report.socio:
        s.line(r.number, r.name, r.unit, plan_value(r.plan), num(r.fact))


def _statistics_sheet(wb, name, report, F):
    """7. Narratives and participant statistics"""
    widths = [22] + [16] * 10
    s = Sheet(wb, name, widths, landscape=True)
    for label, text in (
        (F["n_deviation"], report.deviation),
        (F["n_goal"], report.goal_achievement),
        (F["n_change"], report.social_change),
        (F["n_stats"], report.statistics_intro),
    ):
        s.text(label, font=BOLD, span=11)
        s.text(text, span=11)
    for b in report.breakdowns:
        s.skip()
        s.text(b.heading, font=BOLD, span=11)
        s.header(b.total_heading, *[h for h, _c in b.columns], freeze=False)
        s.line(b.total.value, *[c.value for _h, c in b.columns])


def _indicators_sheet(wb, name, report, F):
    """8. Project indicators"""
    s = Sheet(wb, name, [40, 18, 18, 18, 18])
    s.text(F["n_indicators"], font=BOLD, span=5)
    s.text(F["n_target"], font=BOLD, span=5)
    s.text(report.target_groups, span=5)
    s.header(F["ind_track"], F["ind_plan_v"], F["ind_fact_v"], F["ind_plan_s"], F["ind_fact_s"], freeze=False)
    for r in [*report.track_indicators, report.track_totals]:
        s.line(r.name, r.plan_volunteers, r.volunteers.value, r.plan_students, r.students.value)
    s.skip()
    s.text(F["n_long_term"], font=BOLD, span=5)
    s.text(report.long_term_effect, span=5)
    s.text(F["n_sustain"], font=BOLD, span=5)
    s.text(report.sustainability, span=5)


def _partners_sheet(wb, name, report, F):
    """9. Partners"""
    s = Sheet(wb, name, [40, 36, 22, 60])
    s.text(F["n_partners"], font=BOLD, span=4)
    s.text(report.partner_analysis, span=4)
    s.text(F["partners"], font=BOLD, span=4)
    s.header(F["p_name"], F["p_role"], F["p_contact"], F["p_note"])
    for p in report.partners:
        s.line(p.name, p.role, p.contact, p.note)


def _proposals_sheet(wb, name, report, F):
    """10. Proposals and grant directions"""
    s = Sheet(wb, name, [5, 24, 34, 30, 34, 34, 14, 20, 30], landscape=True)
    s.text(F["prop"], font=BOLD, span=9)
    s.header(F["prop_no"], F["prop_title"], F["prop_justification"], F["prop_goal"], F["prop_tasks"],
             F["prop_summary"], F["prop_amount"], F["prop_place"], F["prop_results"])
    for p in report.proposals:
        s.line(p.number, p.title, p.justification, p.goal, p.tasks, p.summary, p.amount, p.place,
               p.expected_results)
    s.skip()
    s.text(F["directions"], span=9)
    for d in report.directions:
        s.text(d.line, font=BOLD if d.chosen else None, span=9)


def _recommendations_sheet(wb, name, report, F):
    """11. Recommendations and the signature block"""
    s = Sheet(wb, name, [36, 60, 40])
    s.text(F["rec"], font=BOLD, span=3)
    s.header(F["rec_body"], F["rec_text"], F["rec_letter"])
    for r in report.recommendations:
        s.line(r.body, r.text, r.letter)
    s.skip()
    before, after = report.pages_parts
    s.text(f"{before}____{after}", span=3)
    s.line(report.footer.chair_line, None, report.footer.signature, border=False)
    s.ws.cell(row=s.row - 1, column=1).font = BOLD
    s.text(report.footer.chair_caption, span=3)
    s.line(report.footer.filled, None, report.footer.seal, border=False)


def _appendices_sheet(wb, name, report, F):
    """Appendices: a row per document (a series as one row with its count), with its
    appendix number on every row so the list can be filtered."""
    s = Sheet(wb, name, [12, 10, 70, 22, 12, 10, 10])
    s.text(F["appendices"], font=TITLE, span=7)
    s.header(F["ap_appendix"], F["ap_no"], F["ap_document"], F["ap_kind"], F["ap_date"], F["ap_activity"],
             F["ap_documents"])
    for block in report.appendices:
        s.put(1, f"{block.heading} — {'; '.join(block.activities)}", font=BOLD, fill=GROUP_FILL)
        s.ws.merge_cells(start_row=s.row, start_column=1, end_row=s.row, end_column=7)
        s.row += 1
        for d in block.documents:
            s.line(block.number, d.number, d.title, d.kind, d.date or None, d.activity or None, d.count)
        if not block.documents:
            s.line(block.number, None, F["no_documents"], None, None, None, 0)


def _annex_sheet(wb, name, report, F):
    """Annex: the checks that did not pass, each record they name on a row; «✗ 3» is the
    mark the other sheets and the PDF give that record."""
    s = Sheet(wb, name, [10, 50, 90])
    s.text(F["annex"], font=BOLD, span=3)
    if report.warnings:
        s.header(F["annex_ref"], F["annex_check"], F["annex_rows"], freeze=False)
        for c in report.warnings:
            s.line(None, c.title, c.detail or None, font=BOLD, fill=GROUP_FILL)
            for i in c.items:
                s.line(F["marks"].format(refs=i.ref) if i.ref else None, None, i.label)
            if c.more:
                s.line(None, None, c.more_text)
    else:
        s.text(F["annex_none"])
    s.text(report.as_of_text)


SHEETS = (
    ("title", _title_sheet),
    ("s1", _activities_sheet),
    ("s2", _narratives_sheet),
    ("s3", _growth_sheet),
    ("s4", _plan_fact_sheet),
    ("s5", _info_work_sheet),
    ("s6", _socio_sheet),
    ("s7", _statistics_sheet),
    ("s8", _indicators_sheet),
    ("s9", _partners_sheet),
    ("s10", _proposals_sheet),
    ("s11", _recommendations_sheet),
    ("s13", _appendices_sheet),
    ("annex", _annex_sheet),
)


def render_xlsx(report):
    wb, first = new_workbook()
    wb.remove(first)
    F = report.F
    with translation.override(report.lang):  # figures read back in the report's own language
        for key, write in SHEETS:
            write(wb, SHEET_NAMES[key][1 if report.lang == "ru" else 0], report, F)
    return to_bytes(wb)


def growth_chart(ws, F, first, last):
    """A native clustered bar chart of the pre- and post-test means per track (rows
    `first`..`last` of the growth sheet: names in B, pre in D, post in E)."""
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = F["growth_chart"]
    chart.y_axis.title = "%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.height, chart.width = 9, 22
    data = Reference(ws, min_col=4, max_col=5, min_row=first - 1, max_row=last)
    chart.add_data(data, titles_from_data=True)
    sheet = quote_sheetname(ws.title)
    for col, series in zip("DE", chart.series, strict=True):
        # openpyxl names a title cell relatively ('3 Өсім'!D1) and takes the track names
        # for numbers; Excel writes absolute references and a string range for text labels.
        series.tx.strRef.f = f"{sheet}!${col}${first - 1}"
        series.cat = AxDataSource(strRef=StrRef(f=f"{sheet}!$B${first}:$B${last}"))
    return chart
