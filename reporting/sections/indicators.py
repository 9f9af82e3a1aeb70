"""Section 8: planned and actual volunteers and students per track, and in total."""

from ..form import t
from ..structure import TrackIndicatorRow


def track_indicators(data):
    """([TrackIndicatorRow] per track, the total row)."""
    program, tracks = data.program, data.tracks
    rows = [
        TrackIndicatorRow(
            name=data.text(track, "name"),
            plan_volunteers=track.planned_volunteers,
            plan_students=track.planned_students,
            volunteers=data.track_volunteers_cell(track),
            students=data.track_students_cell(track),
        )
        for track in tracks
    ]
    total = TrackIndicatorRow(
        name=t("ind_total", data.lang),
        plan_volunteers=program.planned_volunteers or sum(tr.planned_volunteers for tr in tracks),
        plan_students=program.planned_beneficiaries or sum(tr.planned_students for tr in tracks),
        volunteers=data.all_volunteers_cell,
        students=data.all_students_cell,
    )
    return rows, total
