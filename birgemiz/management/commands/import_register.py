"""python manage.py import_register REGISTER FILE --program CODE [--dry-run]

Exit status 0 when the file was written (or, with --dry-run, would be), 1 with every
bad row on standard error when nothing was written.
"""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from birgemiz import registers
from birgemiz.models import Program
from birgemiz.registers.engine import import_file


class Command(BaseCommand):
    help = "Import a spreadsheet (XLSX or CSV) into a register of a programme, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("register", help=", ".join(registers.names()))
        parser.add_argument("file", nargs="?", help="path to an .xlsx or .csv file")
        parser.add_argument("--program", help="programme code, e.g. bko-2020")
        parser.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
        parser.add_argument("--user", help="username recorded in the audit trail")

    def handle(self, *args, register, file, program, dry_run, user, **options):
        if registers.get(register) is None:
            raise CommandError(f"Unknown register {register!r}; one of: {', '.join(registers.names())}")
        if not file or not program:
            raise CommandError("FILE and --program CODE are required.")
        try:
            program_obj = Program.objects.get(code=program)
        except Program.DoesNotExist:
            raise CommandError(f"No programme with code {program!r}.") from None
        actor = None
        if user:
            try:
                actor = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"No user {user!r}.") from None
        try:
            handle = open(file, "rb")
        except OSError as exc:
            raise CommandError(f"Cannot open {file}: {exc.strerror}") from None
        with handle:
            report = import_file(register, handle, file, program=program_obj, user=actor, dry_run=dry_run)
        for warning in report.warnings:
            self.stderr.write(str(warning))
        summary = f"new {report.new}, updated {report.updated}, unchanged {report.unchanged}"
        if not report.ok:
            for line in report.error_lines():
                self.stderr.write(line)
            self.stderr.write(
                f"Nothing was written: {report.bad_rows} bad row(s) of {report.rows}."
                if not report.file_error
                else "Nothing was written."
            )
            sys.exit(1)
        if dry_run:
            self.stdout.write(f"Dry run, nothing written: would be {summary}.")
        else:
            self.stdout.write(f"Written: {summary}.")
