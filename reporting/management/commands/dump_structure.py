"""`manage.py dump_structure CODE [--national] [--out FILE]`: a programme's structure (tasks,
activities, indicators and plans, tracks and subjects, surveys, information-work plan,
socio-economic indicators, council criteria; no people, records or facts) as JSON.

`reporting/national/birgemiz-bilim.json`, the built-in national plan a new programme can
start from, is written with `--national` from the demo programme bko-2020 (the 2020 plan
of «Birgemiz: Bilim»), which leaves out the activities' places."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from birgemiz.models import Program
from reporting.programme_copy import dump


class Command(BaseCommand):
    help = "Write a programme's structure (no people, records or facts) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--national", action="store_true", help="Leave out what only one region writes.")
        parser.add_argument("--out", default="-", help="File to write (default: standard output).")

    def handle(self, *args, code, national, out, **options):
        program = Program.objects.filter(code=code).first()
        if program is None:
            raise CommandError(f"No programme {code}.")
        text = json.dumps(dump(program, national=national), ensure_ascii=False, indent=1, sort_keys=True)
        if out == "-":
            sys.stdout.write(text + "\n")
        else:
            with open(out, "w", encoding="utf-8") as f:
                f.write(text + "\n")
