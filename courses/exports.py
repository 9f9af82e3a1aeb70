"""XLSX exports of the coordinator page. A table is a header plus rows; the core's
`birgemiz.xlsx.write_table` renders it, so every download gets the same formatting and
the same protection against formula injection."""

from decimal import Decimal

from django.utils.translation import gettext as _

from birgemiz.xlsx import new_workbook, to_bytes, write_table


def hours_rows(volunteers):
    """A row per volunteer, hours as floats so the sheet stores them as numbers."""
    for v in volunteers:
        planned = v.planned_hours or Decimal("0")
        share = round(v.confirmed_hours / planned, 3) if planned else None
        row = [
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
        yield [float(x) if isinstance(x, Decimal) else x for x in row]


def hours_workbook(program, volunteers):
    book, sheet = new_workbook()
    book.properties.title = str(program)[:200]
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
    rows = hours_rows(volunteers.iterator(chunk_size=500))
    write_table(sheet, header, rows, widths=widths, freeze=True)
    for row in sheet.iter_rows(min_row=2, min_col=9, max_col=9):
        row[0].number_format = "0%"
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=8):
        for cell in row:
            cell.number_format = "0.0"
    return to_bytes(book)
