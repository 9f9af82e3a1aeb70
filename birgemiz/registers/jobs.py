"""An admin import as a background job: every file, big or small, preview and write.

The upload is kept in the storage API (`ImportJob.file`); each phase (the preview, then the
write after "confirm") is one job of the core's `birgemiz.jobs`, run by a worker through
`tasks.register_import`. The phase is all or nothing: its rows, the import's report and the
job's end commit in one transaction, so a worker killed mid-file leaves no row behind and
the job is put back in the queue (then failed) by the reaper, never left "running". When
a phase ends without being done (failed, cancelled, abandoned) `ended` records it on the
import and deletes the upload, which holds personal data.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birgemiz.jobs import kinds, live
from birgemiz.jobs.models import Job
from birgemiz.jobs.services import is_alive, job_start, reap

from .models import ImportJob

KIND = "register-import"


def drop_file(import_job):
    # The upload holds personal data; keep it no longer than the import needs it.
    if import_job.file:
        import_job.file.delete(save=False)
        ImportJob.objects.filter(pk=import_job.pk).update(file="")


def ended(job):
    """The core's hook: the phase's job failed, was cancelled or lost its worker."""
    import_job = ImportJob.objects.filter(pk=job.params.get("import")).first()
    if import_job is None or import_job.finished:
        return
    cancelled = job.status == Job.Status.CANCELLED
    with translation.override(job.language or None):
        reason = _("Cancelled; nothing was written.") if cancelled else job.error
    import_job.status = ImportJob.Status.CANCELLED if cancelled else ImportJob.Status.FAILED
    import_job.report = {"file_error": str(reason), "language": job.language}
    import_job.finished_at = timezone.now()
    import_job.save(update_fields=["status", "report", "finished_at"])
    drop_file(import_job)


kinds.register(KIND, gettext_lazy("Spreadsheet import: %(register)s ← %(file)s"), on_end=ended)


def for_request(key):
    """The import a request with this key already started (a double click, a reload)."""
    job = Job.objects.filter(key=f"{KIND}:{key}").first()
    return ImportJob.objects.filter(pk=job.params.get("import")).first() if job else None


def start(import_job, key):
    """Queue the import's current phase. Returns the ImportJob that holds it: another one
    when the same request (key) or the same phase already has a job."""
    from .tasks import register_import

    job, created = job_start(
        kind=KIND,
        task=register_import,
        key=key,
        user=import_job.user,
        program=import_job.program,
        lock=f"{KIND}:{import_job.pk}",
        params={
            "import": import_job.pk,
            "register": import_job.register,
            "file": import_job.original_name,
            "phase": import_job.phase,
        },
    )
    if not created and job.params.get("import") != import_job.pk:
        return ImportJob.objects.get(pk=job.params["import"])
    # The task may already have run (in tests it runs at once): set only the link.
    ImportJob.objects.filter(pk=import_job.pk).update(job=job)
    import_job.refresh_from_db()
    return import_job


def progress(import_job):
    """{"rows": n} checked so far by the running phase; a phase whose worker died is reaped."""
    job = import_job.job
    if job is None or import_job.finished:
        return {}
    if job.status == Job.Status.RUNNING and not is_alive(job):
        reap(jobs=[job])
        import_job.refresh_from_db()
        return {}
    beat = live.read(job.pk) if job.status == Job.Status.RUNNING else None
    return {"rows": (beat or {}).get("done") or 0, "cancelling": live.cancel_requested(job.pk)}
