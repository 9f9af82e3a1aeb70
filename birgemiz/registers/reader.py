"""Read a spreadsheet a person sends: XLSX or CSV, streamed row by row.

The format is decided by the content, not the name: a `.txt` renamed `.xlsx` or an
old binary `.xls` gets a clear error instead of a stack trace. CSV is UTF-8 (with
or without a BOM), `;`, `,` or tab separated (sniffed from the header line).
Anything else (a cp1251 "CSV" saved by an older Excel) is refused with the line
where decoding failed and how to save the file properly: guessing an 8-bit code
page would silently turn Kazakh letters into other letters.

Row numbers are those a person sees in Excel: the first row is 1.

Limits, checked before anything is parsed (`check_xlsx`): an XLSX is a zip, and 2 MB of
it can unpack to gigabytes (a "decompression bomb"); the sizes its directory declares
are capped (MAX_UNCOMPRESSED_BYTES in all, MAX_SHARED_STRINGS_BYTES for the shared
strings, which openpyxl holds in memory), and so is the row count the sheet declares. The
rows actually read are counted too (`max_rows`), so a file that declares nothing stops at
the limit. Every refusal names the limit.
"""

import codecs
import csv
import datetime
import io
import re
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary .xls / .doc
MAX_CELL_CHARS = 10_000
SNIFF_BYTES = 64 * 1024
MAX_ROWS = 200_000
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 100 * 1024 * 1024

# A 10 MB cell must be read (and reported as too long), not crash the csv module.
csv.field_size_limit(64 * 1024 * 1024)


class FileError(Exception):
    """The file as a whole cannot be read; nothing in it is imported."""


def limits():
    """(rows, uncompressed bytes, shared-strings bytes) for register imports (settings may lower them)."""
    return (
        getattr(settings, "REGISTERS_MAX_ROWS", MAX_ROWS),
        getattr(settings, "REGISTERS_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES),
        getattr(settings, "REGISTERS_MAX_SHARED_STRINGS_BYTES", MAX_SHARED_STRINGS_BYTES),
    )


def _mb(size):
    return f"{size / (1024 * 1024):.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.1f}"


def too_many_rows(limit):
    return FileError(
        _("The file has more than %(limit)s rows, the limit for one import. Split it into smaller files.")
        % {"limit": f"{limit:,}".replace(",", " ")}
    )


_SHEET = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]+)"')
_REL = re.compile(rb"<Relationship\b[^>]*>")
_DIMENSION = re.compile(rb'<dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')


def _first_sheet(book):
    """The zip member of the workbook's first sheet (the one the reader reads), or None."""
    try:
        with book.open("xl/workbook.xml") as handle:
            workbook = handle.read(1_000_000)
        with book.open("xl/_rels/workbook.xml.rels") as handle:
            rels = handle.read(1_000_000)
    except KeyError:
        return None
    first = _SHEET.search(workbook)
    if not first:
        return None
    for rel in _REL.findall(rels):
        if f'Id="{first.group(1).decode()}"'.encode() in rel:
            target = re.search(rb'Target="([^"]+)"', rel)
            if target:
                name = target.group(1).decode().lstrip("/")
                return name if name.startswith("xl/") else f"xl/{name}"
    return None


def check_xlsx(fileobj, *, max_rows, max_bytes, max_shared_strings):
    """Refuse an XLSX whose declared sizes or rows pass the limits, before parsing it."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as book:
            infos = book.infolist()
            total = sum(info.file_size for info in infos)
            shared = sum(
                info.file_size for info in infos if info.filename.lower().endswith("sharedstrings.xml")
            )
            if total > max_bytes or shared > max_shared_strings:
                size, limit = (total, max_bytes) if total > max_bytes else (shared, max_shared_strings)
                raise FileError(
                    _(
                        "The Excel file unpacks to %(size)s MB, more than the limit of %(limit)s MB "
                        "(a 2 MB file can hold gigabytes). Split it into smaller files "
                        "or save it as CSV UTF-8."
                    )
                    % {"size": _mb(size), "limit": _mb(limit)}
                )
            sheet = _first_sheet(book)
            if sheet and sheet in book.namelist():
                with book.open(sheet) as handle:
                    declared = _DIMENSION.search(handle.read(4096))
                if declared and int(declared.group(1)) > max_rows + 1:
                    raise FileError(
                        _(
                            "The sheet has %(rows)s rows, more than the limit of %(limit)s rows for one "
                            "import. Split it into smaller files."
                        )
                        % {
                            "rows": f"{int(declared.group(1)):,}".replace(",", " "),
                            "limit": f"{max_rows:,}".replace(",", " "),
                        }
                    )
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        pass  # openpyxl then says the file is damaged, in its own words
    finally:
        fileobj.seek(0)


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


def open_table(fileobj, filename="", max_rows=None):
    """A `Table` for a binary file object (seekable), within the register limits."""
    rows_limit, bytes_limit, shared_limit = limits()
    max_rows = max_rows or rows_limit
    fileobj.seek(0)
    head = fileobj.read(SNIFF_BYTES)
    fileobj.seek(0)
    if not head.replace(codecs.BOM_UTF8, b"").strip():
        raise FileError(_("The file is empty."))
    kind = sniff_kind(head, filename)
    if kind == "xlsx":
        check_xlsx(fileobj, max_rows=max_rows, max_bytes=bytes_limit, max_shared_strings=shared_limit)
        return _open_xlsx(fileobj, max_rows)
    return _open_csv(fileobj, head, max_rows)


def _first_row(rows):
    for number, cells in rows:
        if not _is_blank(cells):
            return number, cells
    raise FileError(_("The file has no header row: it is empty."))


def _open_xlsx(fileobj, max_rows):
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
                if number > max_rows + 1:  # the header and max_rows rows
                    raise too_many_rows(max_rows)
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


def _head_text(head):
    """The sample as text. The BOM is taken off first and the sample decoded incrementally,
    so a character cut by the sample's end (wherever the BOM shifted it to) waits for bytes
    that never come instead of failing; a real decoding error names its line."""
    body = head[len(codecs.BOM_UTF8) :] if head.startswith(codecs.BOM_UTF8) else head
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise FileError(
            _(
                "The file is not UTF-8 text (line %(line)s). It was probably saved in an "
                "old encoding such as Windows-1251. In Excel choose «Save as» → «CSV UTF-8», "
                "or upload the .xlsx file."
            )
            % {"line": line}
        ) from None


def _open_csv(fileobj, head, max_rows):
    head_text = _head_text(head)
    delimiter = _delimiter(head_text)
    text = io.TextIOWrapper(fileobj, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delimiter)

    def rows():
        number = 0
        try:
            for record in reader:
                number += 1
                if number > max_rows + 1:
                    raise too_many_rows(max_rows)
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
