"""Reads for the survey results page and its XLSX download: a fixed number of
aggregate queries whatever the number of responses."""

from dataclasses import dataclass

from django.db.models import Avg, Count

from birgemiz.models import pick_lang

from .models import Answer, Choice, Question, SurveyResponse


@dataclass
class Bar:
    label: str
    value: int
    percent: float  # of the base (responses)
    width: float  # of the longest bar, for the chart


def bars(rows, base):
    """[(label, value)] → [Bar], widths relative to the largest value."""
    top = max((v for _, v in rows), default=0) or 1
    return [
        Bar(
            label=label,
            value=value,
            percent=round(100 * value / base, 1) if base else 0.0,
            width=round(100 * value / top, 1),
        )
        for label, value in rows
    ]


def survey_results(survey):
    responses = SurveyResponse.objects.filter(survey=survey)
    total = responses.count()

    by_district = [
        (pick_lang_row(row, "district__name") or "—", row["n"])
        for row in responses.values("district_id", "district__name_kk", "district__name_ru")
        .annotate(n=Count("id"))
        .order_by("-n", "district__name_kk")
    ]
    by_school = [
        {
            "school": row["school__name"] or "—",
            "district": pick_lang_row(row, "school__district__name") or "—",
            "n": row["n"],
        }
        for row in responses.values(
            "school_id", "school__name", "school__district__name_kk", "school__district__name_ru"
        )
        .annotate(n=Count("id"))
        .order_by("school__district__name_kk", "-n", "school__name")
    ]
    answers = Answer.objects.filter(response__survey=survey)
    by_track = [
        (pick_lang_row(row, "choice__track__name"), row["n"])
        for row in answers.filter(choice__track__isnull=False)
        .values(
            "choice__track_id", "choice__track__name_kk", "choice__track__name_ru", "choice__track__order"
        )
        .annotate(n=Count("response", distinct=True))
        .order_by("choice__track__order", "choice__track_id")
    ]
    by_subject = [
        (
            "{} ({})".format(
                pick_lang_row(row, "choice__subject__name"),
                pick_lang_row(row, "choice__subject__track__name"),
            ),
            row["n"],
        )
        for row in answers.filter(choice__subject__isnull=False)
        .values(
            "choice__subject_id",
            "choice__subject__name_kk",
            "choice__subject__name_ru",
            "choice__subject__track__name_kk",
            "choice__subject__track__name_ru",
        )
        .annotate(n=Count("response", distinct=True))
        .order_by("-n", "choice__subject__name_kk")
    ]
    questions = list(Question.objects.filter(survey=survey).order_by("order", "id"))
    choices = list(Choice.objects.filter(question__survey=survey).order_by("question", "order", "id"))
    counts = dict(
        ((row["choice_id"]), row["n"])
        for row in answers.filter(choice__isnull=False).values("choice_id").annotate(n=Count("id"))
    )
    means = {
        row["question_id"]: (row["mean"], row["n"])
        for row in answers.filter(number__isnull=False)
        .values("question_id")
        .annotate(mean=Avg("number"), n=Count("id"))
    }
    per_question = []
    for q in questions:
        item = {"question": q, "bars": [], "mean": None, "answered": None}
        if q.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            item["bars"] = bars(
                [(c.text, counts.get(c.pk, 0)) for c in choices if c.question_id == q.pk], total
            )
        elif q.kind == Question.Kind.NUMBER and q.pk in means:
            item["mean"], item["answered"] = means[q.pk]
        per_question.append(item)
    return {
        "total": total,
        "by_district": bars(by_district, total),
        "by_school": by_school,
        "by_track": bars(by_track, total),
        "by_subject": bars(by_subject, total),
        "per_question": per_question,
    }


def pick_lang_row(row, prefix):
    class _Row:
        pass

    obj = _Row()
    obj.x_kk = row.get(f"{prefix}_kk") or ""
    obj.x_ru = row.get(f"{prefix}_ru") or ""
    return pick_lang(obj, "x")


def responses_for_export(survey):
    """Responses with everything the sheet needs, in two queries plus one for answers."""
    return (
        SurveyResponse.objects.filter(survey=survey)
        .select_related("district", "school")
        .prefetch_related("answers__choice")
        .order_by("created_at", "id")
    )
