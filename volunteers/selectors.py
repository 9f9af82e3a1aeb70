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


