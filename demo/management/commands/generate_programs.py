"""`python manage.py generate_programs --regions 20 --scale 1`: synthetic programmes,
one per region, for benchmarks and demos (see `demo.synthetic`)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from birgemiz.models import Program
from demo.synthetic.generator import Generator
from demo.synthetic.regions import REGIONS


class Command(BaseCommand):
    help = "Create realistic synthetic programmes (one per region) for benchmarks and demos."

    def add_arguments(self, parser):
        parser.add_argument(
            "--regions", type=int, default=len(REGIONS),
            help=f"How many regions, 1 to {len(REGIONS)} (always the same ones, in a fixed order).",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0,
            help="Size of each programme relative to the demo programme (1 = about 1 600 students).",
        )
        parser.add_argument("--year", type=int, default=2020, help="Programme year (March to November).")
        parser.add_argument("--seed", type=int, default=2020, help="Random seed: same seed, same data.")
        parser.add_argument(
            "--allow-mixed", action="store_true",
            help="Run even though the database holds real (non-synthetic) programmes.",
        )

    def handle(self, *args, regions, scale, year, seed, allow_mixed, **options):
        if not 1 <= regions <= len(REGIONS):
            raise CommandError(_("--regions must be between 1 and %(max)s.") % {"max": len(REGIONS)})
        if not 0 < scale <= 10:
            raise CommandError(_("--scale must be above 0 and at most 10."))
        real = Program.objects.filter(is_synthetic=False)
        if real.exists() and not allow_mixed:
            codes = ", ".join(real.order_by("code").values_list("code", flat=True)[:5])
            raise CommandError(
                _(
                    "This database holds real programmes (%(codes)s). Synthetic data would be mixed "
                    "with them. Use a database of its own, or pass --allow-mixed if you mean it."
                )
                % {"codes": codes}
            )
        started = time.perf_counter()
        generator = Generator(seed=seed, scale=scale, year=year, stdout=self.stdout)
        for index in range(regions):
            generator.generate(index)
        s = generator.summary
        self.stdout.write(
            self.style.SUCCESS(
                f"{s.programs} programmes, {s.students} students, {s.volunteers} volunteers, "
                f"{s.survey_responses} survey responses, {s.lessons} lessons, {s.attendance} attendance "
                f"rows, {s.test_results} test results in {time.perf_counter() - started:.1f} s"
            )
        )
