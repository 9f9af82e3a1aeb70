"""Section 5: information work (publications against each group's plans) and the
publications of every month of the programme."""

from collections import Counter, defaultdict

from birgemiz.models import InfoWorkGroup, InfoWorkPlan, Publication, pick_lang

from ..form import MONTHS, short_date
from ..links import ids_url
from ..structure import Cell, InfoGroupBlock, InfoPlanRow, MonthRow

ARTICLE_KINDS = (
    Publication.Kind.POST,
    Publication.Kind.NEWSPAPER,
    Publication.Kind.INTERVIEW,
)
PER_MONTH = 2


def kind_class(kind):
    return "article" if kind in ARTICLE_KINDS else kind


def publications_cell(pubs):
    return Cell.count(len(pubs), ids_url("birgemiz.publication", [p["id"] for p in pubs]))


def post_text(p, lang):
    text = f"{p['outlet']} «{p['title']}»" if p["outlet"] else f"«{p['title']}»"
    if p["date"]:
        text += f" {short_date(p['date'], lang)}"
    return text


def group_block(group, plans, pubs, lang):
    articles = [p for p in pubs if p["kind"] in ARTICLE_KINDS]
    rows = []
    for plan in plans:
        same = [p for p in pubs if kind_class(p["kind"]) == kind_class(plan.kind)]
        rows.append(
            InfoPlanRow(
                label=pick_lang(plan, "label", lang),
                plan=pick_lang(plan, "plan_text", lang) or str(plan.plan_value),
                plan_value=plan.plan_value,
                fact=publications_cell(same),
                met=len(same) >= plan.plan_value,
            )
        )
    return InfoGroupBlock(
        number=group.number,
        title=pick_lang(group, "title", lang),
        banners=publications_cell([p for p in pubs if p["kind"] == Publication.Kind.BANNER]),
        posts=[(n, post_text(p, lang)) for n, p in enumerate(articles, start=1)],
        plans=rows,
    )


def month_rows(data, publications):
    """[MonthRow]: publications (all kinds but banners) in each month of the programme."""
    program, lang = data.program, data.lang
    counts = Counter(
        (p["date"].year, p["date"].month)
        for p in publications
        if p["date"] and p["kind"] != Publication.Kind.BANNER
    )
    months = []
    y, m = program.start.year, program.start.month
    while (y, m) <= (program.end.year, program.end.month):
        n = counts[(y, m)]
        url = data.url("birgemiz.publication", date__year=y, date__month=m)
        label = f"{MONTHS[lang][m - 1]} {y}"
        months.append(MonthRow(year=y, month=m, label=label, count=Cell.count(n, url), under=n < PER_MONTH))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def info_work(data):
    """([InfoGroupBlock], [MonthRow])."""
    program = data.program
    plans = defaultdict(list)
    for plan in InfoWorkPlan.objects.filter(group__program=program).order_by("group_id", "id"):
        plans[plan.group_id].append(plan)
    publications = list(
        Publication.objects.filter(program=program).order_by("date", "id").values(
            "id", "group_id", "kind", "outlet", "title", "date"
        )
    )
    by_group = defaultdict(list)
    for p in publications:
        by_group[p["group_id"]].append(p)
    groups = [
        group_block(group, plans[group.id], by_group[group.id], data.lang)
        for group in InfoWorkGroup.objects.filter(program=program).order_by("number")
    ]
    return groups, month_rows(data, publications)
