"""`python manage.py export_report --program CODE --format pdf|xlsx --lang kk|ru -o FILE`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from birgemiz.models import Program
from reporting.report import build_report
from reporting.services import render_report


class Command(BaseCommand):
    help = "Write a programme's final report as PDF or XLSX (not kept as an issued report)."

    def add_arguments(self, parser):
        parser.add_argument("--program", required=True, help="programme code, e.g. bko-2020")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("--lang", choices=["kk", "ru"], default="kk")
        parser.add_argument("-o", "--output", required=True, help="file to write")

    def handle(self, *args, **options):
        try:
            program = Program.objects.select_related("organization").get(code=options["program"])
        except Program.DoesNotExist:
            raise CommandError(f"No programme with code {options['program']!r}") from None
        report = build_report(program, options["lang"])
        data = render_report(report, options["format"])
        Path(options["output"]).write_bytes(data)
        self.stdout.write(
            f"{options['output']}: {len(data)} bytes, {len(report.warnings)} warning(s)"
        )
        for check in report.warnings:
            self.stdout.write(f"  ! {check.title}: {check.detail}")
