"""Import a spreadsheet into a register, all or nothing; export a register.

`import_file` reads the file (streamed), matches its headers by name in kk / ru / en,
checks every row and writes inside one transaction that is rolled back when any row
is bad (or on a dry run). The report lists every bad row by its spreadsheet row
number (the header is row 1), column and reason.

Exports go through the same resources; `write_xlsx` / `write_csv` never let a cell
run as a formula: text beginning with = + - @ is written as a text cell (XLSX) or
with a leading apostrophe (CSV), which the reader takes off again on re-import.
"""

import contextlib
import csv
import datetime
import io
from decimal import Decimal

import tablib
from django.db import transaction
from django.utils.translation import gettext as _

from birgemiz.audit import acting_as
from birgemiz.xlsx import looks_like_formula, set_text

from . import get as get_register
from .reader import FileError, TooLong, open_table
from .widgets import norm

MAX_FILE_BYTES = 100 * 1024 * 1024


class ImportReport:
    """What an import did or would do; serialisable for the background job."""

    def __init__(self, register="", program="", dry_run=False):
        self.register = register
        self.program = program
        self.dry_run = dry_run
        self.new = 0
        self.updated = 0
        self.unchanged = 0
        self.errors = []  # {"row", "column", "message"}
        self.warnings = []
        self.file_error = ""
        self.written = False
        self.rows = 0

    @property
    def ok(self):
        return not self.file_error and not self.errors

    @property
    def bad_rows(self):
        return len({e["row"] for e in self.errors})

    def add_error(self, row, column, message):
        self.errors.append({"row": row, "column": str(column), "message": str(message)})

    def sort(self):
        self.errors.sort(key=lambda e: (e["row"] or 0, e["column"]))

    def as_dict(self):
        return {
            "register": self.register,
            "program": self.program,
            "dry_run": self.dry_run,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": self.errors,
            "warnings": self.warnings,
            "file_error": self.file_error,
            "written": self.written,
            "rows": self.rows,
        }

    @classmethod
    def from_dict(cls, data):
        report = cls()
        for key, value in (data or {}).items():
            setattr(report, key, value)
        return report

    def error_lines(self):
        if self.file_error:
            return [self.file_error]
        lines = []
        for e in self.errors:
            where = _("row %(row)s") % {"row": e["row"]} if e["row"] else _("file")
            if e["column"]:
                where += f", «{e['column']}»"
            lines.append(f"{where}: {e['message']}")
        return lines


class Columns:
    """The file's header matched to the register's columns."""

    def __init__(self, resource, header):
        names = resource.header_names()
        self.keys = []  # per file column: key or None
        self.headers = {}  # key -> the header as written in the file
        self.unknown = []
        self.duplicates = []
        for cell in header:
            text = "" if cell is None else str(cell).strip()
            key = names.get(norm(text.rstrip("*").strip())) if text else None
            if key is not None and key in self.headers:
                self.duplicates.append((self.headers[key], text))
                key = None
            elif key is not None:
                self.headers[key] = text
            elif text:
                self.unknown.append(text)
            self.keys.append(key)
        self.missing = [
            k for k in resource.column_keys() if resource.is_required(k) and k not in self.headers
        ]

    def display(self, resource, key):
        return self.headers.get(key) or (resource.label(key) if key else "")


def import_file(name, fileobj, filename, *, program, user, dry_run=False, progress=None):
    """Import one file into register `name` of `program` as `user`. Returns an ImportReport."""
    resource_class = get_register(name)
    report = ImportReport(register=name, program=program.code, dry_run=dry_run)
    resource = resource_class(program=program, user=user)
    try:
        table = open_table(fileobj, filename)
    except FileError as exc:
        report.file_error = str(exc)
        return report
    try:
        columns = Columns(resource, table.header)
        problems = []
        if columns.duplicates:
            problems.append(
                _("Two columns mean the same thing: %(pairs)s. Keep one of each.")
                % {"pairs": "; ".join(f"«{a}» / «{b}»" for a, b in columns.duplicates)}
            )
        if columns.missing:
            problems.append(
                _("Required columns are missing: %(columns)s.")
                % {"columns": ", ".join(f"«{resource.label(k)}»" for k in columns.missing)}
            )
        if not columns.headers:
            problems.append(
                _(
                    "None of the headers is a column of the register «%(register)s». "
                    "Download the template to see them."
                )
                % {"register": resource_class.verbose_name}
            )
        if problems:
            report.file_error = " ".join(str(p) for p in problems)
            return report
        if columns.unknown:
            report.warnings.append(
                _("These columns are not part of the register and were ignored: %(columns)s.")
                % {"columns": ", ".join(f"«{h}»" for h in columns.unknown)}
            )
        rows = _rows(table, columns, resource, report)
        try:
            with acting_as(user, "import"), _checking_only(resource, dry_run), transaction.atomic():
                resource.import_rows(rows, report, columns, dry_run=dry_run, progress=progress)
                if report.rows == 0 and not report.errors and not report.file_error:
                    report.file_error = _("The file has a header but no data rows.")
                report.sort()
                if dry_run or not report.ok:
                    transaction.set_rollback(True)
                else:
                    report.written = True
        except FileError as exc:
            report.file_error = str(exc)
            report.written = False
    finally:
        table.close()
    return report


@contextlib.contextmanager
def _checking_only(resource, dry_run):
    """A preview that writes nothing takes no write lock.

    SQLite runs every transaction IMMEDIATE (it takes the database's one write lock when it
    begins), so a 50 000-row preview would keep every other writer (a log-in, a lesson)
    waiting for its whole length. A register with its own `import_rows` writes nothing on a
    dry run (`RegisterResource.import_rows`), so its preview runs DEFERRED: a read. The
    row-by-row path saves and rolls back even on a dry run, so it keeps the lock."""
    from .resource import RegisterResource

    connection = transaction.get_connection()
    reads_only = dry_run and type(resource).import_rows is not RegisterResource.import_rows
    if not reads_only or connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    if not hasattr(connection, "transaction_mode"):
        connection.get_connection_params()
    mode = connection.transaction_mode
    connection.transaction_mode = "DEFERRED"
    try:
        yield
    finally:
        connection.transaction_mode = mode


def _rows(table, columns, resource, report):
    """(row number, {key: value}) for each data row; over-long cells reported."""
    keys = columns.keys
    for number, cells in table:
        row = {}
        too_long = False
        for index, key in enumerate(keys):
            if key is None:
                continue
            value = cells[index] if index < len(cells) else ""
            if isinstance(value, TooLong):
                report.add_error(
                    number,
                    columns.display(resource, key),
                    _("The cell is too long (%(length)s characters; at most 10 000).")
                    % {"length": value.length},
                )
                too_long = True
            row[key] = value
        report.rows += 1
        if not too_long:  # already reported; checking the rest of it would only add noise
            yield number, row


def duplicate_message(first_row):
    return _("Duplicate row: the same record as row %(row)s.") % {"row": first_row}


def import_rows_by_resource(resource, rows, report, columns, dry_run=False, progress=None):
    """The row-by-row path: django-import-export's import_data on the whole file,
    with duplicates in the file found first (they would otherwise update each other)."""
    keys = [k for k in columns.keys if k is not None]
    dataset = tablib.Dataset(headers=keys)
    numbers = []
    seen = {}
    for number, row in rows:
        duplicate_of = None
        row_keys = resource.clean_keys(row)
        for key in row_keys:
            if key in seen:
                duplicate_of = seen[key]
                break
        if duplicate_of is not None:
            report.add_error(number, "", duplicate_message(duplicate_of))
            continue
        for key in row_keys:
            seen[key] = number
        dataset.append([row.get(k, "") for k in keys])
        numbers.append(number)
    if not numbers:
        return
    resource.on_row = progress
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    for error in result.base_errors:
        report.add_error(0, "", str(error.error))
    for invalid in result.invalid_rows:
        number = numbers[invalid.number - 1]
        for field_key, messages in invalid.error_dict.items():
            column = columns.display(resource, resource.column_for_error(field_key))
            for message in messages:
                report.add_error(number, column, message)
    for index, errors in result.row_errors():
        for error in errors:
            report.add_error(
                numbers[index - 1], "", _("Could not be saved: %(reason)s") % {"reason": error.error}
            )
    report.new += result.totals.get("new", 0)
    report.updated += result.totals.get("update", 0)
    report.unchanged += result.totals.get("skip", 0)


# ---------------------------------------------------------------- export


def export_rows(resource, queryset=None):
    """Headers (in the active language) and a stream of typed rows."""
    queryset = resource.export_queryset() if queryset is None else queryset
    export_fields = resource.get_export_fields()
    headers = [resource.label(f.column_name) for f in export_fields]

    def rows():
        for obj in resource.iter_export(queryset):
            yield [resource.export_field(f, obj) for f in export_fields]

    return headers, rows()


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, (datetime.date, datetime.datetime)):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD.MM.YYYY" if not isinstance(value, datetime.datetime) else "DD.MM.YYYY HH:MM"
        return cell
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    if isinstance(value, str):
        if looks_like_formula(value):
            return set_text(WriteOnlyCell(sheet), value)
        if value.isdigit() and len(value) > 1:
            # Codes and IINs stay text so Excel keeps their leading zeros.
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cell.number_format = "@"
            return cell
    return value


def write_xlsx(headers, rows, out, sheet_title="", notes=None):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(sheet_title or "data")[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = set_text(WriteOnlyCell(sheet), str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    if notes:
        help_sheet = book.create_sheet(title=str(_("Columns"))[:31])
        for line in notes:
            help_sheet.append([_xlsx_cell(help_sheet, v) for v in line])
    book.save(out)


def _csv_text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        # Kazakh and Russian Excel read "2.5" as a date; a decimal comma is a number.
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    text = str(value)
    if looks_like_formula(text):
        return "'" + text
    return text


def write_csv(headers, rows, out):
    """UTF-8 with a BOM and `;`, what Kazakh and Russian Excel open without a wizard."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_csv_text(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    text.flush()
    text.detach()


def write_table(fmt, headers, rows, out, sheet_title="", notes=None):
    if fmt == "csv":
        write_csv(headers, rows, out)
    else:
        write_xlsx(headers, rows, out, sheet_title=sheet_title, notes=notes)


def export_register(name, fmt, out, *, program, user=None, queryset=None):
    resource = get_register(name)(program=program, user=user)
    headers, rows = export_rows(resource, queryset)
    write_table(fmt, headers, rows, out, sheet_title=name)


def template_notes(resource):
    notes = [[_("Column"), _("Required"), _("Also accepted as"), _("Example")]]
    from django.utils import translation

    for key in resource.column_keys():
        if key in resource.readonly_columns:
            continue
        others = []
        for lang in ("kk", "ru", "en"):
            with translation.override(lang):
                label = resource.label(key)
            if label not in others and label != resource.label(key):
                others.append(label)
        notes.append(
            [
                resource.label(key),
                _("yes") if resource.is_required(key) else "",
                ", ".join(others),
                resource.example.get(key, ""),
            ]
        )
    return notes


def write_template(name, fmt, out, *, program=None):
    """A blank file with the register's headers and one example row."""
    resource = get_register(name)(program=program)
    headers = [resource.label(k) for k in resource.column_keys()]
    write_table(fmt, headers, [resource.example_row()], out, sheet_title=name, notes=template_notes(resource))
