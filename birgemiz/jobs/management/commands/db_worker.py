"""python manage.py db_worker — django-tasks-db's worker, with a heartbeat.

The same command and options as django-tasks-db's (`--help`); in addition, a thread
records the worker in `WorkerBeat` every JOBS_HEARTBEAT_SECONDS (what /healthz reads as
"a worker seen in the last minute") and reaps jobs whose worker died (requeued once,
then failed). It reaps once before taking the first task, so jobs left "running" by a
worker that was killed are dealt with as soon as a worker is back.
"""

import logging
import os
import threading

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from birgemiz.jobs.services import reap, worker_beat, worker_name

log = logging.getLogger("birgemiz.jobs")


def _beat_once(worker_id):
    try:
        worker_beat(worker_id)
        reap()
    except Exception:  # the database may be locked by an import (SQLite): try again later
        log.warning("worker heartbeat failed", exc_info=True)
    finally:
        connection.close()


def _beat_forever(worker_id, stop):
    interval = getattr(settings, "JOBS_HEARTBEAT_SECONDS", 5)
    while not stop.wait(interval):
        _beat_once(worker_id)


class Command(DatabaseWorkerCommand):
    help = "Run a database background worker (with a heartbeat and the reaper of dead workers' jobs)"

    def handle(self, *args, **options):
        if options.get("reload") and os.environ.get("RUN_MAIN") != "true":
            return super().handle(*args, **options)  # the reloader's parent runs no task
        worker_id = f"{options['worker_id']}@{worker_name()}"[:100]
        stop = threading.Event()
        _beat_once(worker_id)
        thread = threading.Thread(
            target=_beat_forever, args=(worker_id, stop), name="worker-beat", daemon=True
        )
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
