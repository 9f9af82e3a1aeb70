"""Run an admin import, inline for small files and in a background thread for big ones.

Why a thread and not a subprocess or a queue: the product has no task queue, and a
thread runs exactly the same code in the same process (settings, translations, the
test database) with nothing to deploy. The import holds one write transaction, so
its progress cannot be read from the database until it commits; the thread writes
it to a small file beside the upload (`<file>.progress`) that any web worker can
read. If the process dies, the job stays "running" and the page says so; nothing
was written, because the transaction never committed.
"""

import json
import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation

from .engine import ImportReport, import_file
from .models import ImportJob

log = logging.getLogger(__name__)
_threads = {}


def inline_max_bytes():
    return getattr(settings, "REGISTERS_INLINE_MAX_BYTES", 512 * 1024)


def progress_path(job):
    return Path(job.file.path + ".progress") if job.file else None


def read_progress(job):
    path = progress_path(job)
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError, AttributeError):
        return {}


def run_job(job_id):
    """Do the job's current phase (preview or import) and store the report."""
    job = ImportJob.objects.select_related("program", "user").get(pk=job_id)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    path = progress_path(job)

    def progress(count):
        try:
            path.write_text(json.dumps({"rows": count}))
        except OSError:
            pass

    language = (job.report or {}).get("language") or settings.LANGUAGE_CODE
    try:
        with translation.override(language), job.file.open("rb") as handle:
            report = import_file(
                job.register,
                handle,
                job.original_name,
                program=job.program,
                user=job.user,
                dry_run=job.phase == ImportJob.Phase.PREVIEW,
                progress=progress,
            )
        job.report = {**report.as_dict(), "language": language}
        job.status = ImportJob.Status.DONE
    except Exception as exc:  # the job page must say it failed, not spin forever
        log.exception("import job %s failed", job_id)
        job.report = {"file_error": f"{type(exc).__name__}: {exc}", "language": language}
        job.status = ImportJob.Status.FAILED
    job.finished_at = timezone.now()
    job.save(update_fields=["report", "status", "finished_at"])
    if path is not None:
        path.unlink(missing_ok=True)
    report = ImportReport.from_dict(job.report)
    if job.phase == ImportJob.Phase.IMPORT or job.status == ImportJob.Status.FAILED or not report.ok:
        _drop_file(job)
    return job


def _drop_file(job):
    # The upload holds personal data; keep it no longer than the import needs it.
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def _thread_main(job_id):
    close_old_connections()
    try:
        run_job(job_id)
    finally:
        connection.close()


def start(job):
    """Run now when the file is small, else hand it to a background thread."""
    if job.file.size <= inline_max_bytes():
        return run_job(job.pk)

    def launch():
        thread = threading.Thread(target=_thread_main, args=(job.pk,), name=f"import-{job.pk}", daemon=True)
        _threads[job.pk] = thread
        thread.start()

    transaction.on_commit(launch)
    return job


def wait(job_id, timeout=120):
    """Wait for a background job (tests and the command line)."""
    thread = _threads.get(job_id)
    if thread is not None:
        thread.join(timeout)
