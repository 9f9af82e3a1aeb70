"""What a per-unit plan is counted per («Әр мектепте 1», «Әр кездесуден кемінде 5»): the
schools the students come from and the outreach meetings held, counted for many
programmes at once so the report and the dashboard judge a per-unit plan by one rule.

`plan_units(ids)` gives {(programme id, per, track id or None): Unit}: schools per track
(the students enrolled in it) and over the whole programme (track None), meetings over
the programme. `plan_target` multiplies a plan by its units.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from birgemiz.models import Indicator
from courses.models import Enrollment

from .links import changelist_url, ids_url
from .metrics import meeting_counts

SCHOOL = Indicator.Per.SCHOOL
MEETING = Indicator.Per.MEETING


@dataclass
class Unit:
    per: str
    count: int
    url: str = ""


def plan_units(ids):
    """{(pid, per, track id or None): Unit} for the programmes `ids`, in two queries (the
    meetings' shared with the meeting metrics within a `metrics.batch()`)."""
    ids = list(ids)
    schools = defaultdict(set)
    rows = (
        Enrollment.objects.filter(group__program_id__in=ids, student__school__isnull=False)
        .exclude(status=Enrollment.Status.DROPPED)
        .values_list("group__program_id", "group__track_id", "student__school_id")
        .order_by()
        .distinct()
    )
    for pid, track_id, school_id in rows:
        schools[(pid, track_id)].add(school_id)
        schools[(pid, None)].add(school_id)
    out = {
        (pid, SCHOOL, track_id): Unit(SCHOOL, len(found), ids_url("birgemiz.school", found))
        for (pid, track_id), found in schools.items()
    }
    for (pid,), n in meeting_counts(ids)["n"].items():  # shared with the meeting metrics in a batch
        url = changelist_url("birgemiz.meeting", program__id__exact=pid)
        out[(pid, MEETING, None)] = Unit(MEETING, n, url)
    return out


def unit_for(units, pid, per, track_id=None):
    """The unit a per-unit plan of a programme counts: a track's schools where the plan
    belongs to a track's activity, the programme's otherwise; none counted is zero."""
    if per == SCHOOL and track_id is not None:
        found = units.get((pid, SCHOOL, track_id))
    else:
        found = units.get((pid, per, None))
    return found or Unit(per, 0)


def plan_target(comparator, target_value, unit=None):
    """The number a fact must reach: the target, times the units for a per-unit plan;
    None for a plan in words."""
    if target_value is None or comparator == Indicator.Comparator.TEXT:
        return None
    target = Decimal(str(target_value))
    if comparator == Indicator.Comparator.PER_UNIT:
        return target * (unit.count if unit else 0)
    return target
