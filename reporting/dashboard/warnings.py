"""Report warnings on the dashboard.

The checks run over the whole built report (all its tables), so they cost a report build
per programme. Their count is cached per programme whenever the dashboard's "re-check"
action builds the reports, and an issued report keeps the count it was issued with
(`IssuedReport.warnings`). A row shows the fresher of the two, and when it was taken.
"""

from django.core.cache import cache
from django.utils import timezone

from ..report import build_report

WARNINGS_CACHE_SECONDS = 7 * 24 * 3600


def warnings_key(program_id):
    return f"birgemiz:dashboard:warnings:{program_id}"


def warnings_remember(program_id, count, at=None):
    cache.set(warnings_key(program_id), (count, at or timezone.now()), WARNINGS_CACHE_SECONDS)


def warnings_refresh(programs):
    """Build each programme's report and remember how many of its checks failed.

    A report build per programme: this is the explicit "re-check" action, never the page."""
    done = 0
    for program in programs:
        report = build_report(program)
        warnings_remember(program.pk, len(report.warnings))
        done += 1
    return done


def apply_cached_warnings(rows):
    """Overlay the warning counts remembered by a re-check, where fresher than the issued ones."""
    rows = list(rows)
    cached = cache.get_many([warnings_key(r.program.pk) for r in rows])
    for row in rows:
        hit = cached.get(warnings_key(row.program.pk))
        if hit and (row.warnings_at is None or hit[1] > row.warnings_at):
            row.warnings, row.warnings_at = hit
