"""Issuing a report: build it, render it, keep the file byte for byte with its SHA-256."""

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction

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


def report_issue(*, program, language, fmt, user=None, as_of=None):
    """Build, render and keep the report; warnings do not stop it, they go into its annex."""
    report = build_report(program, language, as_of=as_of)
    data = render_report(report, fmt)
    with transaction.atomic():
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
        issued.full_clean()
        issued.save()
    return issued
