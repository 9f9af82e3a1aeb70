"""`manage.py load_demo [--reset]`: the 2020 West Kazakhstan demo programme and the demo users."""

import time

from django.core.management.base import BaseCommand

from birgemiz.audit import acting_as
from demo.bko2020 import DEMO_PASSWORD, PROGRAM_CODE
from demo.bko2020.loader import load_demo, logins


class Command(BaseCommand):
    help = (
        f"Create the demo programme {PROGRAM_CODE} (West Kazakhstan, 2020) and the demo users "
        f"coordinator, volunteer, council and officer (password {DEMO_PASSWORD}). Does nothing when "
        f"{PROGRAM_CODE} exists, unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=f"Delete {PROGRAM_CODE} (records and evidence files) and load it again.",
        )

    def handle(self, *args, reset=False, **options):
        started = time.monotonic()
        with acting_as(None, "demo"):
            program = load_demo(reset=reset)
        if program is None:
            self.stdout.write(
                f"The demo programme {PROGRAM_CODE} already exists; nothing was written. "
                "Use --reset to load it again."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo programme {program.code} in {time.monotonic() - started:.1f} s."
                )
            )
        self.stdout.write(f"\nDemo logins (password: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'username':<12} {'role':<12} go to")
        for username, role, where in logins():
            self.stdout.write(f"  {username:<12} {role:<12} {where}")
