"""python manage.py export_register REGISTER --program CODE -o FILE (.xlsx or .csv)"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from birgemiz import registers
from birgemiz.models import Program
from birgemiz.registers.engine import export_register, write_template


class Command(BaseCommand):
    help = "Export a register of a programme to XLSX or CSV (by the file's extension)."

    def add_arguments(self, parser):
        parser.add_argument("register", help=", ".join(registers.names()))
        parser.add_argument("--program", help="programme code, e.g. bko-2020")
        parser.add_argument("-o", "--output", required=True, help="file to write: .xlsx or .csv")
        parser.add_argument("--template", action="store_true", help="a blank template with an example row")

    def handle(self, *args, register, program, output, template, **options):
        if registers.get(register) is None:
            raise CommandError(f"Unknown register {register!r}; one of: {', '.join(registers.names())}")
        suffix = Path(output).suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise CommandError("The output file must end in .xlsx or .csv.")
        fmt = suffix[1:]
        program_obj = None
        if program:
            try:
                program_obj = Program.objects.get(code=program)
            except Program.DoesNotExist:
                raise CommandError(f"No programme with code {program!r}.") from None
        elif not template:
            raise CommandError("--program CODE is required.")
        with open(output, "wb") as out:
            if template:
                write_template(register, fmt, out, program=program_obj)
            else:
                export_register(register, fmt, out, program=program_obj)
        self.stdout.write(f"Wrote {output}.")
