"""The appendices: the evidence files of the activities, numbered under each appendix
number (the numbers section 1 gives), as a table: document, kind, date, activity.

Within an appendix the documents go by activity and kind. A run of documents of one
kind, activity and date whose titles differ only by a closing number one apart
(«Кездесу хаттамасы №1», «№2», …) is one row numbered as a range: every document keeps
its number, and a series of 180 photos is not 180 rows.
"""

import re
from collections import defaultdict

from birgemiz.models import Evidence

from ..form import t
from ..links import ids_url, object_url
from ..structure import AppendixBlock, AppendixDocument

FIELDS = ("id", "activity_id", "kind", "title", "title_ru", "date")
SERIES = re.compile(r"^(.*?)(\d+)$")


def _title(data, e):
    """The document's title in the report's language; without one, `data.text`'s (the
    other language's, marked and listed), from the model row it needs for that."""
    return e["title_ru" if data.lang == "ru" else "title"] or data.text(Evidence(**e), "title")


def _entry(data, e, kinds, keys):
    return {
        "pk": e["id"],
        "title": _title(data, e),
        "kind": kinds.get(e["kind"], e["kind"]),
        "date": f"{e['date']:%d.%m.%Y}" if e["date"] else "",
        "activity": keys.get(e["activity_id"], ""),
    }


def _runs(entries):
    """Consecutive entries of a series, as lists: [[e1, e2, e3], [e4], ...]."""
    runs = []
    for entry in entries:
        run = runs[-1] if runs else None
        if run and _continues(run[-1], entry):
            run.append(entry)
        else:
            runs.append([entry])
    return runs


def _continues(last, entry):
    a, b = SERIES.match(last["title"]), SERIES.match(entry["title"])
    return bool(
        a
        and b
        and a[1] == b[1]
        and int(b[2]) == int(a[2]) + 1
        and all(last[k] == entry[k] for k in ("kind", "date", "activity"))
    )


def documents(data, evidence, kinds, keys):
    entries = [_entry(data, e, kinds, keys) for e in evidence]
    out, n = [], 0
    for run in _runs(entries):
        first, last = run[0], run[-1]
        number = f"{n + 1}" if len(run) == 1 else f"{n + 1}–{n + len(run)}"
        title, url = first["title"], object_url("evidence-download", first["pk"])
        if len(run) > 1:
            title = f"{title}–{SERIES.match(last['title'])[2]}"
            url = ids_url("birgemiz.evidence", [e["pk"] for e in run])
        out.append(
            AppendixDocument(
                number=number,
                title=title,
                kind=first["kind"],
                pk=first["pk"],
                url=url,
                date=first["date"],
                activity=first["activity"],
                count=len(run),
            )
        )
        n += len(run)
    return out


def activity_lines(data, acts):
    return [f"{a.task.number}.{a.number} {data.text(a, 'title')}" for a in acts]


def appendices(data):
    """[AppendixBlock]: one per appendix number, then the evidence of activities without one."""
    lang = data.lang
    evidence = defaultdict(list)
    rows = Evidence.objects.filter(program=data.program).order_by("activity_id", "kind", "id").values(*FIELDS)
    for e in rows:  # rows, not model instances: a series of photos is hundreds of them
        evidence[e["activity_id"]].append(e)
    kinds = {value: str(label) for value, label in Evidence.Kind.choices}  # translated once
    keys = {a.id: f"{a.task.number}.{a.number}" for a in data.activities}
    by_number = defaultdict(list)
    unnumbered = []
    for act in data.activities:
        (by_number[act.appendix_number] if act.appendix_number else unnumbered).append(act)
    blocks = [
        AppendixBlock(
            heading=t("appendix_no", lang, n=num),
            activities=activity_lines(data, acts),
            documents=documents(data, [e for act in acts for e in evidence[act.id]], kinds, keys),
            number=num,
        )
        for num, acts in sorted(by_number.items())
    ]
    loose = documents(data, [e for act in unnumbered for e in evidence[act.id]] + evidence[None], kinds, keys)
    if loose:
        blocks.append(
            AppendixBlock(
                heading=t("appendix_none", lang), activities=activity_lines(data, unnumbered), documents=loose
            )
        )
    return blocks
