"""Issuing a report: build it, render it, keep the file byte for byte with its SHA-256.

Issuing runs in a worker (`reporting.tasks.issue_report`); `report_issue_start` is what a
request does: it creates the job once per request key, and one job per programme,
language and format while one is queued or running, so a double click or two
coordinators pressing "issue" together make one job and one issued report.
"""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from birgemiz.jobs.services import job_start

from .models import IssuedReport
from .report import build_report


def render_report(report, fmt):
    """The bytes of one rendering of a built report."""
    if fmt == IssuedReport.Format.PDF:
        from .render_pdf import render_pdf

        return render_pdf(report)
    if fmt == IssuedReport.Format.XLSX:
        from .render_xlsx import render_xlsx

        return render_xlsx(report)
    raise ValueError(f"unknown format {fmt!r}")


def report_issue(*, program, language, fmt, user=None, as_of=None, check=None, on_kept=None):
    """Build, render and keep the report; warnings do not stop it, they go into its annex.

    `check()` is called between the slow steps (a cancel raises there); `on_kept(issued)`
    runs inside the transaction that keeps the report, so whatever it records (the job's
    end) commits with it or not at all, and the file goes if it does not."""
    report = build_report(program, language, as_of=as_of)
    if check is not None:
        check()
    data = render_report(report, fmt)
    if check is not None:
        check()
    issued = IssuedReport(
        program=program,
        language=report.lang,
        format=fmt,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        as_of=report.as_of,
        warnings=len(report.warnings),
        issued_by=user if user is not None and user.is_authenticated else None,
    )
    issued.file.save(f"report.{fmt}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            issued.full_clean()
            issued.save()
            if on_kept is not None:
                on_kept(issued)
    except BaseException:
        issued.file.delete(save=False)
        raise
    return issued


def report_issue_start(*, program, language, fmt, user, key):
    """The issuing job of this request (created and queued once). Returns (job, created)."""
    from .tasks import ISSUE, issue_report

    return job_start(
        kind=ISSUE,
        task=issue_report,
        key=f"{key}:{language}:{fmt}",  # one page's key: its PDF and its XLSX are two jobs
        user=user,
        program=program,
        lock=f"{ISSUE}:{program.pk}:{language}:{fmt}",
        params={
            "code": program.code,
            "lang": language,
            "format": fmt,
            "format_label": fmt.upper(),
            "lang_label": language.upper(),
            "back": f"{reverse('reporting:report', args=[program.code])}?lang={language}#issued",
        },
    )
