"""Section 6: the socio-economic indicators, typed or computed."""

from birgemiz.models import pick_lang

from ..form import t
from ..metrics import format_number
from ..structure import Cell, SocioRow, number


def socio_fact(data, row):
    if row.fact_value is not None:
        return Cell(value=number(row.fact_value))
    if not row.metric:
        return Cell()
    fig = data.figure(row.metric)
    if fig is None:
        return Cell()
    fact = Cell.from_figure(fig)
    if row.metric == "direct_beneficiaries":
        fact.display = t("se_beneficiaries", data.lang, total=fig.value, low=fig.parts["low"])
    return fact


def socio(data):
    """[SocioRow]."""
    lang = data.lang
    return [
        SocioRow(
            number=row.number,
            name=pick_lang(row, "name", lang),
            unit=pick_lang(row, "unit", lang),
            plan=pick_lang(row, "plan_text", lang) or format_number(row.plan_value),
            fact=socio_fact(data, row),
            pk=row.pk,
        )
        for row in data.socio_rows
    ]
