"""Section 4: planned against achieved results, an indicator row per planned result.

A row's plan is printed as written; it is judged by the number the fact must reach: the
target, multiplied by the units of a per-unit plan («Әр мектепте 1»: one per school the
students come from). A plan in percent cannot be judged by a count. A typed fact that a
metric could compute is checked against it: both numbers go to the row.
"""

from decimal import Decimal

from birgemiz.models import Indicator

from ..form import count_text, t
from ..metrics import format_number
from ..structure import Cell, IndicatorRow, PlanFactActivity, PlanFactTask, number
from ..units import plan_target, unit_for

Comparator = Indicator.Comparator
COMPARATOR_TEXT = {
    Comparator.AT_LEAST: "cmp_at_least",
    Comparator.EXACTLY: "cmp_exactly",
    Comparator.TEXT: "cmp_text",
}
PER_TEXT = {
    Indicator.Per.SCHOOL: ("cmp_per_school", "per_school", ("школа", "школы", "школ")),
    Indicator.Per.MEETING: ("cmp_per_meeting", "per_meeting", ("встреча", "встречи", "встреч")),
}


def comparator_met(comparator, target, fact):
    """Whether a fact meets its plan; None when the plan cannot be compared.

    The report's rule, which the dashboard and the consolidated report apply too, over the
    target a fact must reach (`units.plan_target`: a per-unit plan multiplied out). A fact
    misses its plan when it falls short of it, whatever the comparator: going beyond an
    "exactly" plan (200 students planned, 378 taught) over-fulfils it rather than misses it;
    a text plan that carries a number is read as one."""
    if target is None or fact is None:
        return None
    return Decimal(str(fact)) >= target


def is_count(cell):
    """Whether a fact reads as a count (not a percent)."""
    return "%" not in (cell.display or "")


def typed_fact(data, ind):
    value = number(ind.fact_value) if ind.fact_value is not None else None
    wording = data.text(ind, "fact_text")
    return Cell(value=value, display=wording or format_number(ind.fact_value))


def comparator_text(ind, lang):
    if ind.comparator == Comparator.PER_UNIT:
        key = PER_TEXT[ind.per][0] if ind.per in PER_TEXT else "cmp_at_least"
        return t(key, lang)
    return t(COMPARATOR_TEXT[ind.comparator], lang)


def units_cell(per, count, url, lang):
    """The schools or meetings a per-unit plan counts: «48 мектеп», linked to them."""
    _key, word_key, forms = PER_TEXT[per]
    label = count_text(word_key, count, lang, forms)
    cell = Cell.count(count, url, label)
    cell.display = label
    return cell


def indicator_row(data, ind):
    lang = data.lang
    plan = data.text(ind, "target_text") or ind.plan_display(lang)
    recorded = None
    if ind.fact_value is not None or ind.fact_text:
        fact = typed_fact(data, ind)
        fig = data.figure(ind.metric, ind.metric_param) if ind.metric and ind.fact_value is not None else None
        if fig is not None:
            recorded = Cell.from_figure(fig)
    elif ind.metric:
        fig = data.figure(ind.metric, ind.metric_param)
        fact = Cell.from_figure(fig) if fig is not None else Cell()
    else:
        fact = Cell()
    fact_number = fact.value if isinstance(fact.value, (int, float)) else None
    row = IndicatorRow(
        name=data.text(ind, "name"),
        plan=plan,
        fact=fact,
        met=None,
        has_plan=bool(plan),
        has_fact=fact.value is not None or bool(fact.display),
        pk=ind.pk,
        comparator=comparator_text(ind, lang),
        per=ind.per if ind.comparator == Comparator.PER_UNIT else "",
        recorded=recorded,
    )
    units = None
    if ind.comparator == Comparator.PER_UNIT and ind.per in PER_TEXT:
        track = data.track_by_activity.get(ind.activity_id)
        units = unit_for(data.units, data.pid, ind.per, track.id if track else None)
        row.units = units_cell(ind.per, units.count, units.url, lang)
    row.target = plan_target(ind.comparator, ind.target_value, units)
    if units is not None and row.target is not None:
        row.target_note = t(
            "per_unit_note", lang, plan=plan, units=row.units.display, target=format_number(row.target)
        )
    if ind.plan_in_percent and fact.value is not None and is_count(fact):
        row.unit_mismatch = True
        row.notes.append(t("mismatch_note", lang))
    else:
        row.met = comparator_met(ind.comparator, row.target, fact_number)
    if row.target_note:
        row.notes.append(row.target_note)
    if row.recorded_differs:
        row.notes.append(t("recorded_note", lang, n=row.recorded.display))
    return row


def plan_fact(data):
    """[PlanFactTask]: per task and activity, the rows of its indicators."""
    return [
        PlanFactTask(
            task.number,
            data.text(task, "title"),
            [
                PlanFactActivity(
                    number=act.number,
                    title=data.text(act, "title"),
                    result=data.text(act, "result"),
                    rows=[indicator_row(data, ind) for ind in data.indicators[act.id]],
                )
                for act in data.acts_by_task[task.id]
            ],
        )
        for task in data.tasks
    ]
