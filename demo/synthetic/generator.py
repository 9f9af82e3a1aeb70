"""The generator: one synthetic programme per region, put together from one part per
topic (`plan`, `council`, `courses`, `outreach`), all drawing from one seeded generator
per programme in a fixed order."""

import datetime
import random
from dataclasses import dataclass
from functools import partial

from django.db import transaction

from birgemiz.models import District, Organization, Program, Region, School

from ..names import national_name
from ..purge import delete_files, program_purge
from ..seed import read_csv, seed_tracks
from .council import CouncilMixin
from .courses import CoursesMixin
from .outreach import OutreachMixin
from .plan import PlanMixin
from .regions import NGO_NAMES, REGIONS, SETTLEMENTS


@dataclass
class Summary:
    programs: int = 0
    students: int = 0
    volunteers: int = 0
    survey_responses: int = 0
    lessons: int = 0
    attendance: int = 0
    test_results: int = 0


class Generator(PlanMixin, CouncilMixin, CoursesMixin, OutreachMixin):
    """Writes one synthetic programme per region. `scale` multiplies every head count."""

    def __init__(self, *, seed=2020, scale=1.0, year=2020, stdout=None):
        self.seed = seed
        self.scale = scale
        self.year = year
        self.stdout = stdout
        self.summary = Summary()
        self.seed_tracks = seed_tracks()
        self.plan_fact = read_csv("plan_fact.csv")
        self.activities = read_csv("activities.csv")
        self.unt_subjects = [row["subject"] for row in read_csv("unt_subjects.csv")]

    def log(self, message):
        if self.stdout is not None:
            self.stdout.write(message)

    def n(self, demo_count, rng, spread=0.15, minimum=1):
        """A head count near the demo's, scaled, varying by region."""
        factor = 1 + rng.uniform(-spread, spread)
        return max(minimum, round(demo_count * self.scale * factor))

    @staticmethod
    def program_code(region_code, year):
        return f"syn-{region_code}-{year}"

    def geography(self, index):
        code, name_kk, name_ru, districts = REGIONS[index]
        region = (
            Region.objects.filter(code=code).first() or Region.objects.filter(name_kk=name_kk).first()
        )
        if region is None:
            region = Region.objects.create(code=code, name_kk=name_kk, name_ru=name_ru)
        rng = random.Random(f"{self.seed}-geo-{code}")
        schools = []
        for d_kk, d_ru, is_city in districts:
            district, _ = District.objects.get_or_create(
                region=region, name_kk=d_kk, defaults={"name_ru": d_ru, "is_city": is_city}
            )
            have = list(district.schools.order_by("id"))
            if len(have) < 6:
                settlements = rng.sample(SETTLEMENTS, 6)
                new = []
                names = {s.name for s in have}
                for i in range(6 - len(have)):
                    number = 1 + (i * 7 + len(d_kk)) % 40
                    settlement = d_kk.split()[0] if is_city else settlements[i]
                    name = f"№{number} жалпы білім беретін мектеп, {settlement}"
                    if name in names:
                        continue
                    names.add(name)
                    new.append(School(district=district, name=name, settlement=settlement))
                School.objects.bulk_create(new)
                have = list(district.schools.order_by("id"))
            schools.extend((district, school) for school in have)
        return region, schools

    @staticmethod
    def person(rng, sex=None):
        """A person's fields: sex and names; two in three are women when `sex` is not given."""
        sex = sex or ("F" if rng.random() < 0.67 else "M")
        last, first, middle = national_name(rng, sex)
        return {"sex": sex, "last_name": last, "first_name": first, "middle_name": middle}

    @staticmethod
    def full_name(person):
        return f"{person['last_name']} {person['first_name']} {person['middle_name']}"

    def generate(self, index):
        code, name_kk, name_ru, _districts = REGIONS[index]
        rng = random.Random(f"{self.seed}-{code}-{self.year}")
        region, schools = self.geography(index)
        program_code = self.program_code(code, self.year)
        for old in Program.objects.filter(code=program_code, is_synthetic=True):
            transaction.on_commit(partial(delete_files, program_purge(old)))
        with transaction.atomic():
            self._program(rng, index, region, schools, program_code)
        self.summary.programs += 1

    def _program(self, rng, index, region, schools, program_code):
        y = self.year
        ngo_kk, ngo_ru = NGO_NAMES[index % len(NGO_NAMES)]
        org, _ = Organization.objects.get_or_create(
            name_kk=ngo_kk,
            defaults={
                "name_ru": ngo_ru,
                "legal_form": "Қоғамдық бірлестік",
                "chair_name": self.full_name(self.person(rng, "M")),
                "chair_title_kk": "Төраға",
                "chair_title_ru": "Председатель",
            },
        )
        plan_students = round(1000 * self.scale) or 1
        plan_volunteers = round(100 * self.scale) or 1
        program = Program.objects.create(
            organization=org,
            code=program_code,
            title_kk=f"«Birgemiz: Bilim» — {region.name_kk}",
            title_ru=f"«Birgemiz: Bilim» — {region.name_ru}",
            topic_kk="Ауыл мектептерінің жоғары сынып оқушыларына волонтерлік оқыту",
            topic_ru="Волонтёрское обучение старшеклассников сельских школ",
            grant_amount=15_000_000 + rng.randrange(0, 600) * 1000,
            start=datetime.date(y, 3, 1),
            end=datetime.date(y, 11, 30),
            region=region,
            operator_kk="«Азаматтық бастамаларды қолдау орталығы» КЕАҚ",
            operator_ru="НАО «Центр поддержки гражданских инициатив»",
            goal_kk="Ауыл оқушыларының білім сапасын волонтерлер арқылы арттыру",
            goal_ru="Повышение качества знаний сельских школьников силами волонтёров",
            planned_beneficiaries=plan_students,
            planned_volunteers=plan_volunteers,
            status=Program.Status.CLOSED,
            report_date=datetime.date(y, 11, 30),
            is_synthetic=True,
        )
        tasks, activities = self._tasks(program)
        tracks = self._tracks(rng, program, activities)
        self._indicators(rng, activities)
        volunteers = self._volunteers(rng, program, tracks, schools)
        council = self._council(rng, program, tracks, volunteers)
        students, groups = self._students(rng, program, tracks, volunteers, schools)
        self._lessons(rng, program, tracks, groups)
        self._tests(rng, program, tracks, groups)
        self._survey(rng, program, tracks, schools, students)
        self._outreach(rng, program, activities, schools)
        self._awards(rng, program, volunteers, council)
        self.log(f"  {program.code}: {len(students)} students, {len(volunteers)} volunteers")
        return program
