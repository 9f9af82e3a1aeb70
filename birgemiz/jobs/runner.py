"""What every task does around its work: claim the job, keep it alive, record the end.

    @task()
    def issue_report(job_id):
        return runner.execute(job_id, _issue)

    def _issue(job, progress):
        ...                       # progress.update(n, total); progress.check()
        with transaction.atomic():
            ...                   # the writes
            runner.complete(job, summary=..., url=...)   # in the same transaction

`execute` claims the job (queued → running, one attempt more) or returns when someone
else has it or it was cancelled. While the work runs, a thread writes the heartbeat and
progress (`live`) every JOBS_HEARTBEAT_SECONDS and watches for a cancel, which
`progress.update` / `progress.check` then raise as `JobCancelled` inside the work (its
transaction rolls back). `complete` records the result only if the job is still this
attempt's: a job the reaper took over (its worker seemed dead) can never be done twice.
The work raises `JobFailed(message)` for a failure the user can act on; any other
exception is recorded as an unexpected error and logged. An interrupt (Ctrl+C, SIGTERM
twice) leaves the job running: the reaper requeues it.
"""

import logging
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from birgemiz.audit import acting_as

from . import live
from .models import Job
from .services import after_end, worker_name

log = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Someone pressed cancel; nothing the work did is kept."""


class JobLost(Exception):
    """The job is no longer this attempt's (the reaper took it over)."""


class JobFailed(Exception):
    """A failure the user can act on: `message` is shown as the reason, `result` kept."""

    def __init__(self, message, result=None):
        super().__init__(str(message))
        self.message = str(message)
        self.result = result or {}


class Progress:
    """Handed to the work: `update(done, total)` as it goes; both raise JobCancelled."""

    def __init__(self, job):
        self.job = job
        self.done = 0
        self.total = None
        self._cancelled = threading.Event()
        self._stop = threading.Event()
        self._thread = None

    def update(self, done, total=None):
        self.done = int(done)
        if total is not None:
            self.total = int(total)
        self.check()

    def check(self):
        if self._cancelled.is_set():
            raise JobCancelled()

    def beat(self):
        live.write(self.job.pk, attempt=self.job.attempts, done=self.done, total=self.total)
        if live.cancel_requested(self.job.pk):
            self._cancelled.set()

    def _loop(self):
        interval = getattr(settings, "JOBS_HEARTBEAT_SECONDS", 5)
        while not self._stop.wait(interval):
            try:
                self.beat()
            except Exception:  # a storage hiccup must not stop the work
                log.warning("heartbeat of job %s failed", self.job.pk, exc_info=True)

    def __enter__(self):
        self.beat()
        self._thread = threading.Thread(target=self._loop, name=f"job-{self.job.pk}", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=10)
        return False


def _claim(job_id):
    now = timezone.now()
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.Status.QUEUED:
        return None
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED, attempts=job.attempts).update(
        status=Job.Status.RUNNING,
        attempts=job.attempts + 1,
        started_at=now,
        heartbeat_at=now,
        worker=worker_name(),
    )
    if not claimed:
        return None
    return Job.objects.select_related("user", "program").get(pk=job_id)


def _mine(job):
    return Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)


def complete(job, *, summary="", result=None, url="", file=None, filename="", params=None):
    """Record the job as done (call it inside the work's own transaction, so the result and
    the writes commit together). `file`: bytes kept as the result's download."""
    stored = ""
    if file is not None:
        stored = default_storage.save(
            Job.result_file.field.generate_filename(job, filename or "result"), ContentFile(file)
        )
    fields = {
        "status": Job.Status.DONE,
        "lock": None,
        "finished_at": timezone.now(),
        "result": {**(result or {}), "summary": str(summary), "filename": filename},
        "result_url": url,
        "result_file": stored,
        "error": "",
    }
    if params is not None:
        fields["params"] = params
    if not _mine(job).update(**fields):
        if stored:
            default_storage.delete(stored)
        raise JobLost()
    job.status = Job.Status.DONE


def _end(job, status, error="", result=None):
    if _mine(job).update(
        status=status, error=error, result=result or {}, lock=None, finished_at=timezone.now()
    ):
        job.refresh_from_db()
        after_end(job)


def execute(job_id, work):
    """Run `work(job, progress)` for the queued job `job_id`; returns the job's status."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    language = job.language or settings.LANGUAGE_CODE
    with translation.override(language), acting_as(job.user, "job"), Progress(job) as progress:
        try:
            returned = work(job, progress)
            if job.status != Job.Status.DONE:
                progress.check()
                complete(job, **(returned or {}))
        except JobCancelled:
            _end(job, Job.Status.CANCELLED)
        except JobLost:
            log.warning("job %s was taken over while it ran; its result was dropped", job.pk)
            return "lost"
        except JobFailed as exc:
            _end(job, Job.Status.FAILED, error=exc.message, result=exc.result)
        except Exception as exc:
            log.exception("job %s (%s) failed", job.pk, job.kind)
            _end(
                job,
                Job.Status.FAILED,
                error=_(
                    "An unexpected error stopped the job (%(error)s); nothing of it was kept. "
                    "Try again; if it happens again, tell the administrator."
                )
                % {"error": type(exc).__name__},
            )
    if job.status == Job.Status.DONE:
        job.refresh_from_db()
        after_end(job)
    return job.status
