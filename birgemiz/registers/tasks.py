"""The import task: one phase (preview or write) of an admin import, all or nothing."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz.jobs import runner
from birgemiz.jobs.api import task

from .engine import ImportReport, import_file
from .jobs import drop_file
from .models import ImportJob


@task()
def register_import(job_id):
    return runner.execute(job_id, _run)


def _summary(report):
    if report.file_error:
        return report.file_error
    if report.errors:
        return _("%(n)s row(s) with errors; nothing was written.") % {"n": report.bad_rows}
    return _("New %(new)s, updated %(updated)s, unchanged %(unchanged)s.") % {
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }


def _run(job, progress):
    import_job = ImportJob.objects.select_related("program", "user").get(pk=job.params["import"])
    if not import_job.file:
        raise runner.JobFailed(_("The uploaded file is no longer kept; upload it again."))
    ImportJob.objects.filter(pk=import_job.pk).update(status=ImportJob.Status.RUNNING, job=job)
    preview = import_job.phase == ImportJob.Phase.PREVIEW
    if preview:
        # A preview writes no row: it is checked first (without holding the database's
        # write lock where it can), then its report is recorded in a short transaction.
        report = _import(import_job, progress, dry_run=True)
        with transaction.atomic():
            _record(job, import_job, report)
    else:
        # The rows, the import's report and the job's end commit together or not at all.
        with transaction.atomic():
            report = _import(import_job, progress, dry_run=False)
            _record(job, import_job, report)
    if not preview or not ImportReport.from_dict(report.as_dict()).ok:
        drop_file(import_job)


def _import(import_job, progress, dry_run):
    with import_job.file.open("rb") as handle:
        report = import_file(
            import_job.register,
            handle,
            import_job.original_name,
            program=import_job.program,
            user=import_job.user,
            dry_run=dry_run,
            progress=progress.update,
        )
    progress.check()
    return report


def _record(job, import_job, report):
    ImportJob.objects.filter(pk=import_job.pk).update(
        report={**report.as_dict(), "language": job.language},
        status=ImportJob.Status.DONE,
        finished_at=timezone.now(),
    )
    runner.complete(
        job,
        summary=_summary(report),
        url=reverse("registers:job", args=[import_job.pk]),
        result={"rows": report.rows},
    )
