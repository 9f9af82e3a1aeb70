"""Synthetic programmes for benchmarks and demos: one per region, each the size of the
demo programme (≈1 600 students, 110 volunteers, 2 600 survey responses, and every
student's enrollment, lessons, attendance, pre/post tests), deterministic for a seed.

Rows are written with `bulk_create` in batches, bypassing the services on purpose:
the services validate one row at a time (and write the audit trail), which is right
for people typing data and far too slow for a million generated rows. Everything the
generator writes is marked by `Program.is_synthetic`.
"""

import csv
import datetime
import random
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from assessments.models import TestResult, UntOutcome
from birgemiz.models import (
    Activity,
    District,
    Indicator,
    InfoWorkGroup,
    Meeting,
    Organization,
    Partner,
    Program,
    Publication,
    Region,
    School,
    Subject,
    Task,
    Track,
)
from courses.models import Attendance, CourseGroup, Enrollment, Lesson, Student
from surveys.models import Answer, Choice, Question, Survey, SurveyResponse
from volunteers.models import (
    ApplicationScore,
    Award,
    CouncilMeeting,
    CouncilMember,
    SelectionCriterion,
    Volunteer,
    VolunteerApplication,
)

from .regions import (
    FATHER_NAMES,
    FEMALE_FIRST,
    MALE_FIRST,
    NGO_NAMES,
    REGIONS,
    SETTLEMENTS,
    SURNAME_STEMS,
    patronymic,
    surname,
)

DATA = Path(__file__).parent / "data"
BATCH = 5000

# code, name_kk, name_ru, planned hours, plan volunteers, plan students, demo volunteers,
# demo students, demo pre %, demo post %, lesson hours
TRACKS = [
    ("english", "Ағылшын тілі", "Английский язык", 48, 20, 200, 21, 378, 46, 75),
    ("computer", "Компьютерлік сауаттылық", "Компьютерная грамотность", 8, 20, 250, 20, 258, 68, 93),
    ("unt", "ҰБТ-ға дайындық", "Подготовка к ЕНТ", 48, 25, 250, 25, 469, 70, 85),
    ("law", "Құқықтық сауаттылық", "Правовая грамотность", 8, 25, 250, 27, 385, 66, 90),
    (
        "olympiad",
        "Олимпиадаларға, ғылыми байқауларға дайындық",
        "Подготовка к олимпиадам и научным конкурсам",
        48,
        10,
        50,
        17,
        128,
        56,
        81,
    ),
]
TRACK_BY_TASK = {2: "english", 3: "computer", 4: "unt", 5: "law", 6: "olympiad"}
OLYMPIAD_SUBJECTS = [
    "Математика",
    "Физика",
    "Химия",
    "Биология",
    "География",
    "Информатика",
    "Қазақ тілі мен әдебиеті",
    "Тарих",
    "Ағылшын тілі",
]
DEMO_SURVEY_RESPONSES = 2641
DEMO_MEETINGS = 36
DEMO_APPLICANTS = 210
DEMO_AWARDED = 35
PUBLICATION_MONTHS = range(3, 12)  # March to November


@dataclass
class Summary:
    programs: int = 0
    students: int = 0
    volunteers: int = 0
    survey_responses: int = 0
    lessons: int = 0
    attendance: int = 0
    test_results: int = 0


def _csv(name):
    with open(DATA / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)")


def _number(text):
    match = _NUMBER.search(text or "")
    return Decimal(match.group(1).replace(",", ".")) if match else None


def parse_plan(text):
    """The seed's plan as written -> (comparator, value). Plain numbers are minimums."""
    text = text.strip()
    value = _number(text)
    if value is None or "%" in text or "Скрин" in text or "БАҚ" in text:
        return Indicator.Comparator.TEXT, value
    if text.lower().startswith("әр "):
        return Indicator.Comparator.PER_UNIT, value
    return Indicator.Comparator.AT_LEAST, value


def indicator_metric(task, activity, product):
    """Which seed products a synthetic programme computes from its records."""
    product = product.lower()
    if task == 1 and activity == 1:
        if product.startswith("қатысушылар саны"):
            return "meeting_participants", ""
        if product.startswith("кездесулер хаттамасы"):
            return "meetings_with_protocol", ""
        if product.startswith("қатысушылар тізімі"):
            return "meetings_with_participant_list", ""
        if product.startswith("бақ жарияланымдар"):
            return "publications", ""
        if product.startswith("видеороликтың қаралым"):
            return "video_views", "1.1"
    if (task, activity) == (1, 3) and "хаттамасы" in product:
        return "council_meetings", ""
    if (task, activity) == (1, 4) and product.startswith("білім беру бағыттары бойынша волонтерлар"):
        return "volunteers", ""
    if task in TRACK_BY_TASK:
        code = TRACK_BY_TASK[task]
        if product.startswith("қатысушылар саны"):
            return "students", code
        if product.startswith("волонтерлар саны"):
            return "volunteers", code
        if product.startswith("қатысу журналы"):
            return "attendance_journals", code
    if task == 7 and product.startswith("жоба жеңімпазы"):
        return "awarded_volunteers", ""
    return "", ""


def delete_program(program):
    """Delete a synthetic programme and its rows, children first, one DELETE per table.

    `QuerySet.delete()` would load every row to send signals (the audit trail listens)
    and would stop at the PROTECT foreign keys between a programme's own rows."""
    from django.db import router

    p = program.pk
    steps = [
        (Attendance, {"lesson__group__program": p}),
        (Lesson, {"group__program": p}),
        (Enrollment, {"group__program": p}),
        (TestResult, {"program": p}),
        (UntOutcome, {"student__program": p}),
        (Answer, {"response__survey__program": p}),
        (SurveyResponse, {"survey__program": p}),
        (Choice, {"question__survey__program": p}),
        (Question, {"survey__program": p}),
        (Survey, {"program": p}),
        (ApplicationScore, {"application__program": p}),
        (Award, {"program": p}),
        (VolunteerApplication, {"program": p}),
        (CourseGroup, {"program": p}),
        (Student, {"program": p}),
        (Volunteer, {"program": p}),
        (Indicator, {"activity__task__program": p}),
    ]
    raw = {model for model, _filters in steps}
    with transaction.atomic():
        for model, filters in steps:
            qs = model.objects.filter(**filters)
            # Rows of other tables that point here (a certificate, an online test attempt)
            # are few; the ORM deletes them the usual way, cascades and audit included.
            for rel in model._meta.related_objects:
                if rel.related_model not in raw and (rel.many_to_one or rel.one_to_one):
                    rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": qs}).delete()
            qs._raw_delete(router.db_for_write(model))
        # What remains is small: let the ORM cascade it.
        Program.objects.filter(pk=p).delete()


class Generator:
    """Writes one synthetic programme per region. `scale` multiplies every head count."""

    def __init__(self, *, seed=2020, scale=1.0, year=2020, stdout=None):
        self.seed = seed
        self.scale = scale
        self.year = year
        self.stdout = stdout
        self.summary = Summary()
        self.plan_fact = _csv("plan_fact.csv")
        self.activities = _csv("activities.csv")
        self.unt_subjects = [row["subject"] for row in _csv("unt_subjects.csv")]

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

    # ------------------------------------------------------------ geography

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

    # ------------------------------------------------------------ one programme

    def person(self, rng, sex=None):
        sex = sex or ("F" if rng.random() < 0.67 else "M")
        first = rng.choice(FEMALE_FIRST if sex == "F" else MALE_FIRST)
        return (
            sex,
            surname(rng.choice(SURNAME_STEMS), sex),
            first,
            patronymic(rng.choice(FATHER_NAMES), sex),
        )

    def generate(self, index):
        code, name_kk, name_ru, _districts = REGIONS[index]
        rng = random.Random(f"{self.seed}-{code}-{self.year}")
        region, schools = self.geography(index)
        program_code = self.program_code(code, self.year)
        for old in Program.objects.filter(code=program_code, is_synthetic=True):
            delete_program(old)
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
                "chair_name": " ".join(self.person(rng, "M")[1:]),
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

    def _tasks(self, program):
        titles = {}
        for row in self.activities:
            if row["task_title"]:
                titles[int(row["task"])] = row["task_title"]
        tasks = Task.objects.bulk_create(
            [Task(program=program, number=n, title_kk=t) for n, t in sorted(titles.items())]
        )
        by_number = {t.number: t for t in tasks}
        y = self.year
        acts = []
        for row in self.activities:
            acts.append(
                Activity(
                    task=by_number[int(row["task"])],
                    number=int(row["activity"]),
                    title_kk=row["activity_title"],
                    period_kk=row["period"],
                    start=datetime.date(y, 3, 1),
                    end=datetime.date(y, 11, 30),
                    place=program.region.name_kk,
                    participant_category_kk=row["participant_category"],
                    completeness_percent=100,
                    appendix_number=int(_number(row["appendix"]) or 0) or None,
                )
            )
        acts = Activity.objects.bulk_create(acts)
        return tasks, {(a.task.number, a.number): a for a in acts}

    def _tracks(self, rng, program, activities):
        tracks = []
        for order, (code, kk, ru, hours, pv, ps, *_rest) in enumerate(TRACKS):
            task = next(t for t, c in TRACK_BY_TASK.items() if c == code)
            tracks.append(
                Track(
                    program=program,
                    code=code,
                    order=order,
                    name_kk=kk,
                    name_ru=ru,
                    activity=activities.get((task, 1)),
                    planned_hours=Decimal(hours),
                    planned_students=max(1, round(ps * self.scale)),
                    planned_volunteers=max(1, round(pv * self.scale)),
                    group_capacity=25,
                )
            )
        tracks = Track.objects.bulk_create(tracks)
        subjects = []
        for track in tracks:
            names = {"unt": self.unt_subjects, "olympiad": OLYMPIAD_SUBJECTS}.get(track.code, [])
            subjects += [Subject(track=track, order=i, name_kk=name) for i, name in enumerate(names)]
        subjects = Subject.objects.bulk_create(subjects)
        for track in tracks:
            track.subject_list = [s for s in subjects if s.track_id == track.pk]
        return {t.code: t for t in tracks}

    def _indicators(self, rng, activities):
        rows = []
        order = {}
        for row in self.plan_fact:
            key = (int(row["task"]), int(row["activity"]))
            activity = activities[key]
            order[key] = order.get(key, 0) + 1
            comparator, target = parse_plan(row["plan"])
            metric, param = indicator_metric(*key, row["product"])
            fact = None if metric else _number(row["fact"])
            if fact is not None and comparator != Indicator.Comparator.TEXT:
                roll = rng.random()
                if roll < 0.04:
                    fact = None  # a plan nobody reported on yet
                elif roll < 0.10 and target:
                    fact = max(Decimal(0), target - 1)  # missed, narrowly
                else:
                    fact = (fact * Decimal(rng.uniform(0.9, 1.2))).quantize(Decimal(1))
                    if target is not None and fact < target:
                        fact = target
            rows.append(
                Indicator(
                    activity=activity,
                    order=order[key],
                    name_kk=row["product"],
                    unit="дана",
                    comparator=comparator,
                    target_value=target,
                    target_text_kk=row["plan"],
                    fact_value=fact,
                    fact_text=row["fact"] if comparator == Indicator.Comparator.TEXT else "",
                    metric=metric,
                    metric_param=param,
                )
            )
        Indicator.objects.bulk_create(rows, batch_size=BATCH)

    def _volunteers(self, rng, program, tracks, schools):
        vols = []
        serial = 0
        for code, _kk, _ru, _h, _pv, _ps, demo_v, *_rest in TRACKS:
            for _ in range(self.n(demo_v, rng)):
                serial += 1
                sex, last, first, middle = self.person(rng)
                district = rng.choice(schools)[0]
                vols.append(
                    Volunteer(
                        program=program,
                        last_name=last,
                        first_name=first,
                        middle_name=middle,
                        email=f"v{serial:04d}.{program.code}@volunteer.example.kz",
                        sex=sex,
                        birth_date=datetime.date(
                            self.year - rng.randint(17, 35), rng.randint(1, 12), rng.randint(1, 28)
                        ),
                        phone=f"+7 70{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                        district=district,
                        occupation=rng.choice(["студент", "мұғалім", "магистрант", "маман"]),
                        education=rng.choice(["жоғары", "толық емес жоғары", "орта арнаулы"]),
                        social_status=rng.choices(
                            ["youth", "budget_employee", "unemployed", "ngo", "business", "other"],
                            weights=[60, 20, 8, 5, 5, 2],
                        )[0],
                        track=tracks[code],
                        status=Volunteer.Status.ACTIVE,
                    )
                )
        return Volunteer.objects.bulk_create(vols, batch_size=BATCH)

    def _council(self, rng, program, tracks, volunteers):
        members = CouncilMember.objects.bulk_create(
            [
                CouncilMember(
                    program=program,
                    full_name=" ".join(self.person(rng)[1:]),
                    workplace_position="Сараптамалық кеңес мүшесі",
                    role=CouncilMember.Role.CHAIR if i == 0 else CouncilMember.Role.MEMBER,
                )
                for i in range(5)
            ]
        )
        criteria = SelectionCriterion.objects.bulk_create(
            [
                SelectionCriterion(program=program, order=i, name_kk=name)
                for i, name in enumerate(["Білімі", "Тәжірибесі", "Уәждемесі", "Коммуникациясы"])
            ]
        )
        meetings = CouncilMeeting.objects.bulk_create(
            [
                CouncilMeeting(
                    program=program,
                    number=i + 1,
                    date=datetime.date(self.year, 4 + i, 10),
                    agenda="Волонтерлерді іріктеу" if i < 3 else "Үздік волонтерлерді марапаттау",
                    decisions="Шешім қабылданды",
                )
                for i in range(5)
            ]
        )
        apps = []
        for i, vol in enumerate(volunteers):
            apps.append(
                VolunteerApplication(
                    program=program,
                    last_name=vol.last_name,
                    first_name=vol.first_name,
                    middle_name=vol.middle_name,
                    email=vol.email,
                    sex=vol.sex,
                    birth_date=vol.birth_date,
                    district=vol.district,
                    track=vol.track,
                    social_status=vol.social_status,
                    consent=True,
                    decision=VolunteerApplication.Decision.SELECTED,
                    decided_at=meetings[i % 3],
                    volunteer=vol,
                )
            )
        track_list = list(tracks.values())
        for i in range(max(0, self.n(DEMO_APPLICANTS, rng, 0.1) - len(volunteers))):
            sex, last, first, middle = self.person(rng)
            apps.append(
                VolunteerApplication(
                    program=program,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    email=f"a{i:04d}.{program.code}@applicant.example.kz",
                    sex=sex,
                    track=rng.choice(track_list),
                    consent=True,
                    decision=rng.choice(
                        [VolunteerApplication.Decision.RESERVE, VolunteerApplication.Decision.REJECTED]
                    ),
                    decided_at=meetings[i % 3],
                )
            )
        apps = VolunteerApplication.objects.bulk_create(apps, batch_size=BATCH)
        scores = [
            ApplicationScore(
                application=app,
                member=member,
                criterion=criterion,
                score=rng.randint(3, 5) if app.volunteer_id else rng.randint(1, 4),
            )
            for app in apps
            for member in members
            for criterion in criteria
        ]
        ApplicationScore.objects.bulk_create(scores, batch_size=BATCH)
        return meetings

    def _students(self, rng, program, tracks, volunteers, schools):
        y = self.year
        students, plan = [], []
        by_track = {}
        for v in volunteers:
            by_track.setdefault(v.track_id, []).append(v)
        serial = 0
        for code, _kk, _ru, _h, _pv, _ps, _dv, demo_s, *_rest in TRACKS:
            track = tracks[code]
            count = self.n(demo_s, rng)
            for _ in range(count):
                serial += 1
                sex, last, first, middle = self.person(rng, "F" if rng.random() < 0.6 else "M")
                grade = rng.choice([8, 9, 10, 11] if code != "unt" else [10, 11, 11])
                _district, school = rng.choice(schools)
                low_income = rng.random() < 0.2
                students.append(
                    Student(
                        program=program,
                        code=f"S{serial:05d}",
                        last_name=last,
                        first_name=first,
                        middle_name=middle,
                        sex=sex,
                        birth_date=(
                            datetime.date(y - grade - 6, rng.randint(1, 12), rng.randint(1, 28))
                            if rng.random() > 0.01
                            else None
                        ),
                        grade=grade,
                        school=school,
                        language="kk" if rng.random() < 0.75 else "ru",
                        low_income=low_income,
                        disability=rng.random() < 0.01,
                        social_status="child",
                        parent_consent=True,
                    )
                )
                plan.append(track)
        students = Student.objects.bulk_create(students, batch_size=BATCH)
        # One group per volunteer; students of a track are dealt round the track's groups.
        groups = []
        for track in tracks.values():
            subjects = track.subject_list
            for i, vol in enumerate(by_track.get(track.pk, [])):
                groups.append(
                    CourseGroup(
                        program=program,
                        track=track,
                        volunteer=vol,
                        subject=subjects[i % len(subjects)] if subjects else None,
                        name=f"{track.name_kk[:40]} — {i + 1}",
                        schedule="Сс, Бс 16:00, Zoom",
                        capacity=40,
                    )
                )
        groups = CourseGroup.objects.bulk_create(groups, batch_size=BATCH)
        track_groups = {}
        for g in groups:
            track_groups.setdefault(g.track_id, []).append(g)
        enrollments = []
        counters = {}
        for student, track in zip(students, plan, strict=True):
            options = track_groups[track.pk]
            i = counters.get(track.pk, 0)
            counters[track.pk] = i + 1
            group = options[i % len(options)]
            dropped = rng.random() < 0.02
            enrollments.append(
                Enrollment(
                    group=group,
                    student=student,
                    status=Enrollment.Status.DROPPED if dropped else Enrollment.Status.COMPLETED,
                    enrolled_on=datetime.date(y, rng.randint(4, 9), rng.randint(1, 28)),
                )
            )
            group.roster = getattr(group, "roster", []) + ([] if dropped else [student])
        Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
        self.summary.students += len(students)
        self.summary.volunteers += len(volunteers)
        return students, groups

    def _lessons(self, rng, program, tracks, groups):
        hours_of = {t.pk: t.planned_hours for t in tracks.values()}
        lessons = []
        y = self.year
        for g in groups:
            count = int(hours_of[g.track_id] // 2)
            # Long tracks run weekly from June; short ones in four autumn weeks.
            first = datetime.date(y, 6, 1) if count > 4 else datetime.date(y, 9, 1)
            for k in range(count):
                day = first + datetime.timedelta(days=7 * k + rng.randint(0, 3))
                day = min(day, datetime.date(y, 11, 25))
                status = Lesson.Status.CONFIRMED if rng.random() < 0.97 else Lesson.Status.PENDING
                lessons.append(
                    Lesson(
                        group=g,
                        date=day,
                        hours=Decimal(2),
                        topic=f"Сабақ {k + 1}",
                        platform=rng.choice(["zoom", "zoom", "whatsapp", "youtube"]),
                        status=status,
                    )
                )
        lessons = Lesson.objects.bulk_create(lessons, batch_size=BATCH)
        by_group = {}
        for lesson in lessons:
            by_group.setdefault(lesson.group_id, []).append(lesson)
        rows = []
        total = 0
        for g in groups:
            roster = getattr(g, "roster", [])
            for lesson in by_group.get(g.pk, []):
                for student in roster:
                    rows.append(Attendance(lesson=lesson, student=student, present=rng.random() < 0.9))
                if len(rows) >= BATCH * 4:
                    Attendance.objects.bulk_create(rows, batch_size=BATCH)
                    total += len(rows)
                    rows = []
        Attendance.objects.bulk_create(rows, batch_size=BATCH)
        total += len(rows)
        self.summary.lessons += len(lessons)
        self.summary.attendance += total

    def _tests(self, rng, program, tracks, groups):
        params = {t[0]: (t[8], t[9]) for t in TRACKS}
        code_of = {t.pk: t.code for t in tracks.values()}
        y = self.year
        rows, unt = [], []
        for g in groups:
            code = code_of[g.track_id]
            pre_mean, post_mean = params[code]
            # Regions differ: shift the whole track a little, per programme.
            shift = rng.uniform(-6, 6)
            for student in getattr(g, "roster", []):
                pre = min(100, max(0, rng.gauss(pre_mean + shift, 10)))
                post = min(100, max(pre, rng.gauss(post_mean + shift, 8)))
                rows.append(
                    TestResult(
                        program=program,
                        track_id=g.track_id,
                        student=student,
                        kind="pre",
                        score=Decimal(f"{pre:.2f}"),
                        taken_on=datetime.date(y, 6, 1),
                        source=TestResult.Source.IMPORT,
                    )
                )
                if rng.random() < 0.985:  # a few never sat the post-test
                    rows.append(
                        TestResult(
                            program=program,
                            track_id=g.track_id,
                            student=student,
                            kind="post",
                            score=Decimal(f"{post:.2f}"),
                            taken_on=datetime.date(y, 11, 20),
                            source=TestResult.Source.IMPORT,
                        )
                    )
                if code == "unt" and student.grade == 11 and rng.random() < 0.75:
                    score = rng.randint(50, 130)
                    unt.append(UntOutcome(student=student, score=score, grant_won=score > 95))
        TestResult.objects.bulk_create(rows, batch_size=BATCH)
        UntOutcome.objects.bulk_create(unt, batch_size=BATCH)
        self.summary.test_results += len(rows)

    def _survey(self, rng, program, tracks, schools, students):
        y = self.year
        survey = Survey.objects.create(
            program=program,
            code=f"{program.code}-needs",
            title_kk="Оқушылардың қажеттіліктері",
            title_ru="Потребности учащихся",
            is_published=False,
            opens=datetime.date(y, 3, 10),
            closes=datetime.date(y, 5, 31),
        )
        question = Question.objects.create(
            survey=survey,
            order=1,
            code="track",
            kind=Question.Kind.MULTIPLE,
            text_kk="Қай бағытта оқығыңыз келеді?",
            text_ru="Какое направление вам интересно?",
        )
        choices = Choice.objects.bulk_create(
            [
                Choice(
                    question=question,
                    order=i,
                    value=t.code,
                    text_kk=t.name_kk,
                    text_ru=t.name_ru,
                    track=t,
                )
                for i, t in enumerate(tracks.values())
            ]
        )
        responses = []
        count = self.n(DEMO_SURVEY_RESPONSES, rng, 0.1)
        for i in range(count):
            # Most enrolled students answered the survey first.
            student = students[i] if i < len(students) and rng.random() < 0.9 else None
            if student is not None:
                last, first, middle, sex = (
                    student.last_name,
                    student.first_name,
                    student.middle_name,
                    student.sex,
                )
                school = student.school
            else:
                sex, last, first, middle = self.person(rng)
                school = rng.choice(schools)[1]
            responses.append(
                SurveyResponse(
                    survey=survey,
                    code=f"R{i + 1:05d}",
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    sex=sex,
                    grade=rng.choice([8, 9, 10, 11]),
                    district_id=school.district_id,
                    school=school,
                    identity_key=f"{program.code}-{i + 1:05d}",
                    student=student,
                )
            )
        responses = SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)
        answers = []
        for response in responses:
            for choice in rng.sample(choices, rng.randint(1, 2)):
                answers.append(Answer(response=response, question=question, choice=choice))
        Answer.objects.bulk_create(answers, batch_size=BATCH)
        self.summary.survey_responses += len(responses)

    def _outreach(self, rng, program, activities, schools):
        y = self.year
        meetings = []
        for i in range(self.n(DEMO_MEETINGS, rng, 0.2)):
            district, school = rng.choice(schools)
            meetings.append(
                Meeting(
                    program=program,
                    activity=activities[(1, 1)],
                    date=datetime.date(y, 3 + i % 3, 2 + (i * 3) % 26),
                    place=school.settlement or district.name_kk,
                    district=district,
                    audience="Мектеп оқушылары, ата-аналар",
                    participants=rng.randint(10, 30),
                    has_protocol=rng.random() < 0.97,
                    has_participant_list=True,
                )
            )
        Meeting.objects.bulk_create(meetings)
        groups = InfoWorkGroup.objects.bulk_create(
            [
                InfoWorkGroup(program=program, number=1, title_kk="Волонтерларды іріктеу және оқыту"),
                InfoWorkGroup(
                    program=program, number=2, title_kk="Білім беру бағыттары бойынша оқыту курстары"
                ),
                InfoWorkGroup(program=program, number=3, title_kk="Қорытынды шара"),
            ]
        )
        pubs = []
        outlets = [
            "Qazvolunteer.kz",
            "Instagram",
            "Facebook",
            "Облыстық газет",
            "jastar.online",
            "YouTube",
        ]
        # Some grantees miss the 2-a-month rule in a month or two: the dashboard should show it.
        sloppy = rng.random() < 0.4
        for month in PUBLICATION_MONTHS:
            count = rng.choice([2, 2, 3, 3, 4])
            if sloppy and rng.random() < 0.3:
                count = rng.choice([0, 1])
            for k in range(count):
                kind = rng.choices(["post", "newspaper", "video", "interview"], weights=[70, 10, 15, 5])[
                    0
                ]
                group = groups[0] if month < 6 else groups[1] if month < 11 else groups[2]
                pubs.append(
                    Publication(
                        program=program,
                        group=group,
                        activity=activities[(1, 1)] if month < 6 else None,
                        kind=kind,
                        outlet=rng.choice(outlets),
                        title=f"«Birgemiz: Bilim»: {program.region.name_kk}, {month:02d}.{y} ({k + 1})",
                        language=rng.choice(["kk", "kk", "both", "ru"]),
                        date=datetime.date(y, month, 3 + 9 * k % 25),
                        url=f"https://news.example.kz/{program.code}/{month}-{k}",
                        views=rng.randint(100, 3000) if kind == "video" else None,
                    )
                )
        for g in groups[:1] + groups[2:]:
            pubs.append(
                Publication(
                    program=program,
                    group=g,
                    kind="banner",
                    outlet="Instagram",
                    title=f"Баннер: {g.title_kk}",
                    date=datetime.date(y, 4 if g.number == 1 else 11, 1),
                )
            )
        Publication.objects.bulk_create(pubs)
        Partner.objects.bulk_create(
            [
                Partner(
                    program=program,
                    order=i,
                    name=name,
                    role="Жобаның облыста жүзеге асуына қолдау көрсету",
                )
                for i, name in enumerate(
                    [
                        f"{program.region.name_kk} білім басқармасы",
                        f"{program.region.name_kk} ішкі саясат басқармасы",
                        f"{program.region.name_kk} жастар ресурстық орталығы",
                        "Qazvolunteer.kz",
                        "Аудандық білім бөлімдері",
                    ][: rng.randint(3, 5)]
                )
            ]
        )

    def _awards(self, rng, program, volunteers, meetings):
        chosen = rng.sample(volunteers, min(len(volunteers), self.n(DEMO_AWARDED, rng, 0.1)))
        Award.objects.bulk_create(
            [
                Award(
                    program=program,
                    volunteer=v,
                    title="Үздік волонтер",
                    awarded_on=datetime.date(self.year, 11, 25),
                    meeting=meetings[-1],
                    certificate_code=f"{program.code}-{v.pk}",
                )
                for v in chosen
            ]
        )
