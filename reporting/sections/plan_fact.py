"""Section 4: planned against achieved results, an indicator row per planned result."""

from decimal import Decimal

from birgemiz.models import pick_lang

from ..metrics import format_number
from ..structure import Cell, IndicatorRow, PlanFactActivity, PlanFactTask, number


def comparator_met(comparator, target, fact):
    """Whether a fact meets its plan; None when the plan cannot be compared.

    The report's rule, which the dashboard and the consolidated report apply too. A fact
    misses its plan when it falls short of it, whatever the comparator: going beyond an
    "exactly" plan (200 students planned, 378 taught) over-fulfils it rather than misses
    it; a "per unit" minimum is a floor for the total; a text plan that carries a number
    is read as one."""
    if target is None or fact is None:
        return None
    return Decimal(str(fact)) >= target


def indicator_row(data, ind):
    plan = ind.plan_display(data.lang)
    if ind.fact_value is not None or ind.fact_text:
        value = number(ind.fact_value) if ind.fact_value is not None else None
        fact = Cell(value=value, display=ind.fact_text or format_number(ind.fact_value))
    elif ind.metric:
        fig = data.figure(ind.metric, ind.metric_param)
        fact = Cell.from_figure(fig) if fig is not None else Cell()
    else:
        fact = Cell()
    fact_number = fact.value if isinstance(fact.value, (int, float)) else None
    return IndicatorRow(
        name=pick_lang(ind, "name", data.lang),
        plan=plan,
        fact=fact,
        met=comparator_met(ind.comparator, ind.target_value, fact_number),
        has_plan=bool(plan),
        has_fact=fact.value is not None or bool(fact.display),
        pk=ind.pk,
    )


def plan_fact(data):
    """[PlanFactTask]: per task and activity, the rows of its indicators."""
    lang = data.lang
    return [
        PlanFactTask(
            task.number,
            pick_lang(task, "title", lang),
            [
                PlanFactActivity(
                    number=act.number,
                    title=pick_lang(act, "title", lang),
                    result=pick_lang(act, "result", lang),
                    rows=[indicator_row(data, ind) for ind in data.indicators[act.id]],
                )
                for act in data.acts_by_task[task.id]
            ],
        )
        for task in data.tasks
    ]
