"""The seed report's tables, shared by the demo and the synthetic generator.

`data/` holds the 2020 West Kazakhstan report as CSV (activities, plan and fact, tracks,
ҰБТ subjects, and the demo's own tables) and its narratives; this module reads them
and the way the seed writes its plans («Кемінде 5», «Әр мектепте 1», «1 БАҚ мақала»).
"""

import csv
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from birgemiz.models import Indicator
from birgemiz.numbers import read_decimal

DATA = Path(__file__).parent / "data"

# code, task number, kk, ru; each track's figures are in tracks.csv, in the same order.
TRACK_NAMES = [
    ("english", 2, "Ағылшын тілі", "Английский язык"),
    ("computer", 3, "Компьютерлік сауаттылық", "Компьютерная грамотность"),
    ("unt", 4, "ҰБТ-ға дайындық", "Подготовка к ЕНТ"),
    ("law", 5, "Құқықтық сауаттылық", "Правовая грамотность"),
    (
        "olympiad",
        6,
        "Олимпиадаларға, ғылыми байқауларға дайындық",
        "Подготовка к олимпиадам и научным конкурсам",
    ),
]


def read_csv(name):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_json(name):
    with open(DATA / name, encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class SeedTrack:
    """One track as the seed reports it: its plan and what the 2020 programme achieved."""

    code: str
    task: int
    name_kk: str
    name_ru: str
    hours: Decimal
    plan_volunteers: int
    plan_students: int
    volunteers: int
    students: int
    pre_percent: int
    post_percent: int


def seed_tracks():
    tracks = []
    for row, (code, task, name_kk, name_ru) in zip(read_csv("tracks.csv"), TRACK_NAMES, strict=True):
        assert int(row["task"]) == task
        tracks.append(
            SeedTrack(
                code=code,
                task=task,
                name_kk=name_kk,
                name_ru=name_ru,
                hours=read_decimal(row["hours"]),
                **{
                    field: int(row[field])
                    for field in (
                        "plan_volunteers",
                        "plan_students",
                        "volunteers",
                        "students",
                        "pre_percent",
                        "post_percent",
                    )
                },
            )
        )
    return tracks


_NUMBER = r"\d+(?:[.,]\d+)?"


def first_number(text):
    """The first number written in `text` («3,5» is 3.5), or None."""
    match = re.search(_NUMBER, text or "")
    return read_decimal(match[0]) if match else None


def appendix_number(text):
    """«№3 қосымша» → 3; None without a number."""
    return int(first_number(text) or 0) or None


class Plan(NamedTuple):
    comparator: str
    value: Decimal | None  # None for a plan in words
    unit: str


def parse_plan(text):
    """A plan as the seed writes it."""
    t = " ".join(text.split())
    if m := re.fullmatch(rf"Кемінде ({_NUMBER})\s*(%| рет)?", t):
        return Plan(Indicator.Comparator.AT_LEAST, read_decimal(m[1]), (m[2] or "").strip())
    if m := re.fullmatch(rf"Әр (мектепте|кездесуден)(?: кемінде)? ({_NUMBER})", t):
        unit = {"мектепте": "мектеп", "кездесуден": "кездесу"}[m[1]]
        return Plan(Indicator.Comparator.PER_UNIT, read_decimal(m[2]), unit)
    if m := re.fullmatch(rf"({_NUMBER})(?: \(.*\))?", t):
        return Plan(Indicator.Comparator.EXACTLY, read_decimal(m[1]), "")
    if m := re.fullmatch(rf"({_NUMBER}) (\D+)", t):
        return Plan(Indicator.Comparator.EXACTLY, read_decimal(m[1]), m[2])
    return Plan(Indicator.Comparator.TEXT, None, "")


def parse_fact(text):
    """(value, wording): the number of a typed fact, and its wording when it is not a bare number."""
    t = " ".join(text.split())
    value = first_number(t)
    return value, "" if re.fullmatch(_NUMBER, t) else t
