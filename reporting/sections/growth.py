"""Section 3: knowledge growth per track, over the students enrolled in the track who
took both the pre-test and the post-test."""

from ..form import hours_text
from ..structure import Cell, GrowthRow, Link, number, percent_display


def growth_row(data, i, track):
    pre, post, _missing = data.tests_by_track[track.id]
    n = len(pre)
    mean_pre = sum(pre) / n if n else None
    mean_post = sum(post) / n if n else None
    diff = mean_post - mean_pre if n else None
    tests_url = data.url("assessments.testresult", track__id__exact=track.id)

    def mean(value):
        return Cell(number(value), percent_display(value), [Link("", tests_url)], True)

    return GrowthRow(
        number=i,
        code=track.code,
        name=data.text(track, "name"),
        hours=hours_text(track.planned_hours, data.lang),
        pre=mean(mean_pre),
        post=mean(mean_post),
        growth=mean(diff),
        measured=Cell.count(n, tests_url),
    )


def growth(data):
    """[GrowthRow], one per track."""
    return [growth_row(data, i, track) for i, track in enumerate(data.tracks, start=1)]
