"""The programme, its narratives, tasks and activities, tracks and subjects, and its plan."""

import datetime
import re

from birgemiz.models import (
    Activity,
    Indicator,
    Narrative,
    Organization,
    Program,
    ProjectProposal,
    StateRecommendation,
    Subject,
    Task,
    Track,
)

from ..seed import appendix_number, parse_fact, parse_plan, read_csv, seed_tracks
from . import PROGRAM_CODE, content


def expert_lines(text):
    """The seed's experts, written «A – x; B – y», one a line as the activity keeps them."""
    return "\n".join(part.strip() for part in text.split(";") if part.strip())


def plan_text_ru(text):
    """The Russian wording of a plan as the seed writes it in Kazakh."""
    t = " ".join(text.split())
    if t in content.PLAN_TEXTS_RU:
        return content.PLAN_TEXTS_RU[t]
    if m := re.fullmatch(r"Кемінде (\d+)(%?)", t):
        return f"Не менее {m[1]}{m[2]}"
    return t


class ProgrammeMixin:
    """The programme and its plan: tasks, activities, tracks, subjects and indicators."""

    def make_program(self):
        fields = dict(content.ORGANIZATION)
        org, _created = Organization.objects.update_or_create(name_kk=fields.pop("name_kk"), defaults=fields)
        org.members.add(self.users["coordinator"])
        self.org = org
        fields = dict(content.PROGRAM)
        self.program = Program.objects.create(
            organization=org,
            code=PROGRAM_CODE,
            region=self.region,
            topic_kk=self.narr["topic"],
            topic_ru=self.narr_ru["topic"],
            goal_kk=self.narr["programme"]["goal"],
            goal_ru=self.narr_ru["programme"]["goal"],
            status=Program.Status.ACTIVE,
            is_demo=True,
            **fields,
        )

    def make_narratives(self):
        texts, texts_ru = self.narr["programme"], self.narr_ru["programme"]
        Narrative.objects.bulk_create(
            [
                Narrative(program=self.program, key=key, text_kk=texts[key], text_ru=texts_ru[key])
                for key in Narrative.Key.values
            ]
        )
        proposal = dict(self.narr["proposal"])
        proposal.update({f"{name}_ru": text for name, text in self.narr_ru["proposal"].items()})
        ProjectProposal.objects.create(program=self.program, number=1, **proposal)
        rec, rec_ru = self.narr["recommendation"], self.narr_ru["recommendation"]
        number = re.search(r"№(\d+)", rec["letter"])[1]
        StateRecommendation.objects.create(
            program=self.program,
            body=rec["body"],
            body_ru=rec_ru["body"],
            text=rec["text"],
            text_ru=rec_ru["text"],
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
            texts, texts_ru = self.narr["activities"][key], self.narr_ru["activities"][key]
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
                place_ru=row["place_ru"],
                participants_metric=content.PARTICIPANT_METRICS[key],
                participant_category_kk=row["participant_category"],
                participant_category_ru=content.CATEGORIES_RU[row["participant_category"]],
                experts=expert_lines(row["experts"]),
                experts_ru=expert_lines(row["experts_ru"]),
                completeness_percent=int(row["completeness_percent"]),
                summary_kk=texts["summary"],
                summary_ru=texts_ru["summary"],
                narrative_kk=texts["narrative"],
                narrative_ru=texts_ru["narrative"],
                result_kk=texts["result"],
                result_ru=texts_ru["result"],
                appendix_number=appendix_number(row["appendix"]),
            )

    def make_tracks(self):
        self.tracks = {}
        self.subjects = {}
        self.track_figures = {}
        for order, seed in enumerate(seed_tracks(), start=1):
            self.tracks[seed.code] = Track.objects.create(
                program=self.program,
                code=seed.code,
                order=order,
                name_kk=seed.name_kk,
                name_ru=seed.name_ru,
                activity=self.activities[f"{seed.task}.1"],
                planned_hours=seed.hours,
                planned_students=seed.plan_students,
                planned_volunteers=seed.plan_volunteers,
                group_capacity=25,
            )
            self.track_figures[seed.code] = seed
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
            # The seed's typed fact stays where records could give it too: they check it.
            checked = content.CHECKED_BY_RECORDS.get((key, product))
            if checked:
                metric, param = checked
            fact_value, fact_text = (None, "") if metric and not checked else parse_fact(row["fact"])
            rows.append(
                Indicator(
                    activity=self.activities[key],
                    order=order[key],
                    name_kk=product,
                    name_ru=content.INDICATOR_NAMES_RU[product],
                    unit=unit,
                    comparator=comparator,
                    per=Indicator.Per.from_unit(unit),
                    target_value=value,
                    target_text_kk=row["plan"],
                    target_text_ru=plan_text_ru(row["plan"]),
                    fact_value=fact_value,
                    fact_text=fact_text,
                    fact_text_ru=content.FACT_TEXTS_RU[fact_text] if fact_text else "",
                    metric=metric,
                    metric_param=param,
                )
            )
        rows[0].full_clean()
        Indicator.objects.bulk_create(rows)
