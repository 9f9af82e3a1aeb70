""""What does not add up": the checks a report goes through before it is issued.

Each check says what it looked at, whether it passed, and links to the records behind a
failure. A report may be issued with failed checks; they then go into its annex.
Run inside `build_report` (so under the report's language) over data it already holds:
the checks cost no query of their own.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .links import change_url, ids_url
from .structure import Link

MAX_ITEMS = 20


@dataclass
class Check:
    code: str
    title: str
    ok: bool
    detail: str = ""
    links: list = field(default_factory=list)
    items: list = field(default_factory=list)  # [Link] to single records, at most MAX_ITEMS


def _breakdown_check(code, title, breakdown):
    total = breakdown.total.value
    got = breakdown.column_sum
    ok = got == total
    detail = "" if ok else _("The columns add up to %(sum)s, the total is %(total)s.") % {
        "sum": got,
        "total": total,
    }
    return Check(code, title, ok, detail, links=list(breakdown.total.links))


def _indicator_rows(report):
    return [row for task in report.plan_fact for act in task.activities for row in act.rows]


def _indicators_link(rows):
    return [Link(_("indicators"), ids_url("birgemiz.indicator", [r.pk for r in rows]))] if rows else []


def _indicator_items(rows):
    return [Link(r.name[:80], change_url("birgemiz.indicator", r.pk)) for r in rows[:MAX_ITEMS]]


def _tests_missing(data):
    """Students counted in a track without both tests."""
    names = _student_names(data)
    missing = []
    per_track = []
    for track in data.tracks:
        ids = [
            sid
            for sid in data.students_in_track[track.id]
            if not {"pre", "post"} <= data.scores.get((track.id, sid), {}).keys()
        ]
        if ids:
            per_track.append((track, ids))
            missing.extend(ids)
    return Check(
        "tests_missing",
        _("Every student counted in a track has a pre-test and a post-test"),
        not missing,
        "; ".join(f"{track.name}: {len(ids)}" for track, ids in per_track),
        links=[Link(track.name, ids_url("courses.student", ids)) for track, ids in per_track],
        items=[
            Link(names.get(sid, str(sid)), change_url("courses.student", sid))
            for sid in sorted(missing)[:MAX_ITEMS]
        ],
    )


def _plan_no_fact(report):
    """Plans with no fact (indicators and socio-economic rows)."""
    no_fact = [row for row in _indicator_rows(report) if row.has_plan and not row.has_fact]
    socio_no_fact = [
        row for row in report.socio if row.plan and row.fact.value is None and not row.fact.display
    ]
    n = len(no_fact) + len(socio_no_fact)
    return Check(
        "plan_no_fact",
        _("Every plan has a fact"),
        n == 0,
        ngettext("%(n)s row has a plan and no fact.", "%(n)s rows have a plan and no fact.", n) % {"n": n}
        if n
        else "",
        links=[
            link
            for link in (
                Link(_("indicators"), ids_url("birgemiz.indicator", [r.pk for r in no_fact])),
                Link(
                    _("socio-economic indicators"),
                    ids_url("birgemiz.socioeconomicindicator", [r.pk for r in socio_no_fact]),
                ),
            )
            if link.url
        ],
        items=_indicator_items(no_fact),
    )


def _fact_misses_plan(report):
    """Indicator rows whose fact misses the plan; information-work plans not reached."""
    missed = [row for row in _indicator_rows(report) if row.met is False]
    info_missed = [(group, plan) for group in report.info_groups for plan in group.plans if not plan.met]
    n = len(missed) + len(info_missed)
    return Check(
        "fact_misses_plan",
        _("Every fact reaches its plan"),
        n == 0,
        ngettext("%(n)s row misses its plan.", "%(n)s rows miss their plan.", n) % {"n": n} if n else "",
        links=_indicators_link(missed),
        items=[
            Link(f"{r.name[:60]}: {r.plan} → {r.fact.display or '—'}", change_url("birgemiz.indicator", r.pk))
            for r in missed[:MAX_ITEMS]
        ]
        + [
            Link(f"{g.number}. {g.title[:50]} — {p.label}: {p.plan} → {p.fact.display}", p.fact.url)
            for g, p in info_missed[:MAX_ITEMS]
        ],
    )


def _no_plan(report):
    """Indicator rows with no plan at all."""
    no_plan = [row for row in _indicator_rows(report) if not row.has_plan]
    return Check(
        "no_plan",
        _("Every indicator row has a plan"),
        not no_plan,
        ngettext("%(n)s row has no plan.", "%(n)s rows have no plan.", len(no_plan)) % {"n": len(no_plan)}
        if no_plan
        else "",
        links=_indicators_link(no_plan),
        items=_indicator_items(no_plan),
    )


def _months_under(report):
    """Months with fewer than two publications."""
    under = [m for m in report.months if m.under]
    return Check(
        "months_under",
        _("At least 2 publications every month"),
        not under,
        ", ".join(f"{m.label}: {m.count.value}" for m in under),
        links=[Link(m.label, m.count.url) for m in under if m.count.url],
    )


def _student_names(data):
    return {s["id"]: f"{s['last_name']} {s['first_name']}" for s in data.students}


def _no_birth_date(data):
    """Participants with no birth date: their age is unknown."""
    names = _student_names(data)
    no_bd_students = [s["id"] for s in data.students if not s["birth_date"]]
    no_bd_volunteers = [v for v in data.volunteers if not v["birth_date"]]
    n = len(no_bd_students) + len(no_bd_volunteers)
    return Check(
        "no_birth_date",
        _("Every participant has a birth date"),
        n == 0,
        ngettext(
            "%(n)s participant has no birth date (age unknown).",
            "%(n)s participants have no birth date (age unknown).",
            n,
        )
        % {"n": n}
        if n
        else "",
        links=[
            link
            for link in (
                Link(_("students"), ids_url("courses.student", no_bd_students)),
                Link(_("volunteers"), ids_url("volunteers.volunteer", [v["id"] for v in no_bd_volunteers])),
            )
            if link.url
        ],
        items=[
            Link(names.get(i, str(i)), change_url("courses.student", i)) for i in no_bd_students[:MAX_ITEMS]
        ]
        + [
            Link(f"{v['last_name']} {v['first_name']}", change_url("volunteers.volunteer", v["id"]))
            for v in no_bd_volunteers
        ][:MAX_ITEMS],
    )


def run_checks(report, data):
    """The checks of a built report, over the data it was built from (`sections.data`)."""
    return [
        _breakdown_check("gender_sum", _("Gender table sums to the participant total"), report.gender),
        _breakdown_check("status_sum", _("Social status table sums to the participant total"), report.status),
        _breakdown_check("age_sum", _("Age table sums to the participant total"), report.age),
        _tests_missing(data),
        _plan_no_fact(report),
        _fact_misses_plan(report),
        _no_plan(report),
        _months_under(report),
        _no_birth_date(data),
    ]
