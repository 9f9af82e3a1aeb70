"""Read a spreadsheet a person sends: XLSX or CSV, streamed row by row.

The format is decided by the content, not the name: a `.txt` renamed `.xlsx` or an
old binary `.xls` gets a clear error instead of a stack trace. CSV is UTF-8 (with
or without a BOM), `;`, `,` or tab separated (sniffed from the header line).
Anything else (a cp1251 "CSV" saved by an older Excel) is refused with the line
where decoding failed and how to save the file properly: guessing an 8-bit code
page would silently turn Kazakh letters into other letters.

Row numbers are those a person sees in Excel: the first row is 1.
"""

import codecs
import csv
import datetime
import io
import zipfile

from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary .xls / .doc
MAX_CELL_CHARS = 10_000
SNIFF_BYTES = 64 * 1024

# A 10 MB cell must be read (and reported as too long), not crash the csv module.
csv.field_size_limit(64 * 1024 * 1024)


class FileError(Exception):
    """The file as a whole cannot be read; nothing in it is imported."""


class TooLong(str):
    """A cell longer than MAX_CELL_CHARS; the importer reports it against the row."""

    length = 0


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        if len(value) > MAX_CELL_CHARS:
            marker = TooLong(value[:50])
            marker.length = len(value)
            return marker
        return value
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date()
        return value
    return value


def _is_blank(cells):
    return all(c == "" for c in cells)


class Table:
    """Header cells and a stream of (row number, cells)."""

    def __init__(self, kind, header, header_row, rows, closer=None):
        self.kind = kind
        self.header = header
        self.header_row = header_row
        self._rows = rows
        self._closer = closer

    def __iter__(self):
        try:
            for number, cells in self._rows:
                if not _is_blank(cells):
                    yield number, cells
        finally:
            self.close()

    def close(self):
        if self._closer is not None:
            self._closer()
            self._closer = None


def sniff_kind(head, filename=""):
    name = (filename or "").lower()
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise FileError(
            _(
                "This is an old binary Excel file (.xls). "
                "Save it as .xlsx or as CSV UTF-8 and upload it again."
            )
        )
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        raise FileError(
            _(
                "The file is named like an Excel file but is not one (was it renamed?). "
                "Open it in Excel and save it as .xlsx, or save it as CSV UTF-8."
            )
        )
    if b"\x00" in head[:8192]:
        raise FileError(_("This is not a spreadsheet: upload an .xlsx file or a CSV file."))
    return "csv"


def open_table(fileobj, filename=""):
    """A `Table` for a binary file object (seekable)."""
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    if not head.replace(codecs.BOM_UTF8, b"").strip():
        raise FileError(_("The file is empty."))
    kind = sniff_kind(head, filename)
    if kind == "xlsx":
        return _open_xlsx(fileobj)
    return _open_csv(fileobj, head)


def _first_row(rows):
    for number, cells in rows:
        if not _is_blank(cells):
            return number, cells
    raise FileError(_("The file has no header row: it is empty."))


def _open_xlsx(fileobj):
    import openpyxl

    try:
        book = openpyxl.load_workbook(fileobj, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, TypeError) as exc:
        raise FileError(
            _(
                "The Excel file is damaged or incomplete and cannot be read (%(reason)s). "
                "Open it in Excel, save it again and upload it."
            )
            % {"reason": type(exc).__name__}
        ) from None
    except Exception as exc:  # openpyxl raises many kinds on broken XML
        raise FileError(
            _(
                "The Excel file is damaged or incomplete and cannot be read (%(reason)s). "
                "Open it in Excel, save it again and upload it."
            )
            % {"reason": type(exc).__name__}
        ) from None
    if not book.worksheets:
        book.close()
        raise FileError(_("The Excel file has no sheets."))
    sheet = book.worksheets[0]
    # Files written by other programs often state a wrong size; read what is there.
    sheet.reset_dimensions()

    def rows():
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell(v) for v in values]
                while cells and cells[-1] == "":
                    cells.pop()
                yield number, cells
        except FileError:
            raise
        except Exception as exc:
            raise FileError(
                _(
                    "The Excel file is damaged or incomplete and cannot be read (%(reason)s). "
                    "Open it in Excel, save it again and upload it."
                )
                % {"reason": type(exc).__name__}
            ) from None

    stream = rows()
    header_row, header = _first_row(stream)
    return Table("xlsx", header, header_row, stream, closer=book.close)


def _delimiter(head_text):
    first_line = head_text.splitlines()[0] if head_text else ""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unquote_guard(value):
    # Our own exports prefix formula-looking text with an apostrophe; take it off again.
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _open_csv(fileobj, head):
    try:
        head_text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the sample's end
            line = head[: exc.start].count(b"\n") + 1
            raise FileError(
                _(
                    "The file is not UTF-8 text (line %(line)s). It was probably saved in an "
                    "old encoding such as Windows-1251. In Excel choose «Save as» → «CSV UTF-8», "
                    "or upload the .xlsx file."
                )
                % {"line": line}
            ) from None
        head_text = head[: exc.start].decode("utf-8-sig")
    delimiter = _delimiter(head_text)
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delimiter)

    def rows():
        number = 0
        try:
            for record in reader:
                number += 1
                cells = [_cell(_unquote_guard(v)) for v in record]
                while cells and cells[-1] == "":
                    cells.pop()
                yield number, cells
        except UnicodeDecodeError:
            raise FileError(
                _(
                    "The file is not UTF-8 text (near row %(row)s). Parts of it were probably saved "
                    "in an old encoding such as Windows-1251. In Excel choose «Save as» → «CSV UTF-8», "
                    "or upload the .xlsx file."
                )
                % {"row": number + 1}
            ) from None
        except csv.Error as exc:
            raise FileError(
                _("The CSV file is broken near row %(row)s: %(reason)s.") % {"row": number + 1, "reason": exc}
            ) from None

    def close():
        try:
            text.detach()
        except ValueError:
            pass

    stream = rows()
    header_row, header = _first_row(stream)
    return Table("csv", header, header_row, stream, closer=close)
