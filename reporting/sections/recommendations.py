"""Section 11: recommendations to state bodies, with the letters that carried them."""

from birgemiz.models import StateRecommendation

from ..form import date_text, t
from ..structure import RecommendationRow


def letter_text(r, lang):
    if r.letter_date and r.letter_number:
        return t("letter", lang, date=date_text(r.letter_date, lang), n=r.letter_number)
    if r.letter_date:
        return date_text(r.letter_date, lang)
    return f"№{r.letter_number}" if r.letter_number else ""


def recommendations(data):
    """[RecommendationRow]."""
    return [
        RecommendationRow(data.text(r, "body"), data.text(r, "text"), letter_text(r, data.lang))
        for r in StateRecommendation.objects.filter(program=data.program).order_by("id")
    ]
