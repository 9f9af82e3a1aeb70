"""Reads for the council, ranking, training and award pages: a fixed number of queries."""


from django.db.models import Avg, Count

from .models import ApplicationScore, VolunteerApplication


def member_seats(user):
    from .models import CouncilMember

    if not user.is_authenticated:
        return CouncilMember.objects.none()
    return CouncilMember.objects.filter(user=user).select_related("program")


def application_ranking(program, track=None):
    """Applications with the mean of all scores and how many members scored, best first."""
    qs = (
        VolunteerApplication.objects.filter(program=program)
        .select_related("track", "district", "decided_at")
        .annotate(
            average=Avg("scores__score"),
            members_scored=Count("scores__member", distinct=True),
        )
    )
    if track is not None:
        qs = qs.filter(track=track)
    rows = list(qs)
    rows.sort(key=lambda a: (a.average is None, -(a.average or 0), a.last_name, a.first_name, a.pk))
    return rows


def scores_table(application):
    """{member: {criterion_id: score}} and each member's mean, for a member who has scored."""
    table = {}
    for s in ApplicationScore.objects.filter(application=application).select_related("member"):
        table.setdefault(s.member, {})[s.criterion_id] = s.score
    return table




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
