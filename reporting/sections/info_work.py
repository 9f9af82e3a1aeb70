"""Section 5: information work (publications against each group's plans) and the
publications of every month of the programme.

The monthly table counts what the groups list: posts, articles and interviews
(`metrics.MEDIA_KINDS`), by their dates; banners and videos are counted by their plans.
"""

from collections import Counter, defaultdict

from birgemiz.models import InfoWorkGroup, InfoWorkPlan, Publication

from ..form import MONTHS, short_date, t
from ..links import ids_url
from ..metrics import MEDIA_KINDS
from ..structure import Cell, InfoGroupBlock, InfoPlanRow, MonthRow

PER_MONTH = 2
FIELDS = ("id", "group_id", "kind", "outlet", "outlet_ru", "title", "title_ru", "date")


def kind_class(kind):
    return "article" if kind in MEDIA_KINDS else kind


def publications_cell(pubs):
    return Cell.count(len(pubs), ids_url("birgemiz.publication", [p.id for p in pubs]))


def post_text(data, p):
    """«Qazvolunteer.kz «title» 15.08.2020ж.»; an interview says so after its outlet."""
    lang = data.lang
    outlet = data.text(p, "outlet", proper=True)
    if outlet and p.kind == Publication.Kind.INTERVIEW:
        outlet = f"{outlet} {t('iw_interview', lang)}"
    title = f"«{data.text(p, 'title', proper=True)}»"
    text = f"{outlet} {title}" if outlet else title
    if p.date:
        text += f" {short_date(p.date, lang)}"
    return text


def group_block(data, group, plans, pubs):
    lang = data.lang
    articles = [p for p in pubs if p.kind in MEDIA_KINDS]
    rows = []
    for plan in plans:
        same = [p for p in pubs if kind_class(p.kind) == kind_class(plan.kind)]
        rows.append(
            InfoPlanRow(
                label=data.text(plan, "label"),
                plan=data.text(plan, "plan_text") or str(plan.plan_value),
                plan_value=plan.plan_value,
                fact=publications_cell(same),
                met=len(same) >= plan.plan_value,
            )
        )
    banners = publications_cell([p for p in pubs if p.kind == Publication.Kind.BANNER])
    return InfoGroupBlock(
        number=group.number,
        title=data.text(group, "title"),
        banners=banners,
        posts=[(n, post_text(data, p)) for n, p in enumerate(articles, start=1)],
        plans=rows,
        media=t("iw_media", lang),
        banners_line=t("iw_banners", lang, n=banners.value),
        posts_heading=t("iw_posts", lang),
    )


def month_rows(data, publications):
    """[MonthRow]: the posts, articles and interviews of each month of the programme."""
    program, lang = data.program, data.lang
    counts = Counter((p.date.year, p.date.month) for p in publications if p.date and p.kind in MEDIA_KINDS)
    kinds = ",".join(sorted(MEDIA_KINDS))
    months = []
    y, m = program.start.year, program.start.month
    while (y, m) <= (program.end.year, program.end.month):
        n = counts[(y, m)]
        url = data.url("birgemiz.publication", date__year=y, date__month=m, kind__in=kinds)
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
    publications = list(Publication.objects.filter(program=program).order_by("date", "id").only(*FIELDS))
    by_group = defaultdict(list)
    for p in publications:
        by_group[p.group_id].append(p)
    groups = [
        group_block(data, group, plans[group.id], by_group[group.id])
        for group in InfoWorkGroup.objects.filter(program=program).order_by("number")
    ]
    return groups, month_rows(data, publications)
