"""A programme year from a template: copy the structure of another programme (last year's,
or a national template the operator offers) into a new one.

What is copied: tasks, activities (their plans, not their results), indicators with their
plans, comparators and metrics (not their facts), tracks with subjects, planned hours,
students, volunteers and group capacity, surveys with their questions and choices, the
information-work plan, the socio-economic indicators' names and plans, and the council's
selection criteria. Dates (activities, surveys) move with the programme's start.
What is never copied: people (students, volunteers, council members, trainers), records
(lessons, attendance, scores, answers, meetings, publications, applications) and facts.
Everything is written in one transaction, through `full_clean`, with one audit entry per
copied row (bulk writes skip the signals, so they are recorded here).
"""

import datetime
import decimal
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birgemiz.audit import record_bulk
from birgemiz.models import (
    Activity,
    AuditEntry,
    Indicator,
    InfoWorkGroup,
    InfoWorkPlan,
    Program,
    SocioEconomicIndicator,
    Subject,
    Task,
    Track,
)
from birgemiz.services import clean_and_save, require
from surveys.models import Choice, Question, Survey
from volunteers.models import SelectionCriterion

# Fields that hold what happened, not what was planned: a copy starts them empty.
_FACTS = {
    Activity: {
        "participants_typed": None,
        "completeness_percent": 0,
        "summary_kk": "",
        "summary_ru": "",
        "narrative_kk": "",
        "narrative_ru": "",
        "result_kk": "",
        "result_ru": "",
        "experts": "",
        "experts_ru": "",
    },
    Indicator: {"fact_value": None, "fact_text": "", "fact_text_ru": ""},
    SocioEconomicIndicator: {"fact_value": None},
    Survey: {"is_published": False},
}
_SKIP = {"id", "created_at", "updated_at"}


@dataclass
class CopyLine:
    label: str
    count: int


# (model, how its rows of `source` are found, label)
def _parts(source):
    return [
        (Task, Task.objects.filter(program=source), gettext_lazy("tasks")),
        (Activity, Activity.objects.filter(task__program=source), gettext_lazy("activities")),
        (Indicator, Indicator.objects.filter(activity__task__program=source), gettext_lazy("indicators")),
        (Track, Track.objects.filter(program=source), gettext_lazy("tracks")),
        (Subject, Subject.objects.filter(track__program=source), gettext_lazy("subjects")),
        (
            SelectionCriterion,
            SelectionCriterion.objects.filter(program=source),
            gettext_lazy("council criteria"),
        ),
        (
            InfoWorkGroup,
            InfoWorkGroup.objects.filter(program=source),
            gettext_lazy("information-work groups"),
        ),
        (
            InfoWorkPlan,
            InfoWorkPlan.objects.filter(group__program=source),
            gettext_lazy("information-work plans"),
        ),
        (
            SocioEconomicIndicator,
            SocioEconomicIndicator.objects.filter(program=source),
            gettext_lazy("socio-economic indicators"),
        ),
        (Survey, Survey.objects.filter(program=source), gettext_lazy("surveys")),
        (Question, Question.objects.filter(survey__program=source), gettext_lazy("survey questions")),
        (Choice, Choice.objects.filter(question__survey__program=source), gettext_lazy("answer choices")),
    ]


def survey_code(program_code, old_code):
    base = f"{program_code}-{old_code.split('-')[-1]}"[:50]
    code, n = base, 1
    while Survey.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:46]}-{n}"
    return code


_PROGRAM_FIELDS = (
    "topic_kk",
    "topic_ru",
    "goal_kk",
    "goal_ru",
    "operator_kk",
    "operator_ru",
    "planned_beneficiaries",
    "planned_volunteers",
)
_COPIED = (
    Task,
    Activity,
    Indicator,
    Track,
    Subject,
    SelectionCriterion,
    InfoWorkGroup,
    InfoWorkPlan,
    SocioEconomicIndicator,
    Survey,
    Question,
    Choice,
)
_LABELS = {model._meta.label_lower: model for model in _COPIED}
# Written for one place: a national template leaves them to the region's coordinator.
_LOCAL = {Activity: {"place": "", "place_ru": ""}}


def _plain(field, value, start):
    if value is None:
        return None
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return {"days": (value - start).days}
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def dump(source, *, national=False):
    """`source`'s structure as plain data (JSON-ready): the programme's own texts and plans,
    and one entry per copied row with its values; keys between copied rows by the old
    primary keys, dates as days from the programme's start. Facts are left out."""
    rows = []
    for model, qs, _label in _parts(source):
        for old in qs.order_by("pk"):
            values = {}
            for field in model._meta.concrete_fields:
                if field.attname in _SKIP or (field.is_relation and field.related_model is Program):
                    continue
                if field.is_relation and field.related_model not in _COPIED:
                    raise ValueError(f"{model.__name__}.{field.name} points outside the structure")
                values[field.attname] = _plain(field, getattr(old, field.attname), source.start)
            values.update(_FACTS.get(model, {}))
            if national:
                values.update(_LOCAL.get(model, {}))
            rows.append({"model": model._meta.label_lower, "pk": old.pk, "fields": values})
    return {
        "program": {name: getattr(source, name) for name in _PROGRAM_FIELDS},
        "length_days": (source.end - source.start).days,
        "rows": rows,
    }


def counts(structure):
    """What a structure holds: one line per kind of row (the preview)."""
    by_model = {}
    for row in structure["rows"]:
        by_model[row["model"]] = by_model.get(row["model"], 0) + 1
    labels = {model: label for model, _qs, label in _parts(None)}
    return [CopyLine(str(labels[model]), by_model.get(model._meta.label_lower, 0)) for model in _COPIED]


def programme_copy(*, source, **fields):
    """Create the new programme and copy `source`'s structure into it; return it."""
    return programme_from_structure(
        structure=dump(source),
        region=fields.pop("region", None) or source.region,
        note=f"copied from {source.code}",
        **fields,
    )


def programme_from_structure(
    *,
    structure,
    organization,
    region,
    code,
    title_kk,
    title_ru,
    start,
    end,
    grant_amount,
    is_template=False,
    note="made from a template",
):
    """Create a programme from `structure` (see `dump`), dates from `start`; return it."""
    require(
        not Program.objects.filter(code=code).exists(),
        "code",
        _("A programme with this code exists already: choose another code."),
        code="exists",
    )
    with transaction.atomic():
        program = Program(
            organization=organization,
            region=region,
            code=code,
            title_kk=title_kk,
            title_ru=title_ru,
            grant_amount=grant_amount,
            start=start,
            end=end,
            status=Program.Status.ACTIVE,
            is_template=is_template,
            **structure["program"],
        )
        clean_and_save(program)
        record_bulk(Program, program.pk, AuditEntry.Action.CREATE, [program], note=note)
        new = {}  # (model, old pk) -> new object
        by_model = {}
        for row in structure["rows"]:
            by_model.setdefault(row["model"], []).append(row)
        for model in _COPIED:
            made_rows = []
            for row in by_model.get(model._meta.label_lower, []):
                obj = _row(model, row["fields"], program, new)
                obj.full_clean(validate_unique=False, validate_constraints=False)
                made_rows.append((row["pk"], obj))
            made = model.objects.bulk_create([obj for _pk, obj in made_rows], batch_size=500)
            for (old_pk, _obj), obj in zip(made_rows, made, strict=True):
                new[(model, old_pk)] = obj
            if made:
                record_bulk(model, program.pk, AuditEntry.Action.CREATE, made, note=note)
    return program


def _row(model, fields, program, new):
    values = {}
    for field in model._meta.concrete_fields:
        if field.attname in _SKIP:
            continue
        if field.is_relation and field.related_model is Program:
            values[field.name] = program
            continue
        if field.attname not in fields:
            continue
        value = fields[field.attname]
        if field.is_relation:
            # Parents come first: a key to one of them points at its copy.
            values[field.name] = new.get((field.related_model, value)) if value is not None else None
        elif isinstance(value, dict) and "days" in value:
            values[field.attname] = program.start + datetime.timedelta(days=value["days"])
        else:
            values[field.attname] = value
    if model is Survey:
        values["code"] = survey_code(program.code, fields["code"])
    return model(**values)
