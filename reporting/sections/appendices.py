"""The appendices: the evidence files of the activities, under each appendix number."""

from collections import defaultdict

from django.urls import NoReverseMatch, reverse

from birgemiz.models import Evidence, pick_lang

from ..form import t
from ..structure import AppendixBlock, AppendixDocument


def documents(evidence, kinds):
    out = []
    for n, e in enumerate(evidence, start=1):
        try:
            url = reverse("evidence-download", args=[e["id"]])
        except NoReverseMatch:
            url = ""
        out.append(AppendixDocument(n, e["title"], str(kinds.get(e["kind"], e["kind"])), e["id"], url))
    return out


def activity_lines(acts, lang):
    return [f"{a.task.number}.{a.number} {pick_lang(a, 'title', lang)}" for a in acts]


def appendices(data):
    """[AppendixBlock]: one per appendix number, then the evidence of activities without one."""
    lang = data.lang
    evidence = defaultdict(list)
    for e in (
        Evidence.objects.filter(program=data.program)
        .order_by("activity_id", "id")
        .values("id", "activity_id", "kind", "title")
    ):
        evidence[e["activity_id"]].append(e)
    kinds = dict(Evidence.Kind.choices)
    by_number = defaultdict(list)
    unnumbered = []
    for act in data.activities:
        (by_number[act.appendix_number] if act.appendix_number else unnumbered).append(act)
    blocks = [
        AppendixBlock(
            heading=t("appendix_no", lang, n=num),
            activities=activity_lines(acts, lang),
            documents=documents([e for act in acts for e in evidence[act.id]], kinds),
        )
        for num, acts in sorted(by_number.items())
    ]
    loose = documents([e for act in unnumbered for e in evidence[act.id]] + evidence[None], kinds)
    if loose:
        blocks.append(
            AppendixBlock(
                heading=t("appendix_none", lang), activities=activity_lines(unnumbered, lang), documents=loose
            )
        )
    return blocks
