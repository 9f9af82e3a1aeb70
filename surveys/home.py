"""The surveys open today, for the public home page (`birgemiz.public_pages`)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz.models import pick_lang
from birgemiz.public_pages import PublicLink, register

from .models import Survey


def open_surveys(programs):
    """The programmes' published surveys whose window includes today (one query)."""
    today = timezone.localdate()
    return (
        Survey.objects.filter(program__in=programs, is_published=True)
        .filter(Q(opens__isnull=True) | Q(opens__lte=today), Q(closes__isnull=True) | Q(closes__gte=today))
        .order_by("program_id", "opens", "code")
    )


@register
def survey_links(programs):
    for survey in open_surveys(programs):
        note = ""
        if survey.closes:
            note = _("Open until %(date)s") % {"date": survey.closes.strftime("%d.%m.%Y")}
        yield PublicLink(
            program_id=survey.program_id,
            kind="survey",
            title=pick_lang(survey, "title"),
            url=reverse("surveys:public", args=[survey.code]),
            note=note,
        )
