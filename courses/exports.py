"""XLSX exports of the coordinator page. A table is a header plus rows; `write_table`
renders it, so every download gets the same formatting and the same protection
against formula injection."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from birgemiz.xlsx import set_text


def write_table(sheet, header, rows, widths):
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for values in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                set_text(cell, cell.value)


def hours_rows(volunteers):
    for v in volunteers:
        planned = v.planned_hours or Decimal("0")
        share = round(v.confirmed_hours / planned, 3) if planned else None
        yield [
            v.full_name,
            v.email,
            str(v.track) if v.track_id else "",
            v.group_count or 0,
            v.student_count or 0,
            v.confirmed_hours,
            v.pending_hours,
            planned,
            share,
        ]


def hours_workbook(program, volunteers):
    book = Workbook()
    book.properties.title = str(program)[:200]
    sheet = book.active
    sheet.title = _("Volunteer hours")[:31]
    header = [
        _("Volunteer"),
        _("E-mail"),
        _("Track"),
        _("Groups"),
        _("Students"),
        _("Confirmed hours"),
        _("Waiting for confirmation, hours"),
        _("Planned hours"),
        _("Share of plan"),
    ]
    widths = [34, 28, 28, 9, 10, 14, 16, 12, 12]
    write_table(sheet, header, hours_rows(volunteers.iterator(chunk_size=500)), widths)
    for row in sheet.iter_rows(min_row=2, min_col=9, max_col=9):
        row[0].number_format = "0%"
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=8):
        for cell in row:
            cell.number_format = "0.0"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
