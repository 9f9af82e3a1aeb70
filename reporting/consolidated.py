"""The consolidated report: the final report's tables across the programmes an officer
selects, summed where they count and averaged where they measure.

It is the report's own structure (`reporting.structure.Report` and its row dataclasses),
filled from several programmes' built reports, so the report's renderers (`render_xlsx`,
`render_pdf`) print it unchanged and no renderer computes a figure of its own.

- Counts (participants, facts, publications, beneficiaries, people by gender, status
  and age, planned and actual students and volunteers) are summed, row by row, matching
  rows by their place in the form (task and activity numbers, row order, track code).
- Growth is averaged over **students**, not over programmes: pre and post means are
  recomputed from the test results of every programme together (a big programme weighs
  as many students as it has), with the report's definition (students with both tests,
  enrolled in the track).
- Text that belongs to one programme (narratives, appendices, the chair's signature) is
  left out; partners and recommendations are listed with their programme.
"""

import dataclasses
import re
from collections import OrderedDict, defaultdict
from decimal import Decimal

from django.utils import timezone, translation

from birgemiz.models import Track, pick_lang
from birgemiz.numbers import read_decimal

from .checks import Check, clear_marks, number_marks, structure_checks
from .dashboard.scores import growth_rows
from .form import t
from .metrics import format_number
from .numwords import amount_in_words, group_digits
from .report import build_report
from .sections.info_work import PER_MONTH
from .sections.plan_fact import comparator_met, units_cell
from .structure import (
    Cell,
    GrowthRow,
    MonthRow,
    PartnerRow,
    RecommendationRow,
    TitleBlock,
    TrackIndicatorRow,
    number,
    percent_display,
)


def _sum_cells(cells):
    """One cell adding up the numeric values of several; text-only cells are dropped."""
    values = [c.value for c in cells if c is not None and isinstance(c.value, (int, float, Decimal))]
    if not values:
        return Cell()
    total = sum(Decimal(str(v)) for v in values)
    return Cell(value=number(total), computed=True)


def _same_or_blank(texts):
    texts = [t for t in texts if t]
    return texts[0] if texts and all(t == texts[0] for t in texts) else ""


def _merge_activity_table(reports):
    first = reports[0]
    blocks = [dataclasses.replace(b, activities=[]) for b in first.tasks]
    by_key = OrderedDict()
    for report in reports:
        for block in report.tasks:
            for act in block.activities:
                by_key.setdefault((block.number, act.number), []).append(act)
    index = {b.number: b for b in blocks}
    for (task_no, _act_no), acts in by_key.items():
        if task_no not in index:
            continue
        width = max(len(a.participants) for a in acts)
        participants = [
            _sum_cells([a.participants[i] for a in acts if i < len(a.participants)])
            for i in range(width)
        ]
        index[task_no].activities.append(
            dataclasses.replace(
                acts[0],
                participants=participants,
                place=_same_or_blank([a.place for a in acts]),
                experts="",
                completeness=round(sum(a.completeness for a in acts) / len(acts)),
                summary="",
                appendix="",
                pk=0,
            )
        )
    return blocks


def _merge_row(row, same, lang):
    """One plan/fact row over the same row of every programme: facts and targets summed
    (a per-unit target with its units), judged by the report's rule."""
    fact = _sum_cells([r.fact for r in same])
    targets = [r.target if r.target is not None else _plan_number(r.plan) for r in same]
    target = sum(Decimal(str(t)) for t in targets) if targets and None not in targets else None
    units = None
    mismatch = any(r.unit_mismatch for r in same)
    if mismatch:
        target, plan = None, _same_or_blank([r.plan for r in same])
    elif row.per and all(r.units is not None for r in same):
        units = units_cell(row.per, sum(r.units.value or 0 for r in same), "", lang)
        plan = _same_or_blank([r.plan for r in same])
    else:
        plan = format_number(target) if target is not None else _same_or_blank([r.plan for r in same])
    notes = [t("mismatch_note", lang)] if mismatch else []
    target_note = ""
    if units is not None and target is not None:
        target_note = t("per_unit_note", lang, plan=plan, units=units.display, target=format_number(target))
        notes.append(target_note)
    return dataclasses.replace(
        row,
        plan=plan,
        fact=fact,
        met=None if mismatch else comparator_met("at_least", target, fact.value),
        has_plan=any(r.has_plan for r in same),
        has_fact=fact.value is not None,
        pk=0,
        target=target,
        target_note=target_note,
        units=units,
        recorded=None,
        unit_mismatch=mismatch,
        notes=notes,
        marks=[],
    )


def _merge_plan_fact(reports, lang):
    first = reports[0]
    out = []
    rows_at = defaultdict(list)  # (task, activity, i) -> [IndicatorRow]
    for report in reports:
        for task in report.plan_fact:
            for act in task.activities:
                for i, row in enumerate(act.rows):
                    rows_at[(task.number, act.number, i)].append(row)
    for task in first.plan_fact:
        acts = []
        for act in task.activities:
            rows = [
                _merge_row(row, rows_at[(task.number, act.number, i)], lang) for i, row in enumerate(act.rows)
            ]
            acts.append(dataclasses.replace(act, rows=rows, result=""))
        out.append(dataclasses.replace(task, activities=acts))
    return out


def _plan_number(text):
    """The number of a plan as written («Кемінде 10» -> 10); None when it has none or several."""
    found = re.findall(r"\d+(?:[.,]\d+)?", text or "")
    return read_decimal(found[0]) if len(found) == 1 else None


def _merge_growth(reports, program_ids):
    """Pre/post means over all the students of every selected programme, per track code."""
    tracks = {t.pk: t for t in Track.objects.filter(program_id__in=program_ids)}
    sums = OrderedDict()
    for row in reports[0].growth:
        sums[row.code] = [0, Decimal(0), Decimal(0), row]
    for report in reports[1:]:
        for row in report.growth:
            sums.setdefault(row.code, [0, Decimal(0), Decimal(0), row])
    for _pid, track_id, n, pre, post in growth_rows(list(program_ids)):
        code = tracks[track_id].code
        entry = sums.setdefault(code, [0, Decimal(0), Decimal(0), None])
        entry[0] += n
        entry[1] += read_decimal(pre) * n
        entry[2] += read_decimal(post) * n
    out = []
    for i, (code, (n, pre_sum, post_sum, template)) in enumerate(sums.items(), start=1):
        pre = pre_sum / n if n else None
        post = post_sum / n if n else None
        diff = post - pre if n else None
        name = template.name if template else code
        hours = template.hours if template else ""
        out.append(
            GrowthRow(
                number=i,
                code=code,
                name=name,
                hours=hours,
                pre=Cell(number(pre), percent_display(pre), [], True),
                post=Cell(number(post), percent_display(post), [], True),
                growth=Cell(number(diff), percent_display(diff), [], True),
                measured=Cell.count(n),
            )
        )
    return out


def _merge_info(reports):
    first = reports[0]
    by_number = defaultdict(list)
    for report in reports:
        for g in report.info_groups:
            by_number[g.number].append(g)
    out = []
    for g in first.info_groups:
        same = by_number[g.number]
        plans = []
        for i, plan in enumerate(g.plans):
            rows = [x.plans[i] for x in same if i < len(x.plans)]
            fact = _sum_cells([r.fact for r in rows])
            plan_value = sum(r.plan_value for r in rows)
            plans.append(
                dataclasses.replace(
                    plan,
                    plan=str(plan_value),
                    plan_value=plan_value,
                    fact=fact,
                    met=(fact.value or 0) >= plan_value,
                )
            )
        posts = [(n, text) for n, text in enumerate((t for x in same for _n, t in x.posts), start=1)]
        out.append(
            dataclasses.replace(
                g, banners=_sum_cells([x.banners for x in same]), posts=posts, plans=plans
            )
        )
    return out


def _merge_months(reports):
    counts = OrderedDict()
    active = defaultdict(int)
    labels = {}
    for report in reports:
        for m in report.months:
            key = (m.year, m.month)
            counts[key] = counts.get(key, 0) + (m.count.value or 0)
            active[key] += 1
            labels[key] = m.label
    # The rule is PER_MONTH a month per programme: the sum must reach it × the programmes running.
    return [
        MonthRow(
            year=y, month=m, label=labels[(y, m)], count=Cell.count(n), under=n < PER_MONTH * active[(y, m)]
        )
        for (y, m), n in sorted(counts.items())
    ]


def _merge_socio(reports):
    by_number = defaultdict(list)
    for report in reports:
        for row in report.socio:
            by_number[row.number].append(row)
    out = []
    for row in reports[0].socio:
        same = by_number[row.number]
        plans = [_plan_number(r.plan) for r in same]
        plan = (
            format_number(sum(plans))
            if plans and None not in plans
            else _same_or_blank([r.plan for r in same])
        )
        out.append(dataclasses.replace(row, plan=plan, fact=_sum_cells([r.fact for r in same]), pk=0))
    return out


def _merge_breakdown(items):
    first = items[0]
    columns = []
    for i, (heading, _cell) in enumerate(first.columns):
        columns.append((heading, _sum_cells([b.columns[i][1] for b in items if i < len(b.columns)])))
    return dataclasses.replace(first, total=_sum_cells([b.total for b in items]), columns=columns)


def _merge_tracks(reports):
    by_name = OrderedDict()
    for report in reports:
        for row in report.track_indicators:
            by_name.setdefault(row.name, []).append(row)
    rows = [
        TrackIndicatorRow(
            name=name,
            plan_volunteers=sum(r.plan_volunteers for r in same),
            plan_students=sum(r.plan_students for r in same),
            volunteers=_sum_cells([r.volunteers for r in same]),
            students=_sum_cells([r.students for r in same]),
        )
        for name, same in by_name.items()
    ]
    totals = [r.track_totals for r in reports]
    total = TrackIndicatorRow(
        name=totals[0].name,
        plan_volunteers=sum(t.plan_volunteers for t in totals),
        plan_students=sum(t.plan_students for t in totals),
        volunteers=_sum_cells([t.volunteers for t in totals]),
        students=_sum_cells([t.students for t in totals]),
    )
    return rows, total


def build_consolidated(programs, lang="kk"):
    """A `Report` consolidating `programs` (an iterable of Program, at least one)."""
    programs = list(programs)
    if not programs:
        raise ValueError("no programmes to consolidate")
    lang = "ru" if lang == "ru" else "kk"
    reports = [build_report(p, lang) for p in programs]
    with translation.override(lang):
        return _consolidate(programs, reports, lang)


def _consolidate(programs, reports, lang):
    first = reports[0]
    amount = sum(p.grant_amount for p in programs)
    grantees = "; ".join(
        f"{pick_lang(p.organization, 'name', lang)} ({pick_lang(p.region, 'name', lang)})"
        for p in programs
    )
    title = TitleBlock(
        grantee=grantees,
        topic=_same_or_blank([r.title.topic for r in reports]) or first.title.topic,
        amount=amount,
        amount_digits=group_digits(amount),
        amount_text=amount_in_words(amount, lang),
    )
    track_rows, track_total = _merge_tracks(reports)
    partners = [
        PartnerRow(
            name=p.name, role=p.role, contact=p.contact, note=f"{r.program_code}. {p.note}".strip()
        )
        for r in reports
        for p in r.partners
    ]
    recommendations = [
        RecommendationRow(body=f"{x.body} ({r.program_code})", text=x.text, letter=x.letter)
        for r in reports
        for x in r.recommendations
    ]
    directions = [
        dataclasses.replace(
            d, chosen=any(r.directions[i].chosen for r in reports if i < len(r.directions))
        )
        for i, d in enumerate(first.directions)
    ]
    codes = ", ".join(p.code for p in programs)
    footer = dataclasses.replace(first.footer, chair_line="", chair_caption="")
    merged = dataclasses.replace(
        first,
        program_code=t("consolidated_code", lang, n=len(programs)),
        program_id=0,
        as_of=max(r.as_of for r in reports),
        built_at=timezone.now(),
        title=title,
        tasks=_merge_activity_table(reports),
        narratives=[],
        growth=_merge_growth(reports, [p.pk for p in programs]),
        goal=_same_or_blank([r.goal for r in reports]),
        achieved_result="",
        plan_fact=_merge_plan_fact(reports, lang),
        info_groups=_merge_info(reports),
        months=_merge_months(reports),
        socio=_merge_socio(reports),
        deviation="",
        goal_achievement="",
        social_change="",
        statistics_intro=codes,
        participants_total=_sum_cells([r.participants_total for r in reports]),
        gender=_merge_breakdown([r.gender for r in reports]),
        status=_merge_breakdown([r.status for r in reports]),
        age=_merge_breakdown([r.age for r in reports]),
        target_groups="",
        track_indicators=track_rows,
        track_totals=track_total,
        long_term_effect="",
        sustainability="",
        partner_analysis="",
        partners=partners,
        proposals=[p for r in reports for p in r.proposals],
        directions=directions,
        recommendations=recommendations,
        footer=footer,
        appendices=[],
        checks=[],
        missing=[],
    )
    return _checked(merged, reports)


def _strings(obj, found):
    """Every text of a structure (dataclasses, lists and tuples of them)."""
    if isinstance(obj, str):
        found.add(obj)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, (type, Check)):
        for f in dataclasses.fields(obj):
            _strings(getattr(obj, f.name), found)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            _strings(item, found)
    return found


def _checked(report, reports):
    """The consolidated report with the checks of what its own body shows: every row it
    marks is an item of its annex, and nothing else is."""
    clear_marks(report)
    shown = _strings(report, set())
    missing = {}
    for r in reports:
        for m in r.missing:
            if m.text in shown:
                missing.setdefault((m.where, m.url), m)
    report.missing = list(missing.values())
    report.checks = number_marks(structure_checks(report, report.missing))
    return report


def consolidated_filename(programs, lang, fmt):
    return f"birgemiz-consolidated-{len(programs)}-{lang}-{timezone.localdate():%Y%m%d}.{fmt}"

