"""Partners, socio-economic indicators, the information work plan, publications and meetings."""

import datetime

from birgemiz.models import (
    InfoWorkGroup,
    InfoWorkPlan,
    Meeting,
    Partner,
    Publication,
    SocioEconomicIndicator,
)
from birgemiz.numbers import read_decimal

from ..seed import first_number, read_csv
from . import content
from .base import adjust_sum

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


class OutreachMixin:
    """What the programme told the region, and whom it met."""

    def make_partners(self):
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

    def make_socio_economic(self):
        program = self.program
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
                    plan_value=first_number(r["plan"]),
                    plan_text_kk=r["plan"],
                    plan_text_ru=plan_ru or r["plan"],
                    fact_value=None if metric else read_decimal(r["fact"]),
                    metric=metric,
                )
            )
        SocioEconomicIndicator.objects.bulk_create(socio)

    def make_information_work(self):
        program = self.program
        self.info_groups = groups = {}
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
                plan_value=int(first_number(r["plan"])),
            )

    def make_publications(self):
        program = self.program
        groups = self.info_groups
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
                    if set(title) & KAZAKH_LETTERS
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
        self.make_meeting_evidence(rng, meetings, activity)
