"""Section 1, the activities of each task, and section 2, their narratives.

A narrative places tables where the seed does: a line holding only `[[growth]]` puts the
growth table of every track there, `[[growth:law]]` the row of one track (as the seed's
task 5 does), `[[experts]]` the activity's experts as a table (the council of activity
1.3). Without any `[[growth]]`, the growth table follows the first activity of the last
(monitoring) task. A marker the report does not know is left out and listed by the checks.
"""

import dataclasses
import re

from ..form import period_text, t
from ..structure import ActivityRow, Block, Cell, ExpertRow, NarrativeActivity, NarrativeTask, TaskBlock

MARKER = re.compile(r"^\s*\[\[\s*([^\]:\s]+)\s*(?::\s*([^\]\s]+)\s*)?\]\]\s*$")
EXPERT_DASH = re.compile(r"\s+[–—-]\s+")


def split_lines(text):
    """One category per line of the participants cell: typed on lines or as «A / B»."""
    lines = [p.strip() for line in text.splitlines() for p in line.split(" / ")]
    return [line for line in lines if line]


def participants(data, act):
    """The participants cell of an activity: one figure per line."""
    track = data.track_by_activity.get(act.id)
    if act.participants_metric == "track_participants" and track:
        return [data.track_volunteers_cell(track), data.track_students_cell(track)]
    if act.participants_metric == "students_and_volunteers":
        return [data.all_students_cell, data.all_volunteers_cell]
    if act.participants_metric:
        fig = data.figure(act.participants_metric, track.code if track else "")
        if fig is not None:
            return [Cell.from_figure(fig)]
    if act.participants_typed is not None:
        return [Cell(value=act.participants_typed)]
    return []


def task_heading(data, task):
    return t("task", data.lang, n=task.number, title=data.text(task, "title"))


def activity_row(data, task, act):
    lang = data.lang
    return ActivityRow(
        key=f"{task.number}.{act.number}",
        number=act.number,
        title=data.text(act, "title"),
        period=data.text(act, "period") or period_text(act.start, act.end, lang),
        place=data.text(act, "place"),
        participants=participants(data, act),
        categories=split_lines(data.text(act, "participant_category")),
        experts=data.text(act, "experts"),
        completeness=act.completeness_percent,
        summary=data.text(act, "summary"),
        appendix=t("appendix_no", lang, n=act.appendix_number) if act.appendix_number else "",
        pk=act.pk,
        done=t("done", lang, p=act.completeness_percent),
    )


def activity_table(data):
    """Section 1: [TaskBlock], a row per activity."""
    return [
        TaskBlock(
            task.number,
            data.text(task, "title"),
            task_heading(data, task),
            [activity_row(data, task, act) for act in data.acts_by_task[task.id]],
        )
        for task in data.tasks
    ]


def expert_rows(text):
    """[ExpertRow] of an experts text, one a line written «Full name – position»."""
    rows = []
    for line in text.splitlines():
        line = line.strip().rstrip(";.").strip()
        if line:
            parts = EXPERT_DASH.split(line, maxsplit=1)
            position = parts[1].strip() if len(parts) > 1 else ""
            rows.append(ExpertRow(len(rows) + 1, parts[0].strip(), position))
    return rows


def _growth_rows(growth, code):
    if not code:
        return list(growth)
    return [dataclasses.replace(g, number=i) for i, g in enumerate((g for g in growth if g.code == code), 1)]


def narrative_blocks(data, act, growth, unknown):
    """The blocks of an activity's narrative in the report's language; markers it does
    not know go to `unknown` as (activity, marker)."""
    blocks, lines = [], []

    def flush():
        text = "\n".join(lines).strip()
        if text:
            blocks.append(Block("text", text))
        lines.clear()

    for line in data.text(act, "narrative").splitlines():
        marker = MARKER.match(line)
        if not marker:
            lines.append(line)
            continue
        flush()
        kind, code = marker[1].lower(), marker[2] or ""
        if kind == "growth" and (not code or any(g.code == code for g in growth)):
            blocks.append(Block("growth", rows=_growth_rows(growth, code), single=bool(code)))
        elif kind == "experts" and not code:
            blocks.append(Block("experts", rows=expert_rows(data.text(act, "experts"))))
        else:
            unknown.append((act, line.strip()))
    flush()
    return blocks


def narratives(data, growth):
    """Section 2: ([NarrativeTask], [(activity, unknown marker)]): the text of every
    activity under its task, with the tables its markers place."""
    lang = data.lang
    unknown = []
    out = []
    for task in data.tasks:
        acts = data.acts_by_task[task.id]
        texts = [
            NarrativeActivity(
                heading=t("activity", lang, n=act.number, title=data.text(act, "title")),
                blocks=narrative_blocks(data, act, growth, unknown),
                show_heading=len(acts) > 1,
            )
            for act in acts
        ]
        out.append(NarrativeTask(task_heading(data, task), texts))
    blocks = [b for task in out for a in task.activities for b in a.blocks]
    placed = any(b.kind == "growth" and not b.single for b in blocks)
    if growth and not placed and out and out[-1].activities:
        # No narrative places it: after the first activity of the monitoring task, the last.
        out[-1].activities[0].blocks.append(Block("growth", rows=list(growth)))
    return out, unknown
