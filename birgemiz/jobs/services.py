"""Starting, cancelling and reaping jobs.

Exactly once: `job_start` takes the request's key (a form's hidden token) and, for work
that must not run twice at once, a work key (`lock`). Both are unique columns, so a
double click, a reload of the POST, or two people pressing the same button together
all end on the one job the first request made; the database decides, not a check in
Python.

A worker that dies (kill -9, out of memory, a restart) leaves its job "running" with a
heartbeat that stops. `reap` (run by every worker every few seconds, by /healthz and by
a job's page) puts such a job back in the queue once, and marks it failed the second
time; nothing it did was kept, because its writes were one transaction and its result
is recorded only with them.
"""

import datetime
import logging
import socket
import uuid

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from birgemiz.access import editable_programs_for

from . import kinds, live
from .models import Job, WorkerBeat

log = logging.getLogger(__name__)
LOST_ENQUEUE_SECONDS = 60


def new_key():
    """A fresh request key for a form (a hidden field)."""
    return uuid.uuid4().hex


def clean_key(value):
    """The key a form posted, or a fresh one when it is missing or malformed."""
    value = (value or "").strip()
    if 8 <= len(value) <= 64 and value.isalnum():
        return value
    return new_key()


def job_start(*, kind, task, key, user=None, program=None, lock=None, params=None, upload=None, _again=True):
    """The job of this request, created and enqueued once. Returns (job, created).

    `upload`: a file to keep with the job for its task (`Job.input_file`)."""
    key = f"{kind}:{key}"[:120]
    found = _find(key, lock)
    if found is not None:
        return found, False
    stored = None
    if upload is not None:
        stored = default_storage.save(
            Job.input_file.field.generate_filename(None, f"{uuid.uuid4().hex}.upload"), upload
        )
    job = Job(
        kind=kind,
        key=key,
        lock=lock,
        user=user if user is not None and user.is_authenticated else None,
        program=program,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        params={**(params or {}), "task": task.module_path},
        input_file=stored or "",
    )
    try:
        with transaction.atomic():
            job.save(force_insert=True)
    except IntegrityError:
        if stored:
            default_storage.delete(stored)
        found = _find(key, lock)
        if found is None and _again:  # the other request's job ended in between: once more
            return job_start(
                kind=kind,
                task=task,
                key=key.split(":", 1)[1],
                user=user,
                program=program,
                lock=lock,
                params=params,
                upload=upload,
                _again=False,
            )
        if found is None:
            raise
        return found, False
    enqueue(job, task)
    return job, True


def _find(key, lock):
    condition = Q(key=key)
    if lock:
        condition |= Q(lock=lock)
    return Job.objects.filter(condition).order_by("-created_at").first()


def _runs_outside_the_database(task):
    # RQ reads the job from another process at once: hand it over after the commit.
    return type(task.get_backend()).__module__.startswith("django_tasks_rq")


def enqueue(job, task=None):
    task = task or import_string(job.params["task"])

    def send():
        result = task.enqueue(str(job.pk))
        Job.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id)[:64])

    if _runs_outside_the_database(task):
        transaction.on_commit(send)
    else:
        send()


def after_end(job):
    """Whatever ended a job (done, failed, cancelled): its upload and live objects go."""
    if job.status != Job.Status.DONE:
        kinds.ended(job)
    if job.input_file:
        job.input_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(input_file="")
    live.clear(job.pk)


def job_cancel(job):
    """Cancel a queued job at once; ask a running one to stop (it stops at its next step,
    and nothing it did is kept). Returns False when the job had already ended."""
    if job.status == Job.Status.QUEUED:
        ended = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.CANCELLED, lock=None, finished_at=timezone.now()
        )
        job.refresh_from_db()
        if ended:
            after_end(job)
            return True
    if job.status == Job.Status.RUNNING:
        live.request_cancel(job.pk)
        return True
    return False


def job_for(user, pk):
    """The job if `user` may see it: who started it, a coordinator of its programme, a superuser."""
    try:
        job = Job.objects.select_related("program", "user").get(pk=pk)
    except (Job.DoesNotExist, ValueError):
        raise Http404("No such job") from None
    if user.is_superuser or (job.user_id is not None and job.user_id == user.pk):
        return job
    if job.program_id and editable_programs_for(user).filter(pk=job.program_id).exists():
        return job
    raise Http404("No such job")


# ---------------------------------------------------------------- dead workers


def _stale_before(now):
    return now - datetime.timedelta(seconds=settings.JOBS_STALE_SECONDS)


def is_alive(job, now=None):
    """A running job whose worker reported within JOBS_STALE_SECONDS."""
    cutoff = _stale_before(now or timezone.now())
    if job.heartbeat_at and job.heartbeat_at >= cutoff:
        return True
    beat = live.read(job.pk)
    return bool(beat and beat.get("attempt") == job.attempts and beat["at"] >= cutoff)


def reap(now=None, jobs=None):
    """Requeue or fail running jobs whose worker stopped; re-send jobs whose enqueue was
    lost; drop result files past JOBS_RESULT_DAYS. Returns how many jobs it took over."""
    now = now or timezone.now()
    taken = 0
    running = (
        jobs
        if jobs is not None
        else Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=_stale_before(now))[:50]
    )
    for job in running:
        if job.status == Job.Status.RUNNING and not is_alive(job, now):
            taken += _abandon(job, now)
    if jobs is None:
        lost = Job.objects.filter(
            status=Job.Status.QUEUED,
            task_id="",
            created_at__lt=now - datetime.timedelta(seconds=LOST_ENQUEUE_SECONDS),
        )[:50]
        for job in lost:
            enqueue(job)
        _expire_results(now)
    return taken


def _abandon(job, now):
    cancelled = live.cancel_requested(job.pk)
    dead_task = job.task_id
    mine = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=job.attempts)
    if not cancelled and job.attempts < settings.JOBS_MAX_ATTEMPTS:
        if not mine.update(status=Job.Status.QUEUED, task_id="", worker="", heartbeat_at=None):
            return 0
        log.warning("job %s lost its worker on attempt %s: queued again", job.pk, job.attempts)
        _fail_task(dead_task, now)
        job.refresh_from_db()
        enqueue(job)
        return 1
    with translation.override(job.language or settings.LANGUAGE_CODE):
        error = (
            ""
            if cancelled
            else _(
                "The worker running this job stopped (%(n)s times) before it finished. "
                "Nothing of it was kept. Start it again; if it stops again, tell the administrator."
            )
            % {"n": job.attempts}
        )
    status = Job.Status.CANCELLED if cancelled else Job.Status.FAILED
    if not mine.update(status=status, error=error, lock=None, finished_at=now):
        return 0
    log.warning("job %s lost its worker on attempt %s: %s", job.pk, job.attempts, status)
    _fail_task(dead_task, now)
    job.refresh_from_db()
    after_end(job)
    return 1


def _fail_task(task_id, now):
    """The database queue's own row of a task whose worker died stays RUNNING: close it."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
            status="FAILED",
            finished_at=now,
            exception_class_path="birgemiz.jobs.services.WorkerLost",
            traceback="The worker stopped while running this task.",
        )
    except Exception:  # not a database task (RQ), or not a UUID
        pass


def _expire_results(now):
    old = Job.objects.filter(
        finished_at__lt=now - datetime.timedelta(days=settings.JOBS_RESULT_DAYS)
    ).exclude(result_file="")[:100]
    for job in old:
        job.result_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="")


# ---------------------------------------------------------------- workers


def worker_name():
    import os

    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def worker_beat(worker_id, now=None):
    now = now or timezone.now()
    import os

    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now, "hostname": socket.gethostname()[:255], "pid": os.getpid()},
    )
    # Workers gone for a day are forgotten.
    WorkerBeat.objects.filter(seen_at__lt=now - datetime.timedelta(days=1)).delete()


def workers_seen(now=None):
    """How many workers showed a sign of life within JOBS_WORKER_SEEN_SECONDS."""
    now = now or timezone.now()
    since = now - datetime.timedelta(seconds=settings.JOBS_WORKER_SEEN_SECONDS)
    from .api import task_backends

    backend = type(task_backends["default"]).__module__
    if backend.startswith("django_tasks_rq"):
        return _rq_workers_seen(since)
    if backend.startswith(("django_tasks.backends", "django.tasks.backends")):
        return 1  # immediate: the web process itself runs every task
    seen = WorkerBeat.objects.filter(seen_at__gte=since).count()
    if seen:
        return seen
    # On SQLite a worker in the middle of an import cannot write its beat: its job's
    # heartbeat (storage) says it is alive.
    running = Job.objects.filter(status=Job.Status.RUNNING).values_list("pk", "attempts")[:20]
    return sum(1 for pk, attempts in running if (beat := live.read(pk)) and beat["at"] >= since)


def _rq_workers_seen(since):
    import django_rq
    from rq import Worker

    connection = django_rq.get_connection("default")
    return sum(
        1
        for worker in Worker.all(connection=connection)
        if worker.last_heartbeat and worker.last_heartbeat >= since
    )
