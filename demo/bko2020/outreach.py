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
                    name_ru=r["name_ru"],
                    role=r["role"],
                    role_ru=r["role_ru"],
                    contact=r["contact"],
                    note=r["note"],
                    note_ru=r["note_ru"],
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
                    outlet_ru=r["outlet_ru"],
                    title=title,
                    title_ru=r["title_ru"],
                    language=Publication.Language.KK
                    if set(title) & KAZAKH_LETTERS
                    else Publication.Language.RU,
                    date=datetime.date.fromisoformat(r["date"]),
                )
            )
        for group_title, count in content.BANNERS.items():
            activity = self.activities["1.4" if group_title.startswith("Волонтер") else "7.2"]
            group = groups[group_title]
            for n in range(1, count + 1):
                title = f"{group.title_kk}: баннер №{n}"
                pubs.append(
                    Publication(
                        program=program,
                        group=group,
                        activity=activity,
                        kind=Publication.Kind.BANNER,
                        title=title,
                        title_ru=f"{group.title_ru}: баннер №{n}",
                    )
                )
        for key, outlet, title, views, url in content.VIDEOS:
            pubs.append(
                Publication(
                    program=program,
                    activity=self.activities[key],
                    kind=Publication.Kind.VIDEO,
                    outlet=outlet,
                    title=title,
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
        """The seed's 36 meetings with 698 participants. It dates none of them and places
        them all in «Батыс Қазақстан облысы» (activity 1.1), naming only the first one's
        audience; the demo records no more than that. How the 698 split between the
        meetings is the demo's (only their sum reaches the report)."""
        rng = self.rng("meetings")
        n = 36
        participants = adjust_sum([rng.randint(10, 32) for _ in range(n)], 698, 5, 60, rng)
        activity = self.activities["1.1"]
        meetings = [
            Meeting(
                program=self.program,
                activity=activity,
                place=activity.place,
                audience=content.FIRST_MEETING_AUDIENCE if i == 0 else "",
                participants=count,
                has_protocol=True,
                has_participant_list=True,
            )
            for i, count in enumerate(participants)
        ]
        meetings[0].full_clean()
        meetings = Meeting.objects.bulk_create(meetings)
        self.make_meeting_evidence(rng, meetings, activity)
