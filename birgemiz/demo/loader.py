"""Writes the 2020 West Kazakhstan demo programme (`bko-2020`) as individual records.

Every figure of the seed report comes out of these records through the same queries
the report uses: students and volunteers per track, pre/post means, demographics,
meetings, survey responses, council, awards, publications, partners. Records are
generated with fixed random seeds, so two loads on empty databases are identical
(apart from primary keys, timestamps and the random names of evidence files).
"""

import base64
import csv
import datetime
import json
import random
import re
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone, translation

from assessments.models import Contest, ContestEntry, QuizAttempt, ScoreConflict, TestResult, UntOutcome
from birgemiz import roles
from birgemiz.audit import record_bulk
from birgemiz.models import (
    Activity,
    AuditEntry,
    District,
    Evidence,
    Indicator,
    InfoWorkGroup,
    InfoWorkPlan,
    Meeting,
    Narrative,
    Organization,
    Partner,
    Program,
    ProjectProposal,
    Publication,
    Region,
    School,
    SocioEconomicIndicator,
    StateRecommendation,
    Subject,
    Task,
    Track,
)
from birgemiz.validators import make_iin
from courses.models import Attendance, CourseGroup, Enrollment, Lesson, Student
from surveys.models import Answer, Choice, Question, Survey, SurveyResponse
from surveys.services import identity_key
from volunteers.models import (
    ActivationToken,
    ApplicationScore,
    Award,
    Certificate,
    CouncilMeeting,
    CouncilMember,
    SelectionCriterion,
    Trainer,
    TrainingEvent,
    Volunteer,
    VolunteerApplication,
)

from . import DEMO_PASSWORD, PROGRAM_CODE, content, files, people, places

DATA = Path(__file__).parent / "data"
AS_OF = datetime.date(2020, 11, 30)
BATCH = 1000
SEED = 2020

DEMO_USERS = [
    # username, role, is_staff, where to go
    ("coordinator", roles.COORDINATOR, True, "/admin/"),
    ("volunteer", roles.VOLUNTEER, False, "/portal/"),
    ("council", roles.COUNCIL, False, "/council/"),
    ("officer", roles.OFFICER, True, "/dashboard/"),
]


def read_csv(name):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_narratives():
    with open(DATA / "narratives.json", encoding="utf-8") as fh:
        return json.load(fh)


def birth_for_age(rng, age):
    """A birth date at which a person is exactly `age` on AS_OF."""
    latest = AS_OF.replace(year=AS_OF.year - age)
    earliest = AS_OF.replace(year=AS_OF.year - age - 1) + datetime.timedelta(days=1)
    return earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))


def adjust_sum(values, target, lo, hi, rng):
    """Nudge integers one step at a time, within [lo, hi], until they sum to `target`."""
    diff = target - sum(values)
    while diff:
        i = rng.randrange(len(values))
        if diff > 0 and values[i] < hi:
            values[i] += 1
            diff -= 1
        elif diff < 0 and values[i] > lo:
            values[i] -= 1
            diff += 1
    return values


def scores_with_mean(rng, n, mean, sd, base=None, growth=0):
    """n integer scores 0..100 whose mean is exactly `mean`; around base+growth when given."""
    if base is None:
        raw = [rng.gauss(mean, sd) for _ in range(n)]
    else:
        raw = [b + growth + rng.gauss(0, sd) for b in base]
    values = [max(0, min(100, round(v))) for v in raw]
    return adjust_sum(values, mean * n, 0, 100, rng)


def parse_plan(text):
    """(comparator, value, unit) of a plan as the seed writes it."""
    t = " ".join(text.split())
    if m := re.fullmatch(r"Кемінде (\d+)\s*(%| рет)?", t):
        return Indicator.Comparator.AT_LEAST, Decimal(m[1]), (m[2] or "").strip()
    if m := re.fullmatch(r"Әр (мектепте|кездесуден)(?: кемінде)? (\d+)", t):
        unit = {"мектепте": "мектеп", "кездесуден": "кездесу"}[m[1]]
        return Indicator.Comparator.PER_UNIT, Decimal(m[2]), unit
    if m := re.fullmatch(r"(\d+)(?: \(.*\))?", t):
        return Indicator.Comparator.EXACTLY, Decimal(m[1]), ""
    if m := re.fullmatch(r"(\d+) (\D+)", t):
        return Indicator.Comparator.EXACTLY, Decimal(m[1]), m[2]
    return Indicator.Comparator.TEXT, None, ""


def parse_fact(text):
    """(value, wording): the number of a typed fact, and its wording when it is not a bare number."""
    t = " ".join(text.split())
    if re.fullmatch(r"\d+", t):
        return Decimal(t), ""
    m = re.search(r"\d+", t)
    return (Decimal(m[0]) if m else None), t


def plan_text_ru(text):
    t = " ".join(text.split())
    if t in content.PLAN_TEXTS_RU:
        return content.PLAN_TEXTS_RU[t]
    if m := re.fullmatch(r"Кемінде (\d+)(%?)", t):
        return f"Не менее {m[1]}{m[2]}"
    return t


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class DemoLoader:
    def __init__(self):
        self.narr = read_narratives()
        self.saved_files = []
        self.iins = set()
        self.emails = set()

    def rng(self, section):
        # One generator per section: changing one part leaves the others' records as they were.
        return random.Random(f"{SEED}-{section}")

    # ------------------------------------------------------------------ helpers

    def save_file(self, field, name, data):
        field.save(name, ContentFile(data), save=False)
        self.saved_files.append(field.name)

    def discard_files(self):
        for name in self.saved_files:
            default_storage.delete(name)

    def new_iin(self, rng, birth_date, sex):
        serial = rng.randint(0, 9999)
        while True:
            iin = make_iin(birth_date, sex, serial)
            if iin not in self.iins:
                self.iins.add(iin)
                return iin
            serial = (serial + 1) % 10000

    def new_email(self, rng, first, last):
        base = f"{people.latin(first)}.{people.latin(last)}"
        domain = rng.choice(people.EMAIL_DOMAINS)
        email, n = f"{base}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.emails.add(email)
        return email

    @staticmethod
    def phone(rng):
        return (
            f"+7 7{rng.choice('0578')}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}"
        )

    # ------------------------------------------------------------------ the run

    def run(self):
        self.make_users()
        self.make_geography()
        self.make_program()
        self.make_narratives()
        self.make_tasks()
        self.make_tracks()
        self.make_indicators()
        self.make_media_and_partners()
        self.make_meetings()
        self.make_council()
        self.make_volunteers()
        self.make_applications()
        self.make_trainings()
        self.make_students()
        self.make_groups_and_lessons()
        self.make_test_results()
        self.make_unt_and_contests()
        self.make_survey()
        self.make_awards()
        self.make_documents()
        self.link_users()
        record_bulk(
            Program,
            self.program.pk,
            AuditEntry.Action.CREATE,
            [self.program],
            note="demo programme loaded by load_demo",
        )
        return self.program

    def make_users(self):
        self.users = {}
        # One hash for the four: the password is published anyway, and each PBKDF2 run costs seconds.
        hashed = make_password(DEMO_PASSWORD)
        for username, role, staff, _where in DEMO_USERS:
            user, _created = User.objects.get_or_create(username=username)
            user.email = f"{username}@demo.birgemiz.kz"
            user.is_staff = staff
            user.is_active = True
            user.password = hashed
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            self.users[username] = user

    def make_geography(self):
        self.region, _ = Region.objects.get_or_create(
            code=places.REGION["code"],
            defaults={"name_kk": places.REGION["name_kk"], "name_ru": places.REGION["name_ru"]},
        )
        self.districts = []
        self.schools = {}
        for name_kk, name_ru, is_city, schools in places.DISTRICTS:
            district, _ = District.objects.get_or_create(
                region=self.region, name_kk=name_kk, defaults={"name_ru": name_ru, "is_city": is_city}
            )
            self.districts.append(district)
            self.schools[district.pk] = [
                School.objects.get_or_create(
                    district=district, name=name, defaults={"settlement": settlement}
                )[0]
                for settlement, name in schools
            ]
        self.rural = [d for d in self.districts if not d.is_city]
        self.city = next(d for d in self.districts if d.is_city)

    def make_program(self):
        org = Organization.objects.filter(name_kk=content.ORGANIZATION["name_kk"]).first()
        if org is None:
            org = Organization.objects.create(**content.ORGANIZATION)
        org.members.add(self.users["coordinator"])
        self.org = org
        fields = dict(content.PROGRAM)
        self.program = Program.objects.create(
            organization=org,
            code=PROGRAM_CODE,
            region=self.region,
            topic_kk=self.narr["topic"],
            goal_kk=self.narr["programme"]["goal"],
            status=Program.Status.ACTIVE,
            **fields,
        )

    def make_narratives(self):
        texts = self.narr["programme"]
        Narrative.objects.bulk_create(
            [Narrative(program=self.program, key=key, text_kk=texts[key]) for key in Narrative.Key.values]
        )
        ProjectProposal.objects.create(program=self.program, number=1, **self.narr["proposal"])
        rec = self.narr["recommendation"]
        number = re.search(r"№(\d+)", rec["letter"])[1]
        StateRecommendation.objects.create(
            program=self.program,
            body=rec["body"],
            text=rec["text"],
            letter_number=number,
            letter_date=datetime.date(2020, 11, 25),
        )

    def make_tasks(self):
        self.activities = {}
        tasks = {}
        for row in read_csv("activities.csv"):
            number = int(row["task"])
            if number not in tasks:
                tasks[number] = Task.objects.create(
                    program=self.program,
                    number=number,
                    title_kk=row["task_title"],
                    title_ru=content.TASKS_RU[number],
                )
            key = f"{number}.{row['activity']}"
            texts = self.narr["activities"][key]
            start, end = content.ACTIVITY_DATES.get(key, (self.program.start, self.program.end))
            self.activities[key] = Activity.objects.create(
                task=tasks[number],
                number=int(row["activity"]),
                title_kk=row["activity_title"],
                title_ru=content.ACTIVITIES_RU[key],
                period_kk=row["period"],
                period_ru=content.PERIODS_RU[row["period"]],
                start=start,
                end=end,
                place=row["place"],
                participants_metric=content.PARTICIPANT_METRICS[key],
                participant_category_kk=row["participant_category"],
                participant_category_ru=content.CATEGORIES_RU[row["participant_category"]],
                experts=row["experts"],
                completeness_percent=int(row["completeness_percent"]),
                summary_kk=texts["summary"],
                narrative_kk=texts["narrative"],
                result_kk=texts["result"],
                appendix_number=int(re.search(r"\d+", row["appendix"])[0]),
            )

    def make_tracks(self):
        self.tracks = {}
        self.subjects = {}
        self.track_figures = {}
        for order, (row, (code, task, name_kk, name_ru)) in enumerate(
            zip(read_csv("tracks.csv"), content.TRACKS, strict=True), start=1
        ):
            assert int(row["task"]) == task
            self.tracks[code] = Track.objects.create(
                program=self.program,
                code=code,
                order=order,
                name_kk=name_kk,
                name_ru=name_ru,
                activity=self.activities[f"{task}.1"],
                planned_hours=Decimal(row["hours"]),
                planned_students=int(row["plan_students"]),
                planned_volunteers=int(row["plan_volunteers"]),
                group_capacity=25,
            )
            self.track_figures[code] = {
                k: int(row[k]) for k in ("volunteers", "students", "pre_percent", "post_percent", "hours")
            }
        unt = [r["subject"] for r in read_csv("unt_subjects.csv")]
        self.subjects["unt"] = Subject.objects.bulk_create(
            [
                Subject(
                    track=self.tracks["unt"], order=i, name_kk=name, name_ru=content.UNT_SUBJECTS_RU[name]
                )
                for i, name in enumerate(unt, start=1)
            ]
        )
        self.subjects["olympiad"] = Subject.objects.bulk_create(
            [
                Subject(track=self.tracks["olympiad"], order=i, name_kk=kk, name_ru=ru)
                for i, (kk, ru) in enumerate(content.OLYMPIAD_SUBJECTS, start=1)
            ]
        )
        self.track_by_task = {t.activity.task.number: t for t in self.tracks.values()}

    def make_indicators(self):
        rows = []
        order = {}
        for row in read_csv("plan_fact.csv"):
            key = f"{row['task']}.{row['activity']}"
            order[key] = order.get(key, 0) + 1
            product = row["product"]
            comparator, value, unit = parse_plan(row["plan"])
            metric, param = content.INDICATOR_METRICS.get((key, product), ("", ""))
            track = self.track_by_task.get(int(row["task"]))
            if not metric and track and product in content.TRACK_METRIC_PRODUCTS:
                metric, param = content.TRACK_METRIC_PRODUCTS[product], track.code
            if not metric and track and product == "Фотосурет":
                metric, param = "photos", key
            fact_value, fact_text = (None, "") if metric else parse_fact(row["fact"])
            rows.append(
                Indicator(
                    activity=self.activities[key],
                    order=order[key],
                    name_kk=product,
                    name_ru=content.INDICATOR_NAMES_RU[product],
                    unit=unit,
                    comparator=comparator,
                    target_value=value,
                    target_text_kk=row["plan"],
                    target_text_ru=plan_text_ru(row["plan"]),
                    fact_value=fact_value,
                    fact_text=fact_text,
                    metric=metric,
                    metric_param=param,
                )
            )
        rows[0].full_clean()
        Indicator.objects.bulk_create(rows)

    def make_media_and_partners(self):
        program = self.program
        Partner.objects.bulk_create(
            [
                Partner(
                    program=program,
                    order=i,
                    name=r["name"],
                    role=r["role"],
                    contact=r["contact"],
                    note=r["note"],
                )
                for i, r in enumerate(read_csv("partners.csv"), start=1)
            ]
        )
        socio = []
        for r in read_csv("socio_economic.csv"):
            number = int(r["no"])
            name_ru, unit_ru, plan_ru = content.SOCIO_ECONOMIC_RU[number]
            metric = content.SOCIO_ECONOMIC_METRICS.get(number, "")
            socio.append(
                SocioEconomicIndicator(
                    program=program,
                    number=number,
                    name_kk=r["indicator"],
                    name_ru=name_ru,
                    unit_kk=r["unit"],
                    unit_ru=unit_ru,
                    plan_value=Decimal(re.match(r"\d+", r["plan"])[0]),
                    plan_text_kk=r["plan"],
                    plan_text_ru=plan_ru or r["plan"],
                    fact_value=None if metric else Decimal(r["fact"]),
                    metric=metric,
                )
            )
        SocioEconomicIndicator.objects.bulk_create(socio)

        groups = {}
        for r in read_csv("information_work_plan.csv"):
            title = r["group"]
            if title not in groups:
                groups[title] = InfoWorkGroup.objects.create(
                    program=program,
                    number=len(groups) + 1,
                    title_kk=title,
                    title_ru=content.INFO_GROUPS_RU[title],
                )
            InfoWorkPlan.objects.create(
                group=groups[title],
                kind=Publication.Kind.BANNER if r["item"] == "Баннер" else Publication.Kind.POST,
                label_kk=r["item"],
                label_ru=content.INFO_LABELS_RU[r["item"]],
                plan_text_kk=r["plan"],
                plan_text_ru=content.INFO_PLAN_TEXTS_RU[r["plan"]],
                plan_value=int(re.search(r"\d+", r["plan"])[0]),
            )
        kazakh_letters = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
        pubs = []
        for r in read_csv("publications.csv"):
            title = r["title"]
            pubs.append(
                Publication(
                    program=program,
                    group=groups[r["group"]],
                    activity=self.publication_activity(r["group"], title),
                    kind=content.PUBLICATION_KINDS[r["kind"]],
                    outlet=r["outlet"],
                    title=title,
                    language=Publication.Language.KK
                    if set(title) & kazakh_letters
                    else Publication.Language.RU,
                    date=datetime.date.fromisoformat(r["date"]),
                )
            )
        for group_title, banners in content.BANNERS.items():
            activity = self.activities["1.4" if group_title.startswith("Волонтер") else "7.2"]
            for title, day in banners:
                pubs.append(
                    Publication(
                        program=program,
                        group=groups[group_title],
                        activity=activity,
                        kind=Publication.Kind.BANNER,
                        outlet="Баннер",
                        title=title,
                        date=day,
                    )
                )
        for key, outlet, title, day, views, url in content.VIDEOS:
            pubs.append(
                Publication(
                    program=program,
                    activity=self.activities[key],
                    kind=Publication.Kind.VIDEO,
                    outlet=outlet,
                    title=title,
                    date=day,
                    views=views,
                    url=url,
                )
            )
        pubs[0].full_clean()
        Publication.objects.bulk_create(pubs)

    def publication_activity(self, group, title):
        if group.startswith("Волонтер"):
            return self.activities["1.4"]
        if group.startswith("Қорытынды"):
            return self.activities["7.2"]
        lowered = title.lower()
        for words, key in (
            (("ұбт",), "4.1"),
            (("компьютер",), "3.1"),
            (("ағылшын", "англий", "иностран"), "2.1"),
        ):
            if any(w in lowered for w in words):
                return self.activities[key]
        return self.activities["1.1"]

    def make_meetings(self):
        rng = self.rng("meetings")
        n = 36
        start, end = datetime.date(2020, 3, 5), datetime.date(2020, 11, 20)
        span = (end - start).days
        days = sorted(
            start + datetime.timedelta(days=round(i * span / (n - 1)) + rng.randint(-2, 2)) for i in range(n)
        )
        days[0], days[-1] = start, end
        districts = [self.city] + self.rural * 2
        districts += [self.city] * 5 + rng.sample(self.rural, 6)
        rest = districts[1:]
        rng.shuffle(rest)
        districts = [districts[0]] + rest
        participants = adjust_sum([rng.randint(10, 32) for _ in range(n)], 698, 5, 60, rng)
        activity = self.activities["1.1"]
        meetings = []
        for i, (day, district, count) in enumerate(zip(days, districts, participants, strict=True)):
            if i == 0:
                place, audience = (
                    "Орал қаласы, БҚО Білім басқармасы",
                    "Білім басқармасы және 12 ауданның білім беру бөлімдерінің меңгерушілері",
                )
            elif district.is_city:
                place, audience = "Орал қаласы", rng.choice(content.MEETING_AUDIENCES[3:])
            else:
                settlement = rng.choice(self.schools[district.pk]).settlement
                online = datetime.date(2020, 4, 1) <= day <= datetime.date(2020, 6, 30)
                place = f"{district.name_kk} ауданы, {settlement}" + (" (онлайн, Zoom)" if online else "")
                audience = rng.choice(content.MEETING_AUDIENCES[:3])
            meetings.append(
                Meeting(
                    program=self.program,
                    activity=activity,
                    date=day,
                    place=place,
                    district=district,
                    audience=audience,
                    participants=count,
                    has_protocol=True,
                    has_participant_list=True,
                )
            )
        meetings[0].full_clean()
        meetings = Meeting.objects.bulk_create(meetings)
        evidence = []
        for i, meeting in enumerate(meetings, start=1):
            label = f"{meeting.date:%d.%m.%Y}, {meeting.place}"
            for k in range(1, 6):
                ev = Evidence(
                    program=self.program,
                    activity=activity,
                    meeting=meeting,
                    kind=Evidence.Kind.PHOTO,
                    title=f"Кездесу №{i}, фото {k}: {label}",
                )
                self.save_file(ev.file, "photo.png", files.png(self.colour(rng)))
                evidence.append(ev)
            for kind, title, text in (
                (Evidence.Kind.MINUTES, "хаттамасы", "minutes"),
                (Evidence.Kind.PARTICIPANT_LIST, "қатысушылар тізімі", "participant list"),
            ):
                ev = Evidence(
                    program=self.program,
                    activity=activity,
                    meeting=meeting,
                    kind=kind,
                    title=f"Кездесу №{i} {title}: {label}",
                )
                self.save_file(
                    ev.file,
                    f"{text.replace(' ', '-')}.pdf",
                    files.pdf(f"Birgemiz: Bilim, BKO 2020 - meeting {i} {text}, {meeting.date}"),
                )
                evidence.append(ev)
        evidence[0].full_clean()
        Evidence.objects.bulk_create(evidence, batch_size=BATCH)

    @staticmethod
    def colour(rng):
        return (rng.randint(40, 190), rng.randint(40, 190), rng.randint(40, 190))

    def make_council(self):
        members = [
            CouncilMember(
                program=self.program,
                full_name=r["name"],
                workplace_position=r["workplace_position"],
                role=CouncilMember.Role.CHAIR if r["role"] == "chair" else CouncilMember.Role.MEMBER,
            )
            for r in read_csv("council_members.csv")
        ]
        self.council = CouncilMember.objects.bulk_create(members)
        self.criteria = SelectionCriterion.objects.bulk_create(
            [
                SelectionCriterion(program=self.program, order=i, name_kk=kk, name_ru=ru)
                for i, (kk, ru) in enumerate(content.SELECTION_CRITERIA, start=1)
            ]
        )
        self.council_meetings = []
        through = CouncilMeeting.attendees.through
        links = []
        for number, (day, agenda, decisions) in enumerate(content.COUNCIL_MEETINGS, start=1):
            meeting = CouncilMeeting(
                program=self.program, number=number, date=day, agenda=agenda, decisions=decisions
            )
            self.save_file(
                meeting.minutes,
                f"bko-2020-council-{number}.pdf",
                files.pdf(f"Birgemiz: Bilim, BKO 2020 - expert council minutes No {number}, {day}"),
            )
            meeting.save()
            self.council_meetings.append(meeting)
            # Байбатыров missed the fourth meeting; every other meeting had all five.
            present = [m for m in self.council if not (number == 4 and m.full_name.startswith("Байбатыров"))]
            links += [through(councilmeeting=meeting, councilmember=m) for m in present]
        through.objects.bulk_create(links)

    def make_volunteers(self):
        rng = self.rng("volunteers")
        slots = [code for code, *_ in content.TRACKS for _ in range(self.track_figures[code]["volunteers"])]
        profiles = [
            (bracket, status) for bracket, status, count in content.VOLUNTEER_PROFILE for _ in range(count)
        ]
        assert len(slots) == len(profiles) == 110
        rng.shuffle(profiles)
        # The two volunteers the seed names: Медет Есетович (olympiads, a teacher) and
        # Лұқпанова Гүлбарам (English, a student), who spoke at the final event.
        self.medet_index = slots.index("olympiad") + 1
        self.lukpanova_index = slots.index("english")
        self.demo_volunteer_index = slots.index("english") + 1
        for index, wanted in (
            (self.medet_index, ((33, 45), "budget_employee")),
            (self.lukpanova_index, ((17, 22), "youth")),
        ):
            j = profiles.index(wanted)
            profiles[index], profiles[j] = profiles[j], profiles[index]
        sexes = ["M"] * 30 + ["F"] * 80
        rng.shuffle(sexes)
        for index, sex in ((self.medet_index, "M"), (self.lukpanova_index, "F")):
            if sexes[index] != sex:
                j = next(
                    k
                    for k, s in enumerate(sexes)
                    if s == sex and k not in (self.medet_index, self.lukpanova_index)
                )
                sexes[index], sexes[j] = sexes[j], sexes[index]
        # 35 awarded at the final event: the two named ones and 33 others.
        others = [i for i in range(110) if i not in (self.medet_index, self.lukpanova_index)]
        self.awarded = set(rng.sample(others, 33)) | {self.medet_index, self.lukpanova_index}

        volunteers = []
        for i, (code, ((lo, hi), status), sex) in enumerate(zip(slots, profiles, sexes, strict=True)):
            if i == self.medet_index:
                last, first, middle = "Жұмағалиев", "Медет", "Есетович"
            elif i == self.lukpanova_index:
                last, first, middle = "Лұқпанова", "Гүлбарам", "Елтайқызы"
            else:
                last, first, middle = people.person_name(rng, sex)
            birth = birth_for_age(rng, rng.randint(lo, hi))
            district = self.city if status == "youth" and rng.random() < 0.6 else rng.choice(self.districts)
            education = content.EDUCATION.get(status) or rng.choice(["жоғары", "жоғары", "орта арнаулы"])
            volunteers.append(
                Volunteer(
                    program=self.program,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    email=self.new_email(rng, first, last),
                    iin=self.new_iin(rng, birth, sex),
                    sex=sex,
                    birth_date=birth,
                    phone=self.phone(rng),
                    district=district,
                    occupation=rng.choice(content.OCCUPATIONS[status]),
                    education=education,
                    social_status=status,
                    track=self.tracks[code],
                    status=Volunteer.Status.AWARDED if i in self.awarded else Volunteer.Status.ACTIVE,
                )
            )
        volunteers[0].full_clean()
        self.volunteers = Volunteer.objects.bulk_create(volunteers)
        self.volunteers_by_track = {
            code: [v for v in self.volunteers if v.track_id == t.pk] for code, t in self.tracks.items()
        }

    def subject_for(self, code, index):
        subjects = self.subjects.get(code)
        return subjects[index % len(subjects)] if subjects else None

    def make_applications(self):
        rng = self.rng("applications")
        meeting_for = {code: self.council_meetings[i] for code, i in content.SELECTION_MEETING.items()}
        apps = []
        for code, vols in self.volunteers_by_track.items():
            for index, v in enumerate(vols):
                subject = self.subject_for(code, index)
                apps.append(
                    VolunteerApplication(
                        program=self.program,
                        last_name=v.last_name,
                        first_name=v.first_name,
                        middle_name=v.middle_name,
                        email=v.email,
                        phone=v.phone,
                        iin=v.iin,
                        sex=v.sex,
                        birth_date=v.birth_date,
                        district=v.district,
                        education=v.education,
                        occupation=v.occupation,
                        social_status=v.social_status,
                        track=v.track,
                        subjects=subject.name_kk if subject else "",
                        motivation=rng.choice(content.MOTIVATIONS),
                        consent=True,
                        decision=VolunteerApplication.Decision.SELECTED,
                        decided_at=meeting_for[code],
                        volunteer=v,
                    )
                )
        codes = [code for code, *_ in content.TRACKS]
        weights = [30, 12, 35, 15, 8]
        for i in range(126):
            code = rng.choices(codes, weights)[0]
            sex = "F" if rng.random() < 0.7 else "M"
            last, first, middle = people.person_name(rng, sex)
            age = rng.choice([18, 19, 20, 21, 22, 23, 25, 28, 31, 36])
            birth = birth_for_age(rng, age)
            status = rng.choice(["youth", "youth", "youth", "unemployed", "other", "budget_employee"])
            subject = self.subject_for(code, rng.randrange(13))
            apps.append(
                VolunteerApplication(
                    program=self.program,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    email=self.new_email(rng, first, last),
                    phone=self.phone(rng),
                    iin=self.new_iin(rng, birth, sex) if rng.random() < 0.8 else "",
                    sex=sex,
                    birth_date=birth,
                    district=rng.choice(self.districts),
                    education="аяқталмаған жоғары"
                    if status == "youth"
                    else rng.choice(["жоғары", "орта арнаулы"]),
                    occupation=rng.choice(content.OCCUPATIONS[status]),
                    social_status=status,
                    track=self.tracks[code],
                    subjects=subject.name_kk if subject else "",
                    motivation=rng.choice(content.MOTIVATIONS),
                    consent=True,
                    decision=VolunteerApplication.Decision.RESERVE
                    if i % 4 == 0
                    else VolunteerApplication.Decision.REJECTED,
                    decided_at=meeting_for[code],
                )
            )
        apps[0].full_clean()
        apps = VolunteerApplication.objects.bulk_create(apps, batch_size=BATCH)
        pools = {
            VolunteerApplication.Decision.SELECTED: [3, 4, 4, 5, 5, 5],
            VolunteerApplication.Decision.RESERVE: [2, 3, 3, 4, 4, 5],
            VolunteerApplication.Decision.REJECTED: [1, 2, 2, 3, 3, 4],
        }
        scores = [
            ApplicationScore(
                application=app, member=member, criterion=criterion, score=rng.choice(pools[app.decision])
            )
            for app in apps
            for member in self.council
            for criterion in self.criteria
        ]
        ApplicationScore.objects.bulk_create(scores, batch_size=BATCH)

    def make_trainings(self):
        rng = self.rng("trainings")
        trainers = {}
        through = Trainer.tracks.through
        links = []
        for r in read_csv("trainers.csv"):
            trainer = Trainer.objects.create(
                program=self.program, full_name=r["name"], workplace_position=r["workplace_position"]
            )
            trainers[r["name"].split()[0]] = trainer
            for name in filter(None, (p.strip() for p in r["track"].split(";"))):
                links += [
                    through(trainer=trainer, track=self.tracks[code]) for code in content.TRAINER_TRACKS[name]
                ]
        through.objects.bulk_create(links)
        attend = TrainingEvent.attendees.through
        rows = []
        for codes, first_day in content.TRAINING_WAVES:
            wave = [v for code in codes for v in self.volunteers_by_track[code]]
            for k, (surname, title, platform) in enumerate(content.COMMON_TRAININGS):
                event = TrainingEvent.objects.create(
                    program=self.program,
                    trainer=trainers[surname],
                    title=title,
                    date=first_day + datetime.timedelta(days=2 * k),
                    platform=platform,
                )
                rows += [attend(trainingevent=event, volunteer=v) for v in wave if rng.random() < 0.95]
        for surname, code, title, day, platform in content.TRACK_TRAININGS:
            event = TrainingEvent.objects.create(
                program=self.program,
                track=self.tracks[code],
                trainer=trainers[surname],
                title=title,
                date=day,
                platform=platform,
            )
            rows += [attend(trainingevent=event, volunteer=v) for v in self.volunteers_by_track[code]]
        attend.objects.bulk_create(rows, batch_size=BATCH)
        # The volunteers' own pre/post test of their training, filed under their track as
        # volunteers.services.volunteer_test_set does.
        self.volunteer_tests = []
        wave_day = {code: day for codes, day in content.TRAINING_WAVES for code in codes}
        for v in self.volunteers:
            code = next(c for c, t in self.tracks.items() if t.pk == v.track_id)
            pre = max(20, min(95, round(rng.gauss(62, 11))))
            post = max(pre, min(100, pre + round(rng.gauss(22, 6))))
            for kind, score, day in (
                ("pre", pre, wave_day[code]),
                ("post", post, content.TRACK_WINDOWS[code][0] - datetime.timedelta(days=3)),
            ):
                self.volunteer_tests.append(
                    TestResult(
                        program=self.program,
                        volunteer=v,
                        track_id=v.track_id,
                        kind=kind,
                        score=Decimal(score),
                        taken_on=day,
                        source=TestResult.Source.TYPED,
                    )
                )

    def make_students(self):
        rng = self.rng("students")
        total = sum(f["students"] for f in self.track_figures.values())
        sexes = ["M"] * 535 + ["F"] * (total - 535)
        rng.shuffle(sexes)
        low_income = set(rng.sample(range(total), 319))
        children = set(rng.sample(range(total), 16))
        district_weights = [1.0] * len(self.rural) + [0.15]
        district_pool = self.rural + [self.city]
        grade_plans = {
            "unt": [11] * 280 + [10] * 120 + [9] * 45 + [8] * 24,
        }
        ages = {8: [13, 13, 13, 14, 14], 9: [14, 14, 14, 15, 15], 10: [15, 15, 15, 16, 16], 11: [16]}
        students = []
        self.students_by_track = {}
        index = 0
        for code, *_ in content.TRACKS:
            n = self.track_figures[code]["students"]
            grades = grade_plans.get(code) or rng.choices([8, 9, 10, 11], [25, 30, 30, 15], k=n)
            grades = list(grades)
            rng.shuffle(grades)
            track_students = []
            for k in range(n):
                sex = sexes[index]
                grade = grades[k]
                named = content.NAMED_STUDENTS[k] if code == "olympiad" and k < 3 else None
                if named:
                    last, first, sex = named
                    middle, grade = "", 10
                else:
                    last, first, middle = people.person_name(rng, sex)
                birth = birth_for_age(rng, rng.choice(ages[grade]))
                district = rng.choices(district_pool, district_weights)[0]
                school = rng.choice(self.schools[district.pk])
                student = Student(
                    program=self.program,
                    code=f"BKO20-{index + 1:04d}",
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    iin=self.new_iin(rng, birth, sex) if rng.random() < 0.92 else "",
                    sex=sex,
                    birth_date=birth,
                    grade=grade,
                    school=school,
                    language="kk" if rng.random() < 0.85 else "ru",
                    low_income=index in low_income,
                    social_status="child" if index in children else "other",
                    phone=self.phone(rng) if rng.random() < 0.6 else "",
                    parent_consent=True,
                )
                track_students.append(student)
                students.append(student)
                index += 1
            self.students_by_track[code] = track_students
        # The three named olympiad students are girls; keep the 535 / 1 083 split exact.
        boys = sum(s.sex == "M" for s in students)
        for s in students:
            if boys == 535:
                break
            if (
                s.sex == "F"
                and boys < 535
                and (s.last_name, s.first_name)
                not in {(last, first) for last, first, _ in content.NAMED_STUDENTS}
            ):
                s.sex, boys = "M", boys + 1
                s.last_name, s.first_name, s.middle_name = people.person_name(rng, "M")
                if s.iin:
                    self.iins.discard(s.iin)
                    s.iin = self.new_iin(rng, s.birth_date, "M")
        students[0].full_clean()
        Student.objects.bulk_create(students, batch_size=BATCH)
        self.students = students

    def make_groups_and_lessons(self):
        rng = self.rng("lessons")
        short = {
            "english": "Ағылшын",
            "computer": "Компьютер",
            "unt": "ҰБТ",
            "law": "Құқық",
            "olympiad": "Олимпиада",
        }
        schedules = ["Дс, Ср, Жм 16:00", "Сс, Бс 17:00", "Дс, Бс 15:00", "Ср, Сн 18:00", "Сс, Жм 16:30"]
        platforms = ["zoom", "zoom", "zoom", "whatsapp", "whatsapp", "youtube", "meet"]
        demo_volunteer = self.volunteers[self.demo_volunteer_index]
        groups = []
        members = {}
        for code, vols in self.volunteers_by_track.items():
            chunks = self.split(self.students_by_track[code], len(vols))
            if code == "olympiad":
                # The named students (first chunk) belong to Медет Есетович's physics group.
                chunks[0], chunks[1] = chunks[1], chunks[0]
            for i, (v, chunk) in enumerate(zip(vols, chunks, strict=True)):
                subject = self.subject_for(code, i)
                name = f"{short[code]} {i + 1:02d}" + (f" · {subject.name_kk}" if subject else "")
                group = CourseGroup(
                    program=self.program,
                    track=self.tracks[code],
                    subject=subject,
                    volunteer=v,
                    name=name,
                    schedule=f"{rng.choice(schedules)}, онлайн",
                    capacity=25,
                )
                groups.append(group)
                members[name] = (code, chunk)
        groups[0].full_clean()
        CourseGroup.objects.bulk_create(groups)
        self.groups = groups
        enrollments, lessons, lesson_members = [], [], []
        for group in groups:
            code, chunk = members[group.name]
            start, end = content.TRACK_WINDOWS[code]
            for s in chunk:
                enrollments.append(
                    Enrollment(
                        group=group,
                        student=s,
                        status=Enrollment.Status.COMPLETED,
                        enrolled_on=start - datetime.timedelta(days=3),
                    )
                )
            count = self.track_figures[code]["hours"] // 2
            offset = rng.randint(0, 2)
            span = (end - start).days - 2
            topics = content.TOPICS[code]
            own = group.volunteer_id == demo_volunteer.pk
            for k in range(count):
                day = start + datetime.timedelta(days=offset + round(k * span / max(count - 1, 1)))
                topic = topics[k % len(topics)]
                if group.subject:
                    topic = f"{group.subject.name_kk}: {topic}"
                lessons.append(
                    Lesson(
                        group=group,
                        date=day,
                        hours=Decimal("2.0"),
                        topic=topic,
                        platform=rng.choice(platforms),
                        status=Lesson.Status.CONFIRMED,
                        logged_by=self.users["volunteer"] if own else None,
                        reviewed_by=self.users["coordinator"],
                        reviewed_at=aware(day + datetime.timedelta(days=1)),
                    )
                )
                lesson_members.append(chunk)
        enrollments[0].full_clean()
        Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
        lessons[0].full_clean()
        Lesson.objects.bulk_create(lessons, batch_size=BATCH)
        attendance = [
            Attendance(lesson=lesson, student=s, present=rng.random() < 0.9)
            for lesson, chunk in zip(lessons, lesson_members, strict=True)
            for s in chunk
        ]
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        self.enrolled_group = {e.student_id: e.group for e in enrollments}

    @staticmethod
    def split(items, parts):
        size, extra = divmod(len(items), parts)
        chunks, start = [], 0
        for i in range(parts):
            end = start + size + (1 if i < extra else 0)
            chunks.append(items[start:end])
            start = end
        return chunks

    def make_test_results(self):
        rng = self.rng("tests")
        results = list(self.volunteer_tests)
        for code, students in self.students_by_track.items():
            figures = self.track_figures[code]
            pre_mean, post_mean = figures["pre_percent"], figures["post_percent"]
            pre = scores_with_mean(rng, len(students), pre_mean, 13)
            post = scores_with_mean(rng, len(students), post_mean, 6, base=pre, growth=post_mean - pre_mean)
            start, end = content.TRACK_WINDOWS[code]
            track = self.tracks[code]
            for s, a, b in zip(students, pre, post, strict=True):
                results.append(
                    TestResult(
                        program=self.program,
                        track=track,
                        student=s,
                        kind="pre",
                        score=Decimal(a),
                        taken_on=start - datetime.timedelta(days=2),
                    )
                )
                results.append(
                    TestResult(
                        program=self.program,
                        track=track,
                        student=s,
                        kind="post",
                        score=Decimal(b),
                        taken_on=end + datetime.timedelta(days=2),
                    )
                )
        results[-1].full_clean()
        TestResult.objects.bulk_create(results, batch_size=BATCH)

    def make_unt_and_contests(self):
        rng = self.rng("contests")
        seniors = [s for s in self.students_by_track["unt"] if s.grade == 11]
        took = rng.sample(seniors, 227)
        granted = set(rng.sample(range(227), 98))
        outcomes = [
            UntOutcome(
                student=s,
                grant_won=i in granted,
                score=rng.randint(95, 132) if i in granted else rng.randint(48, 94),
            )
            for i, s in enumerate(took)
        ]
        outcomes[0].full_clean()
        UntOutcome.objects.bulk_create(outcomes)
        contests = {}
        for key, title, level, activity, track, day, own in content.CONTESTS:
            contests[key] = Contest.objects.create(
                program=self.program,
                activity=self.activities[activity],
                track=self.tracks[track] if track else None,
                title=title,
                level=level,
                date=day,
                organized_by_program=own,
            )
        entries = []
        pools = {
            "social": [s for s in self.students if s.code not in self.named_codes()],
            "english": self.students_by_track["english"],
            "law": self.students_by_track["law"],
        }
        for key, size in (("social", 12), ("english", 15), ("law", 12)):
            for place, s in enumerate(rng.sample(pools[key], size), start=1):
                entries.append(
                    ContestEntry(contest=contests[key], student=s, place=place if place <= 3 else None)
                )
        makieva, bayeshova, kuantaykyzy = self.students_by_track["olympiad"][:3]
        entries += [
            ContestEntry(
                contest=contests["region"], student=makieva, place=1, nomination=content.NOMINATION_MILITARY
            ),
            ContestEntry(
                contest=contests["region"], student=bayeshova, place=1, nomination=content.NOMINATION_ENERGY
            ),
            ContestEntry(
                contest=contests["region"], student=kuantaykyzy, place=1, nomination=content.NOMINATION_ENERGY
            ),
            ContestEntry(contest=contests["republic"], student=bayeshova, place=3),
        ]
        ContestEntry.objects.bulk_create(entries)

    def named_codes(self):
        return {s.code for s in self.students_by_track["olympiad"][:3]}

    def make_survey(self):
        rng = self.rng("survey")
        program = self.program
        s = content.SURVEY
        survey = Survey.objects.create(program=program, is_published=True, **s)
        q = {}
        for order, (code, kind, kk, ru, required) in enumerate(
            [
                ("district", Question.Kind.DISTRICT, "Ауданыңыз", "Ваш район", True),
                ("school", Question.Kind.SCHOOL, "Мектебіңіз", "Ваша школа", True),
                ("grade", Question.Kind.SINGLE, "Сыныбыңыз", "Ваш класс", True),
                (
                    "tracks",
                    Question.Kind.MULTIPLE,
                    "Қай бағыттар бойынша оқығыңыз келеді?",
                    "По каким направлениям вы хотите учиться?",
                    True,
                ),
                (
                    "unt-subjects",
                    Question.Kind.MULTIPLE,
                    "ҰБТ-ға қай пәндерден дайындалғыңыз келеді?",
                    "К каким предметам ЕНТ вы хотите готовиться?",
                    False,
                ),
                ("wishes", Question.Kind.TEXT, "Тілектеріңіз", "Ваши пожелания", False),
            ],
            start=1,
        ):
            q[code] = Question.objects.create(
                survey=survey, order=order, code=code, kind=kind, text_kk=kk, text_ru=ru, required=required
            )
        grade_choices = {
            g: Choice(question=q["grade"], order=g, value=str(g), text_kk=f"{g}-сынып", text_ru=f"{g} класс")
            for g in (8, 9, 10, 11)
        }
        track_choices = {
            code: Choice(
                question=q["tracks"], order=i, value=code, text_kk=t.name_kk, text_ru=t.name_ru, track=t
            )
            for i, (code, t) in enumerate(self.tracks.items(), start=1)
        }
        subject_values = [
            "math",
            "kazakh-language",
            "kazakh-literature",
            "history-of-kazakhstan",
            "world-history",
            "biology",
            "geography",
            "foreign-language",
            "chemistry",
            "reading-literacy",
            "mathematical-literacy",
            "man-society-law",
            "physics",
        ]
        subject_choices = {
            subj.pk: Choice(
                question=q["unt-subjects"],
                order=i,
                value=value,
                text_kk=subj.name_kk,
                text_ru=subj.name_ru,
                track=self.tracks["unt"],
                subject=subj,
            )
            for i, (subj, value) in enumerate(zip(self.subjects["unt"], subject_values, strict=True), start=1)
        }
        Choice.objects.bulk_create(
            [*grade_choices.values(), *track_choices.values(), *subject_choices.values()]
        )

        respondents = []  # (person fields, student or None, own track code, own subject)
        for code, students in self.students_by_track.items():
            for st in students:
                group = self.enrolled_group[st.pk]
                respondents.append((st, st, code, group.subject))
        ages = {8: [13, 14], 9: [14, 15], 10: [15, 16], 11: [16]}
        pool = self.rural + [self.city]
        for _i in range(2641 - len(respondents)):
            sex = "F" if rng.random() < 0.62 else "M"
            last, first, middle = people.person_name(rng, sex)
            grade = rng.choice([8, 9, 9, 10, 10, 11, 11])
            birth = birth_for_age(rng, rng.choice(ages[grade]))
            district = rng.choices(pool, [1.0] * len(self.rural) + [0.15])[0]
            person = Student(
                last_name=last,
                first_name=first,
                middle_name=middle,
                sex=sex,
                birth_date=birth,
                grade=grade,
                school=rng.choice(self.schools[district.pk]),
                iin=self.new_iin(rng, birth, sex) if rng.random() < 0.85 else "",
                phone=self.phone(rng) if rng.random() < 0.5 else "",
                language="kk" if rng.random() < 0.85 else "ru",
            )
            respondents.append((person, None, None, None))
        rng.shuffle(respondents)
        interest = {"unt": 0.55, "english": 0.5, "computer": 0.3, "law": 0.2, "olympiad": 0.1}
        also = {"unt": 0.35, "english": 0.3, "computer": 0.15, "law": 0.12, "olympiad": 0.06}
        responses, answer_plans = [], []
        keys = set()
        for n, (p, student, own, own_subject) in enumerate(respondents, start=1):
            key = identity_key(
                iin=p.iin,
                last_name=p.last_name,
                first_name=p.first_name,
                school_id=p.school_id,
                birth_date=p.birth_date,
            )
            assert key not in keys
            keys.add(key)
            district = self.district_of(p.school)
            responses.append(
                SurveyResponse(
                    survey=survey,
                    code=f"BKO20-S{n:04d}",
                    last_name=p.last_name,
                    first_name=p.first_name,
                    middle_name=p.middle_name,
                    iin=p.iin,
                    sex=p.sex,
                    birth_date=p.birth_date,
                    grade=p.grade,
                    district=district,
                    school=p.school,
                    phone=p.phone,
                    identity_key=key,
                    language=p.language,
                    consent=True,
                    student=student,
                )
            )
            if own:
                chosen = [c for c in self.tracks if c == own or rng.random() < also[c]]
            else:
                chosen = [c for c in self.tracks if rng.random() < interest[c]] or [
                    rng.choice(["unt", "english"])
                ]
            subjects = []
            if "unt" in chosen:
                subjects = rng.sample(self.subjects["unt"], rng.randint(1, 3))
                if own_subject and own == "unt" and own_subject not in subjects:
                    subjects[0] = own_subject
            wish = rng.choice(content.SURVEY_WISHES) if rng.random() < 0.25 else ""
            answer_plans.append((district, p.school, p.grade, chosen, subjects, wish))
        responses[0].full_clean()
        SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)
        answers = []
        # District and school answers are their names, as surveys.services writes them.
        with translation.override("kk"):
            labels = {d.pk: str(d) for d in self.districts}
            labels.update({("school", sc.pk): str(sc) for scs in self.schools.values() for sc in scs})
        for response, (district, school, grade, chosen, subjects, wish) in zip(
            responses, answer_plans, strict=True
        ):
            answers.append(Answer(response=response, question=q["district"], text=labels[district.pk]))
            answers.append(
                Answer(response=response, question=q["school"], text=labels[("school", school.pk)])
            )
            answers.append(Answer(response=response, question=q["grade"], choice=grade_choices[grade]))
            answers += [
                Answer(response=response, question=q["tracks"], choice=track_choices[c]) for c in chosen
            ]
            answers += [
                Answer(response=response, question=q["unt-subjects"], choice=subject_choices[s.pk])
                for s in subjects
            ]
            if wish:
                answers.append(Answer(response=response, question=q["wishes"], text=wish))
        Answer.objects.bulk_create(answers, batch_size=2000)

    def district_of(self, school):
        return next(d for d in self.districts if d.pk == school.district_id)

    @staticmethod
    def certificate_code(rng):
        # Shaped like volunteers.services.new_certificate_code, but from the seeded generator.
        return base64.urlsafe_b64encode(rng.randbytes(16)).rstrip(b"=").decode()

    def make_awards(self):
        """Training certificates for all 110, and the 35 awards (with their certificates) of 7 November."""
        rng = self.rng("awards")
        issued = {code: content.TRACK_WINDOWS[code][0] - datetime.timedelta(days=3) for code in self.tracks}
        code_of = {t.pk: code for code, t in self.tracks.items()}
        certificates = [
            Certificate(
                program=self.program,
                volunteer=v,
                kind=Certificate.Kind.TRAINING,
                code=self.certificate_code(rng),
                issued_on=issued[code_of[v.track_id]],
            )
            for v in self.volunteers
        ]
        meeting = self.council_meetings[-1]
        day = datetime.date(2020, 11, 7)
        awards = [
            Award(
                program=self.program,
                volunteer=v,
                title="«Birgemiz: Bilim» жобасының үздік волонтері",
                awarded_on=day,
                meeting=meeting,
                certificate_code=self.certificate_code(rng),
            )
            for i, v in enumerate(self.volunteers)
            if i in self.awarded
        ]
        awards[0].full_clean()
        Award.objects.bulk_create(awards)
        certificates += [
            Certificate(
                program=self.program,
                volunteer_id=a.volunteer_id,
                kind=Certificate.Kind.AWARD,
                award=a,
                code=a.certificate_code,
                issued_on=day,
            )
            for a in awards
        ]
        certificates[-1].full_clean()
        Certificate.objects.bulk_create(certificates)

    def make_documents(self):
        rng = self.rng("documents")
        evidence = []
        for key, count in content.TRACK_PHOTOS.items():
            activity = self.activities[key]
            track = self.track_by_task[activity.task.number]
            for k in range(1, count + 1):
                ev = Evidence(
                    program=self.program,
                    activity=activity,
                    kind=Evidence.Kind.PHOTO,
                    title=f"{track.name_kk}: онлайн сабақтан фото {k}",
                )
                self.save_file(ev.file, "photo.png", files.png(self.colour(rng)))
                evidence.append(ev)
        for n, (key, kind, title) in enumerate(content.DOCUMENTS, start=1):
            ev = Evidence(program=self.program, activity=self.activities[key], kind=kind, title=title)
            self.save_file(
                ev.file, "document.pdf", files.pdf(f"Birgemiz: Bilim, BKO 2020 - appendix document {n}")
            )
            evidence.append(ev)
        evidence[0].full_clean()
        Evidence.objects.bulk_create(evidence)

    def link_users(self):
        volunteer = self.volunteers[self.demo_volunteer_index]
        volunteer.user = self.users["volunteer"]
        volunteer.save(update_fields=["user"])
        user = self.users["volunteer"]
        user.first_name, user.last_name = volunteer.first_name, volunteer.last_name
        user.save(update_fields=["first_name", "last_name"])
        chair = next(m for m in self.council if m.role == CouncilMember.Role.CHAIR)
        chair.user = self.users["council"]
        chair.save(update_fields=["user"])


# ---------------------------------------------------------------------- reset


def delete_demo(program):
    """Delete the demo programme and return the names of its files (removed after commit).

    The big tables go by plain SQL deletes where nothing else points at them: the ORM's
    cascade would load and audit tens of thousands of demo rows one by one. A table
    that some other row may still reference goes through the ORM instead, and records
    other features attached to the programme (issued reports, online tests) go too.
    """
    names = [n for n in Evidence.objects.filter(program=program).values_list("file", flat=True) if n]
    names += [
        n for n in CouncilMeeting.objects.filter(program=program).values_list("minutes", flat=True) if n
    ]
    order = [
        ScoreConflict.objects.filter(program=program),
        QuizAttempt.objects.filter(program=program),
        ActivationToken.objects.filter(volunteer__program=program),
        Attendance.objects.filter(lesson__group__program=program),
        Answer.objects.filter(response__survey__program=program),
        ApplicationScore.objects.filter(application__program=program),
        UntOutcome.objects.filter(student__program=program),
        ContestEntry.objects.filter(contest__program=program),
        Enrollment.objects.filter(group__program=program),
        TestResult.objects.filter(program=program),
        Lesson.objects.filter(group__program=program),
        SurveyResponse.objects.filter(survey__program=program),
        CourseGroup.objects.filter(program=program),
        VolunteerApplication.objects.filter(program=program),
        TrainingEvent.attendees.through.objects.filter(trainingevent__program=program),
        TrainingEvent.objects.filter(program=program),
        Trainer.tracks.through.objects.filter(trainer__program=program),
        Trainer.objects.filter(program=program),
        Certificate.objects.filter(program=program),
        Award.objects.filter(program=program),
        Volunteer.objects.filter(program=program),
        Student.objects.filter(program=program),
        Evidence.objects.filter(program=program),
        Indicator.objects.filter(activity__task__program=program),
        SocioEconomicIndicator.objects.filter(program=program),
    ]
    gone = set()
    for qs in order:
        if _referrers(qs.model) <= gone:
            qs._raw_delete(qs.db)
        else:
            _delete(qs)
        gone.add(qs.model)
    _delete(Program.objects.filter(pk=program.pk))
    return names


def _referrers(model):
    """Models whose rows can point at rows of `model` (through tables for many-to-many)."""
    found = {rel.through if rel.many_to_many else rel.related_model for rel in model._meta.related_objects}
    found |= {field.remote_field.through for field in model._meta.many_to_many}
    return found


def _delete(qs, depth=0):
    """`qs.delete()`, first deleting whatever PROTECT / RESTRICT keys keep it."""
    while True:
        try:
            with transaction.atomic():
                return qs.delete()
        except (ProtectedError, RestrictedError) as exc:
            if depth > 5:
                raise
            blockers = getattr(exc, "protected_objects", None) or exc.restricted_objects
            by_model = {}
            for obj in blockers:
                by_model.setdefault(type(obj), []).append(obj.pk)
            for model, pks in by_model.items():
                _delete(model._base_manager.filter(pk__in=pks), depth + 1)


def delete_files(names):
    for name in names:
        default_storage.delete(name)


def load_demo(*, reset=False):
    """Create `bko-2020`; return it, or None when it exists and `reset` is false.

    One transaction: either the whole programme is there or nothing is. Files saved
    before a failure are removed; the files of a reset programme go after the commit.
    """
    with transaction.atomic():
        existing = Program.objects.filter(code=PROGRAM_CODE).first()
        if existing is not None and not reset:
            return None
        old_files = delete_demo(existing) if existing is not None else []
        loader = DemoLoader()
        try:
            program = loader.run()
        except BaseException:
            loader.discard_files()
            raise
        transaction.on_commit(lambda: delete_files(old_files))
    return program


def logins():
    """(username, role, where to go) of the demo users."""
    return [(username, role, where) for username, role, _staff, where in DEMO_USERS]
