"""Section 7: the participants (students and volunteers) by gender, social status and age."""

import collections
import itertools

from django.utils.translation import gettext as _

from birgemiz.models import SocialStatus

from ..form import AGE_BRACKETS, STATUS_HEADINGS, t
from ..structure import Breakdown, Cell, Link


def age_at(birth_date, as_of):
    return as_of.year - birth_date.year - ((as_of.month, as_of.day) < (birth_date.month, birth_date.day))


def years_before(d, years):
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def people_total(data):
    return Cell(
        value=len(data.students) + len(data.volunteers),
        links=data.all_students_cell.links + data.all_volunteers_cell.links,
        computed=True,
    )


def _people(data):
    return itertools.chain(data.students, data.volunteers)


def people_cell(data, n, **filters):
    """`n` students and volunteers, linked to both lists filtered by `filters`."""
    links = []
    for model, label in (("courses.student", _("students")), ("volunteers.volunteer", _("volunteers"))):
        url = data.url(model, **filters)
        if url:
            links.append(Link(label, url))
    return Cell(value=n, links=links, computed=True)


def breakdown(data, heading, total_heading, total, columns):
    return Breakdown(
        heading=t(heading, data.lang), total_heading=t(total_heading, data.lang), total=total, columns=columns
    )


def gender(data, total):
    lang = data.lang
    counts = collections.Counter(p["sex"] for p in _people(data))
    columns = [
        (t("male", lang), people_cell(data, counts["M"], sex__exact="M")),
        (t("female", lang), people_cell(data, counts["F"], sex__exact="F")),
    ]
    return breakdown(data, "gender", "gender_total", total, columns)


def status(data, total):
    counts = collections.Counter(p["social_status"] for p in _people(data))
    columns = [
        (
            STATUS_HEADINGS[value][1 if data.lang == "ru" else 0],
            people_cell(data, counts[value], social_status__exact=value),
        )
        for value in SocialStatus.values
    ]
    return breakdown(data, "status", "stats_total", total, columns)


def age(data, total):
    as_of = data.as_of
    # One pass over the people: their ages, then each bracket's count (brackets may overlap).
    ages = collections.Counter(age_at(p["birth_date"], as_of) for p in _people(data) if p["birth_date"])
    columns = []
    for low, high, kk, ru in AGE_BRACKETS:
        filters = {"birth_date__lte": years_before(as_of, low).isoformat()}
        if high is not None:
            filters["birth_date__gt"] = years_before(as_of, high + 1).isoformat()
        n = sum(count for years, count in ages.items() if years >= low and (high is None or years <= high))
        columns.append((ru if data.lang == "ru" else kk, people_cell(data, n, **filters)))
    return breakdown(data, "age", "stats_total", total, columns)


def participants(data):
    """(total, gender, status, age): the participant total and its three breakdowns."""
    total = people_total(data)
    return total, gender(data, total), status(data, total), age(data, total)
