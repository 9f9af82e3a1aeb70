"""The final programme report as one structure (`reporting.structure.Report`), computed
once for a programme, a language and a date. The report page, the PDF and the XLSX render
this structure and compute nothing.

`build_report(program, lang)` runs a fixed number of queries whatever the size of the
programme: what it reads is read once (`sections.data.load`: one `values()` query per
table of people, each named metric once for all its parameters), then each section is a
builder of its own (`reporting.sections`), and the checks run over the built report.
"""

from django.utils import timezone, translation

from birgemiz.models import Narrative

from .checks import run_checks
from .form import t
from .sections import (
    activities,
    appendices,
    growth,
    indicators,
    info_work,
    participants,
    partners,
    plan_fact,
    proposals,
    recommendations,
    socio,
    title,
)
from .sections.data import load
from .structure import Report


def build_report(program, lang="kk", as_of=None):
    lang = "ru" if lang == "ru" else "kk"
    with translation.override(lang):
        data = load(program, lang, as_of or program.as_of)
        report = assemble(data)
        report.checks = run_checks(report, data)
        report.missing = list(data.missing.values())
    return report


def assemble(data):
    """The report of the data read, section by section."""
    lang, texts = data.lang, data.texts
    info_groups, months = info_work.info_work(data)
    total, gender, status, age = participants.participants(data)
    track_rows, track_totals = indicators.track_indicators(data)
    proposal_rows, directions = proposals.proposals(data)
    growth_rows = growth.growth(data)
    narrative_tasks, data.unknown_markers = activities.narratives(data, growth_rows)
    return Report(
        program_code=data.program.code,
        program_id=data.pid,
        lang=lang,
        as_of=data.as_of,
        built_at=timezone.now(),
        title=title.title(data),
        tasks=activities.activity_table(data),
        narratives=narrative_tasks,
        growth=growth_rows,
        goal=data.text(data.program, "goal"),
        achieved_result=texts.get(Narrative.Key.ACHIEVED_RESULT, ""),
        plan_fact=plan_fact.plan_fact(data),
        info_groups=info_groups,
        months=months,
        socio=socio.socio(data),
        deviation=texts.get(Narrative.Key.DEVIATION, ""),
        goal_achievement=texts.get(Narrative.Key.GOAL_ACHIEVEMENT, ""),
        social_change=texts.get(Narrative.Key.SOCIAL_CHANGE, ""),
        statistics_intro=texts.get(Narrative.Key.STATISTICS_INTRO, "")
        or t("n_stats_total", lang, n=total.value),
        participants_total=total,
        gender=gender,
        status=status,
        age=age,
        target_groups=texts.get(Narrative.Key.TARGET_GROUPS, ""),
        track_indicators=track_rows,
        track_totals=track_totals,
        long_term_effect=texts.get(Narrative.Key.LONG_TERM_EFFECT, ""),
        sustainability=texts.get(Narrative.Key.SUSTAINABILITY, ""),
        partner_analysis=texts.get(Narrative.Key.PARTNER_ANALYSIS, ""),
        partners=partners.partners(data),
        proposals=proposal_rows,
        directions=directions,
        recommendations=recommendations.recommendations(data),
        footer=title.footer(data),
        appendices=appendices.appendices(data),
    )
