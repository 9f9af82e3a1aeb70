"""`manage.py load_demo [--reset]`: the 2020 West Kazakhstan demo programme and the demo users."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from birgemiz.audit import acting_as
from demo.bko2020 import DEMO_PASSWORD, PROGRAM_CODE
from demo.bko2020.loader import DemoRefused, load_demo, logins


class Command(BaseCommand):
    help = (
        f"Create the demo programme {PROGRAM_CODE} (West Kazakhstan, 2020) and the demo users "
        f"coordinator, volunteer, council and officer (password {DEMO_PASSWORD}). Does nothing when "
        f"{PROGRAM_CODE} exists, unless --reset is given. Development only: it refuses with DEBUG off, "
        "and on a database holding programmes it did not create unless --force is given; it never "
        "changes the password of a user that exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=f"Delete the demo's {PROGRAM_CODE} (records and evidence files) and load it again.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even though the database holds programmes it did not create.",
        )

    def handle(self, *args, reset=False, force=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo writes published demo passwords: it runs only with DEBUG=True "
                "(a development machine), never on a deployment."
            )
        started = time.monotonic()
        try:
            with acting_as(None, "demo"):
                program = load_demo(reset=reset, force=force)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
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
        kept = getattr(program, "kept_users", [])
        if kept:
            self.stdout.write(
                "These users existed already and keep the password they had: " + ", ".join(kept)
            )
        self.stdout.write(f"\nDemo logins (password: {DEMO_PASSWORD}):")
        self.stdout.write(f"  {'username':<12} {'role':<12} go to")
        for username, role, where in logins():
            self.stdout.write(f"  {username:<12} {role:<12} {where}")
