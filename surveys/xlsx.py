"""XLSX writing where typed text stays text: a cell that starts with "=" is never a formula."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from birgemiz.xlsx import set_text


def put(ws, row, col, value):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        return set_text(cell, value)
    cell.value = value
    return cell


def write_table(ws, header, rows, start_row=1):
    for col, title in enumerate(header, start=1):
        put(ws, start_row, col, str(title)).font = Font(bold=True)
    r = start_row
    for r, values in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(values, start=1):
            put(ws, r, col, value)
    for col in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = 18
    return r + 1


def new_workbook():
    wb = Workbook()
    return wb, wb.active


def to_bytes(wb):
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
