""""What does not add up": the checks a report goes through before it is issued.

Each check says what it looked at, whether it passed, and names the records behind a
failure with a link to each. Where the document itself shows the failing row (a plan
row, a month, a breakdown), the item is numbered and the row carries the number
(«✗ 3»): the annex lists exactly what the body marks. A report may be issued with
failed checks; they then go into its annex.

`run_checks(report, data)` runs inside `build_report` (so under the report's language)
over data it already holds: the checks cost no query of their own. `structure_checks`
are the ones the built structure alone can answer; the consolidated report runs those.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .links import change_url, ids_url
from .structure import Link

SOCIO = "birgemiz.socioeconomicindicator"
ACTIVITY = "birgemiz.activity"
MAX_ITEMS = 50  # records listed by name for a check about people (the links cover them all)


@dataclass
class Check:
    code: str
    title: str
    ok: bool
    detail: str = ""
    links: list = field(default_factory=list)
    items: list = field(default_factory=list)  # [Link] to single records; numbered when they mark a row
    more: int = 0  # records beyond the items listed

    @property
    def marked(self):
        return [i for i in self.items if i.ref]

    @property
    def more_text(self):
        return ngettext("and %(n)s more", "and %(n)s more", self.more) % {"n": self.more} if self.more else ""


def _count(message, n):
    """A message naming how many, «%(n)s …» (`ngettext` at the caller, so that the
    catalogues find it), or "" for none."""
    return message % {"n": n} if n else ""


def _indicator_rows(report):
    return [row for task in report.plan_fact for act in task.activities for row in act.rows]


def _indicator_item(row, text):
    return Link(f"{row.name[:70]}: {text}", change_url("birgemiz.indicator", row.pk), row=row)


def _indicators_link(rows):
    url = ids_url("birgemiz.indicator", [r.pk for r in rows if r.pk])
    return [Link(_("indicators"), url)] if url else []


def _plan_fact_text(row):
    """«Кемінде 10 → 4», with the per-unit target spelled out."""
    plan = row.target_note or row.plan or "—"
    return f"{plan} → {row.fact.display or '—'}"


# ---------------------------------------------------------------- what the structure shows


def _lang_missing(missing):
    """Texts shown in the other language (`sections.data.MissingText`)."""
    n = len(missing)
    return Check(
        "lang_missing",
        _("Every text is in the report's language"),
        not missing,
        _count(
            ngettext(
                "%(n)s text is shown in the other language, marked so in the document.",
                "%(n)s texts are shown in the other language, marked so in the document.",
                n,
            ),
            n,
        ),
        items=[Link(m.where, m.url) for m in missing],
    )


def _breakdown_check(code, title, breakdown):
    total = breakdown.total.value
    got = breakdown.column_sum
    ok = got == total
    detail = "" if ok else _("The columns add up to %(sum)s, the total is %(total)s.") % {
        "sum": got,
        "total": total,
    }
    label = f"{breakdown.heading} {got} ≠ {total}"
    items = [] if ok else [Link(label, breakdown.total.url, row=breakdown)]
    return Check(code, title, ok, detail, links=list(breakdown.total.links), items=items)


def _rows_check(code, title, rows, detail, label, links=None, extra=()):
    """A check over plan/fact rows: each row an item (marked in the body), `label(row)`
    after the row's name; `extra` items of other tables after them. `detail` is the
    `ngettext` message for how many there are in all."""
    items = [_indicator_item(r, label(r)) for r in rows] + list(extra)
    return Check(
        code,
        title,
        not items,
        _count(detail, len(items)),
        links=_indicators_link(rows) if links is None else links,
        items=items,
    )


def _plan_no_fact(report):
    """Plans with no fact (indicators and socio-economic rows)."""
    no_fact = [row for row in _indicator_rows(report) if row.has_plan and not row.has_fact]
    socio = [row for row in report.socio if row.plan and row.fact.value is None and not row.fact.display]
    n = len(no_fact) + len(socio)
    socio_link = Link(_("socio-economic indicators"), ids_url(SOCIO, [r.pk for r in socio if r.pk]))
    return _rows_check(
        "plan_no_fact",
        _("Every plan has a fact"),
        no_fact,
        ngettext("%(n)s row has a plan and no fact.", "%(n)s rows have a plan and no fact.", n),
        lambda r: r.plan,
        links=[link for link in (*_indicators_link(no_fact), socio_link) if link.url],
        extra=[Link(f"{r.number}. {r.name[:70]}: {r.plan}", change_url(SOCIO, r.pk), row=r) for r in socio],
    )


def _fact_misses_plan(report):
    """Indicator rows whose fact misses the plan (a per-unit plan multiplied out);
    information-work plans not reached."""
    missed = [row for row in _indicator_rows(report) if row.met is False]
    info_missed = [(group, plan) for group in report.info_groups for plan in group.plans if not plan.met]
    n = len(missed) + len(info_missed)
    return _rows_check(
        "fact_misses_plan",
        _("Every fact reaches its plan"),
        missed,
        ngettext("%(n)s row misses its plan.", "%(n)s rows miss their plan.", n),
        _plan_fact_text,
        extra=[
            Link(f"{g.number}. {g.title[:50]} — {p.label}: {p.plan} → {p.fact.display}", p.fact.url, row=p)
            for g, p in info_missed
        ],
    )


def _unit_mismatch(report):
    """A plan in percent against a fact that counts: neither met nor missed."""
    rows = [row for row in _indicator_rows(report) if row.unit_mismatch]
    return _rows_check(
        "unit_mismatch",
        _("Every plan is in the unit of its fact"),
        rows,
        ngettext(
            "%(n)s row plans a percentage and counts its fact: it cannot be judged.",
            "%(n)s rows plan a percentage and count their fact: they cannot be judged.",
            len(rows),
        ),
        _plan_fact_text,
    )


def _typed_vs_records(report):
    """Typed facts that the records they could be computed from contradict."""
    rows = [row for row in _indicator_rows(report) if row.recorded_differs]
    return _rows_check(
        "typed_vs_records",
        _("Every typed fact agrees with the records"),
        rows,
        ngettext(
            "%(n)s typed fact differs from what the records give.",
            "%(n)s typed facts differ from what the records give.",
            len(rows),
        ),
        lambda r: _("typed %(typed)s, the records give %(recorded)s")
        % {"typed": r.fact.display, "recorded": r.recorded.display},
        links=[Link(f"{r.name[:40]}: {r.recorded.display}", r.recorded.url) for r in rows if r.recorded.url],
    )


def _no_plan(report):
    """Indicator rows with no plan at all."""
    rows = [row for row in _indicator_rows(report) if not row.has_plan]
    return _rows_check(
        "no_plan",
        _("Every indicator row has a plan"),
        rows,
        ngettext("%(n)s row has no plan.", "%(n)s rows have no plan.", len(rows)),
        lambda r: "—",
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
        items=[Link(f"{m.label}: {m.count.value}", m.count.url, row=m) for m in under],
    )


# ---------------------------------------------------------------- what the records say


def _people_items(people, model):
    """Links to at most MAX_ITEMS people by name, and how many more there are."""
    items = [
        Link(f"{p['last_name']} {p['first_name']}", change_url(model, p["id"])) for p in people[:MAX_ITEMS]
    ]
    return items, max(0, len(people) - MAX_ITEMS)


def _tests_missing(data):
    """Students counted in a track without both tests."""
    by_id = {s["id"]: s for s in data.students}
    missing, per_track = [], []
    for track in data.tracks:
        ids = data.tests_by_track[track.id][2]
        if ids:
            per_track.append((track, ids))
            missing.extend(ids)
    items, more = _people_items([by_id[sid] for sid in sorted(set(missing))], "courses.student")
    return Check(
        "tests_missing",
        _("Every student counted in a track has a pre-test and a post-test"),
        not missing,
        "; ".join(f"{data.text(track, 'name')}: {len(ids)}" for track, ids in per_track),
        links=[Link(data.text(track, "name"), ids_url("courses.student", ids)) for track, ids in per_track],
        items=items,
        more=more,
    )


def _no_birth_date(data):
    """Participants with no birth date: their age is unknown."""
    students = [s for s in data.students if not s["birth_date"]]
    volunteers = [v for v in data.volunteers if not v["birth_date"]]
    n = len(students) + len(volunteers)
    student_items, more_students = _people_items(students, "courses.student")
    volunteer_items, more_volunteers = _people_items(volunteers, "volunteers.volunteer")
    return Check(
        "no_birth_date",
        _("Every participant has a birth date"),
        n == 0,
        _count(
            ngettext(
                "%(n)s participant has no birth date (age unknown).",
                "%(n)s participants have no birth date (age unknown).",
                n,
            ),
            n,
        ),
        links=[
            link
            for link in (
                Link(_("students"), ids_url("courses.student", [s["id"] for s in students])),
                Link(_("volunteers"), ids_url("volunteers.volunteer", [v["id"] for v in volunteers])),
            )
            if link.url
        ],
        items=(student_items + volunteer_items)[:MAX_ITEMS],
        more=more_students + more_volunteers + max(0, len(student_items + volunteer_items) - MAX_ITEMS),
    )


def _unknown_markers(data):
    """Table markers in narratives that the report does not know: left out of the document."""
    found = data.unknown_markers
    name = "narrative_ru" if data.lang == "ru" else "narrative_kk"
    return Check(
        "narrative_markers",
        _("Every table a narrative places exists"),
        not found,
        _count(
            ngettext(
                "%(n)s marker names no table; it is left out of the document.",
                "%(n)s markers name no table; they are left out of the document.",
                len(found),
            ),
            len(found),
        ),
        items=[
            Link(f"{act.task.number}.{act.number}: {line}", f"{change_url(ACTIVITY, act.pk)}#id_{name}")
            for act, line in found
        ],
    )


# ---------------------------------------------------------------- putting them together


def structure_checks(report, missing=()):
    """The checks the built structure answers by itself, `missing` texts first."""
    return [
        _lang_missing(list(missing)),
        _breakdown_check("gender_sum", _("Gender table sums to the participant total"), report.gender),
        _breakdown_check("status_sum", _("Social status table sums to the participant total"), report.status),
        _breakdown_check("age_sum", _("Age table sums to the participant total"), report.age),
        _plan_no_fact(report),
        _fact_misses_plan(report),
        _unit_mismatch(report),
        _typed_vs_records(report),
        _no_plan(report),
        _months_under(report),
    ]


def number_marks(checks):
    """Number every item that marks a row of the body, in the annex's order, and give
    the row its numbers: «✗ 3» in the document is the annex's item 3."""
    n = 0
    for check in checks:
        for item in check.items:
            item.ref = 0
            if item.row is not None and not check.ok:
                n += 1
                item.ref = n
                item.row.marks = [*item.row.marks, n]
    return checks


def clear_marks(report):
    """Rows without marks (before numbering a structure copied from another report)."""
    rows = [
        *_indicator_rows(report),
        *(p for g in report.info_groups for p in g.plans),
        *report.months,
        *report.socio,
        *report.breakdowns,
    ]
    for row in rows:
        row.marks = []


def run_checks(report, data):
    """The checks of a built report, over the data it was built from (`sections.data`)."""
    checks = structure_checks(report, data.missing.values())
    checks[4:4] = [_tests_missing(data)]
    checks += [_no_birth_date(data), _unknown_markers(data)]
    return number_marks(checks)
