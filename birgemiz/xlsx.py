"""Writing spreadsheets (openpyxl), where text typed by people stays text.

A cell whose text starts with one of FORMULA_START would be run as a formula by Excel or
LibreOffice (and openpyxl stores a string beginning with "=" as a formula). Every XLSX
writer of the product puts its cells through `put` (text through `set_text`), so nobody's
typed name or note ever becomes a formula. `write_table` writes a bold header and rows;
the report's styled sheets (reporting.render_xlsx) put their cells through `put` too.
"""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_WIDTH = 18


def looks_like_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_START)


def set_text(cell, value):
    """Put a string in a cell of a normal worksheet as text, never as a formula."""
    cell.value = value
    cell.data_type = "s"
    if looks_like_formula(value):
        # Shown as typed; the quote prefix also keeps Excel from re-reading it on edit.
        cell.quotePrefix = True
    return cell


def put(ws, row, col, value):
    """The cell at (row, col) holding `value`: text as text, anything else as it is."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        return set_text(cell, value)
    cell.value = value
    return cell


def write_table(ws, header, rows, *, start_row=1, widths=None, freeze=False):
    """A bold header at `start_row`, then one row per item of `rows`; returns the next
    free row. Columns get `widths` (default DEFAULT_WIDTH each); with `freeze`, the
    header stays in view."""
    bold = Font(bold=True)
    for col, title in enumerate(header, start=1):
        put(ws, start_row, col, str(title)).font = bold
    if freeze:
        ws.freeze_panes = f"A{start_row + 1}"
    r = start_row
    for r, values in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(values, start=1):
            put(ws, r, col, value)
    for col, width in enumerate(widths or [DEFAULT_WIDTH] * len(header), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    return r + 1


def new_workbook():
    """A workbook and its first sheet."""
    wb = Workbook()
    return wb, wb.active


def to_bytes(wb):
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
