"""Reads for the council, ranking, training and award pages: a fixed number of queries."""

from birgemiz.alphabet import person_key

from .models import ApplicationScore, VolunteerApplication


def member_seats(user):
    from .models import CouncilMember

    if not user.is_authenticated:
        return CouncilMember.objects.none()
    return CouncilMember.objects.filter(user=user).select_related("program")


def complete_sheets(program, application_ids=None):
    """{application_id: {member_id: [scores]}} for the sheets that score every criterion
    of the programme; a sheet missing a criterion (an import, a criterion added later)
    is not there: it neither counts in an average nor shows the member anyone's scores.
    Two queries, whatever the number of applications."""
    criteria = set(program.criteria.values_list("pk", flat=True))
    if not criteria:
        return {}
    scores = ApplicationScore.objects.filter(application__program=program, criterion_id__in=criteria)
    if application_ids is not None:
        scores = scores.filter(application_id__in=application_ids)
    sheets = {}
    for app_id, member_id, criterion_id, score in scores.values_list(
        "application_id", "member_id", "criterion_id", "score"
    ):
        sheets.setdefault(app_id, {}).setdefault(member_id, {})[criterion_id] = score
    return {
        app_id: {m: list(sheet.values()) for m, sheet in members.items() if set(sheet) == criteria}
        for app_id, members in sheets.items()
    }


def _mean(sheets):
    values = [v for sheet in sheets.values() for v in sheet]
    return sum(values) / len(values) if values else None


def application_ranking(program, track=None):
    """Applications with the mean of the complete sheets and how many members gave one:
    applications with at least one complete sheet first, best average first; those with
    none after them, by name."""
    qs = VolunteerApplication.objects.filter(program=program).select_related(
        "track", "district", "decided_at"
    )
    if track is not None:
        qs = qs.filter(track=track)
    rows = list(qs)
    sheets = complete_sheets(program)
    for a in rows:
        mine = sheets.get(a.pk, {})
        a.average = _mean(mine)
        a.members_scored = len(mine)
    rows.sort(key=lambda a: (a.average is None, -(a.average or 0), person_key(a)))
    return rows


def scores_table(application):
    """{member: {criterion_id: score}} of every member who scored this application."""
    table = {}
    for s in ApplicationScore.objects.filter(application=application).select_related("member"):
        table.setdefault(s.member, {})[s.criterion_id] = s.score
    return table


def council_rows(seat):
    """The member's list: every application of the programme, whether this member's
    sheet is complete, and — only then — the average of the complete sheets and their
    number."""
    apps = list(
        VolunteerApplication.objects.filter(program=seat.program)
        .select_related("track", "district")
        .order_by("track__order", "last_name", "first_name", "id")
    )
    sheets = complete_sheets(seat.program)
    rows = []
    for a in apps:
        complete = sheets.get(a.pk, {})
        scored = seat.pk in complete
        rows.append(
            {
                "app": a,
                "scored": scored,
                "average": _mean(complete) if scored else None,
                "members": len(complete) if scored else None,
            }
        )
    return rows


def pending_accounts(program, meeting):
    """Volunteers selected at `meeting` whose account is not open yet, each with its
    latest link (`last_link`: valid, expired or None) — never the link itself, whose
    secret is not stored."""
    from django.db.models import Prefetch

    from .models import ActivationToken, Volunteer

    volunteers = list(
        Volunteer.objects.filter(
            program=program, application__decided_at=meeting, user__isnull=False, user__is_active=False
        )
        .select_related("user")
        .prefetch_related(
            Prefetch("activation_tokens", queryset=ActivationToken.objects.order_by("-created_at", "-id"))
        )
        .order_by("last_name", "first_name", "id")
    )
    for volunteer in volunteers:
        tokens = list(volunteer.activation_tokens.all())
        volunteer.last_link = tokens[0] if tokens else None
    return volunteers
