"""Section 6: the socio-economic indicators, typed or computed."""

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
    return [
        SocioRow(
            number=row.number,
            name=data.text(row, "name"),
            unit=data.text(row, "unit"),
            plan=_written_number(data.text(row, "plan_text")) or format_number(row.plan_value),
            fact=socio_fact(data, row),
            pk=row.pk,
        )
        for row in data.socio_rows
    ]


def _written_number(text):
    """A plan typed as a bare number («4185000») prints as the fact beside it does
    («4 185 000»); any other wording stays as written."""
    bare = (text or "").replace(" ", "").replace("\xa0", "")
    return format_number(int(bare)) if bare.isdigit() else text
