"""Section 1, the activities of each task, and section 2, their narratives."""

from birgemiz.models import pick_lang

from ..form import period_text, t
from ..structure import ActivityRow, Cell, NarrativeActivity, NarrativeTask, TaskBlock


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


def task_heading(task, lang):
    return t("task", lang, n=task.number, title=pick_lang(task, "title", lang))


def activity_row(data, task, act):
    lang = data.lang
    return ActivityRow(
        key=f"{task.number}.{act.number}",
        number=act.number,
        title=pick_lang(act, "title", lang),
        period=pick_lang(act, "period", lang) or period_text(act.start, act.end, lang),
        place=act.place,
        participants=participants(data, act),
        categories=split_lines(pick_lang(act, "participant_category", lang)),
        experts=act.experts,
        completeness=act.completeness_percent,
        summary=pick_lang(act, "summary", lang),
        appendix=t("appendix_no", lang, n=act.appendix_number) if act.appendix_number else "",
        pk=act.pk,
    )


def activity_table(data):
    """Section 1: [TaskBlock], a row per activity."""
    return [
        TaskBlock(
            task.number,
            pick_lang(task, "title", data.lang),
            task_heading(task, data.lang),
            [activity_row(data, task, act) for act in data.acts_by_task[task.id]],
        )
        for task in data.tasks
    ]


def narratives(data):
    """Section 2: [NarrativeTask], the text of every activity under its task."""
    lang = data.lang
    last_task_number = data.tasks[-1].number if data.tasks else None
    out = []
    for task in data.tasks:
        texts = [
            NarrativeActivity(
                heading=t("activity", lang, n=act.number, title=pick_lang(act, "title", lang)),
                text=pick_lang(act, "narrative", lang),
            )
            for act in data.acts_by_task[task.id]
        ]
        # The growth table sits in the monitoring task (the last one, task 7 in the seed),
        # after its first activity.
        if task.number == last_task_number and texts:
            texts[0].show_growth = True
        out.append(NarrativeTask(task_heading(task, lang), texts))
    return out
