"""Growth per programme and track, from one scan over every test result.

The scans over every test result are kept per programme under a version of its scores
and enrollments, so a cold dashboard recomputes only the programmes whose data changed
since; any write to a score, an enrollment or a group is seen at once.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max

from assessments.models import TestResult
from birgemiz.models import Track, pick_lang
from birgemiz.numbers import read_decimal
from courses.models import CourseGroup, Enrollment

SCORES_CACHE_SECONDS = 24 * 3600


@dataclass
class TrackGrowth:
    code: str
    name: str
    pre: Decimal | None
    post: Decimal | None
    measured: int

    @property
    def growth(self):
        return None if self.pre is None or self.post is None else self.post - self.pre


def growth_rows(ids):
    """[(program_id, track_id, measured, mean pre, mean post)] over the students who have
    both tests and are enrolled (not dropped) in that track: the report's definition of growth.

    Plain SQL, one pass: each result is joined to its student's (not dropped) enrollment in
    the same track, pre and post are paired per student by conditional aggregation, then
    averaged per track. The ORM's spelling (two correlated EXISTS per result) took a
    second at national scale."""
    if not ids:
        return []
    result = TestResult._meta.db_table
    enrollment = Enrollment._meta.db_table
    group = CourseGroup._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    sql = f"""
        SELECT program_id, track_id, COUNT(*), AVG(pre), AVG(post) FROM (
            SELECT t.program_id, t.track_id, t.student_id,
                   MAX(CASE WHEN t.kind = %s THEN t.score END) AS pre,
                   MAX(CASE WHEN t.kind = %s THEN t.score END) AS post
            FROM {result} t
            JOIN {enrollment} e ON e.student_id = t.student_id AND e.status <> %s
            JOIN {group} g ON g.id = e.group_id AND g.track_id = t.track_id
            WHERE t.program_id IN ({marks})
            GROUP BY t.program_id, t.track_id, t.student_id
        ) per_student
        WHERE pre IS NOT NULL AND post IS NOT NULL
        GROUP BY program_id, track_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, ["pre", "post", Enrollment.Status.DROPPED, *ids])
        return cursor.fetchall()


def mean_score(value):
    """A mean from the database (SQLite gives floats, PostgreSQL Decimals); growth is shown to 1 place."""
    value = read_decimal(value)
    return None if value is None else value.quantize(Decimal("0.0001"))


def scores_versions(ids):
    """{program_id: version}: the count and latest change of its test results, enrollments
    and groups. Any write to those (a score typed, a student dropped, a result deleted)
    changes it; three grouped queries whatever the number of programmes."""
    versions = {pid: "" for pid in ids}
    sources = (
        ("r", TestResult.objects.filter(program_id__in=ids), "program_id"),
        ("e", Enrollment.objects.filter(group__program_id__in=ids), "group__program_id"),
        ("g", CourseGroup.objects.filter(program_id__in=ids), "program_id"),
    )
    for tag, qs, field_name in sources:
        for row in qs.values(field_name).annotate(n=Count("id"), t=Max("updated_at")).order_by():
            stamp = row["t"].timestamp() if row["t"] else 0
            versions[row[field_name]] += f"{tag}{row['n']}@{stamp:.6f}"
    return versions


def per_program_cached(kind, ids, versions, compute):
    """{program_id: value}, each programme's value cached under its version; `compute`
    gets the programmes missing from the cache and returns {program_id: value}."""
    keys = {pid: f"birgemiz:dashboard:{kind}:{pid}:{versions.get(pid, '')}" for pid in ids}
    hits = cache.get_many(list(keys.values()))
    out = {pid: hits[key] for pid, key in keys.items() if key in hits}
    missing = [pid for pid in ids if pid not in out]
    if missing:
        fresh = compute(missing)
        values = {pid: fresh.get(pid, ()) for pid in missing}
        cache.set_many({keys[pid]: value for pid, value in values.items()}, SCORES_CACHE_SECONDS)
        out.update(values)
    return out


def _growth_rows_by_program(ids):
    by_program = defaultdict(list)
    for row in growth_rows(ids):
        by_program[row[0]].append(tuple(row))
    return by_program


def track_growth(ids, lang, versions):
    """[(program_id, TrackGrowth)] for every track of the programmes, in track order."""
    tracks = Track.objects.filter(program_id__in=ids).order_by("program_id", "order", "id")
    cached = per_program_cached("growth", ids, versions, _growth_rows_by_program)
    found = {(pid, tid): (n, pre, post) for rows in cached.values() for pid, tid, n, pre, post in rows}
    out = []
    for track in tracks:
        n, pre, post = found.get((track.program_id, track.pk), (0, None, None))
        growth = TrackGrowth(
            code=track.code,
            name=pick_lang(track, "name", lang),
            pre=mean_score(pre),
            post=mean_score(post),
            measured=n,
        )
        out.append((track.program_id, growth))
    return out
