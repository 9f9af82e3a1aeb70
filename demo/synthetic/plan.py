"""A synthetic programme's tasks, activities, tracks, subjects and plan, from the seed's tables."""

import datetime
from decimal import Decimal

from birgemiz.models import Activity, Indicator, Subject, Task, Track

from ..seed import TRACK_NAMES, appendix_number, first_number, parse_plan
from . import BATCH

TRACK_BY_TASK = {task: code for code, task, _kk, _ru in TRACK_NAMES}
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


def synthetic_target(text):
    """(comparator, value) of a seed plan in a synthetic programme. Its facts vary around
    the seed's, so a plain number is a minimum; a percentage, or a number of named things
    («1 БАҚ мақала»), is kept as text, with the number it names."""
    plan = parse_plan(text)
    if plan.comparator == Indicator.Comparator.PER_UNIT:
        return plan.comparator, plan.value
    if plan.comparator == Indicator.Comparator.TEXT or plan.unit == "%" or (
        plan.comparator == Indicator.Comparator.EXACTLY and plan.unit
    ):
        return Indicator.Comparator.TEXT, first_number(text)
    return Indicator.Comparator.AT_LEAST, plan.value


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


class PlanMixin:
    """The seed's plan, with facts that vary by region."""

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
                    appendix_number=appendix_number(row["appendix"]),
                )
            )
        acts = Activity.objects.bulk_create(acts)
        return tasks, {(a.task.number, a.number): a for a in acts}

    def _tracks(self, rng, program, activities):
        tracks = []
        for order, seed in enumerate(self.seed_tracks):
            tracks.append(
                Track(
                    program=program,
                    code=seed.code,
                    order=order,
                    name_kk=seed.name_kk,
                    name_ru=seed.name_ru,
                    activity=activities.get((seed.task, 1)),
                    planned_hours=seed.hours,
                    planned_students=max(1, round(seed.plan_students * self.scale)),
                    planned_volunteers=max(1, round(seed.plan_volunteers * self.scale)),
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
            comparator, target = synthetic_target(row["plan"])
            metric, param = indicator_metric(*key, row["product"])
            fact = None if metric else first_number(row["fact"])
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
