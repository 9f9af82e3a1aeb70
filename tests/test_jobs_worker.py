"""The task queue with real worker processes: `manage.py db_worker` on the database queue,
or `manage.py rqworker` on a real Redis when TASKS_URL=redis://… (CI runs this file once
that way, with the redis-server it starts).

They need a database another process can open: PostgreSQL, or SQLite in a file
(BIRGEMIZ_TEST_SQLITE=/tmp/….sqlite3); with SQLite's in-memory test database they skip.
"""

import csv
import datetime
import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from birgemiz.jobs.models import Job
from birgemiz.jobs.services import reap
from birgemiz.registers import jobs as register_jobs
from birgemiz.registers.models import ImportJob
from courses.models import Student
from reporting.models import IssuedReport

from .factories import SchoolFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
ROOT = Path(__file__).resolve().parent.parent
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _redis_url():
    url = os.environ.get("TASKS_URL", "")
    return url if url.startswith("redis") else ""


@pytest.fixture
def queue(settings, tmp_path):
    """Point this process at the real queue; yields a function that starts a worker."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3") and (
        "memory" in str(db["NAME"]) or not str(db["NAME"]).startswith("/")
    ):
        pytest.skip("a worker process needs a database in a file: set BIRGEMIZ_TEST_SQLITE or use PostgreSQL")
    if _redis_url():
        import django_rq

        django_rq.get_connection("default").flushdb()  # no queue or worker left by a previous test
    else:
        settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"
    env = {
        **os.environ,
        "DEBUG": "True",
        "BIRGEMIZ_TESTING": "1",
        "TASKS_URL": _redis_url() or "database",
        "CACHE_URL": os.environ.get("CACHE_URL", "locmem"),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DATABASE_URL": _database_url(db),
        "JOBS_HEARTBEAT_SECONDS": "1",
    }
    started = []

    def start():
        if _redis_url():
            command = ["rqworker", "--job-class", "django_tasks_rq.Job", "--worker-ttl", "30", "default"]
        else:
            command = ["db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"]
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: kill -9 takes RQ's work horse too
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            kill(process)


def _database_url(db):
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    auth = db.get("USER") or "postgres"
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def _children(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill(process):
    """kill -9 the worker and whatever it forked (RQ's work horse runs in its own session)."""
    for child in _children(process.pid):
        os.kill(child, signal.SIGKILL)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_for(condition, timeout=180, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


def test_an_issued_pdf_arrives_through_the_worker(client, queue, coordinator, program):
    client.force_login(coordinator)
    started = time.monotonic()
    response = client.post(
        reverse("reporting:issue", args=[program.code]),
        {"lang": "kk", "format": "pdf", "request_key": "p" * 32},
    )
    answered = time.monotonic() - started
    assert response.status_code == 302 and answered < 5  # the PDF is not made in the request
    job = Job.objects.get()
    assert job.status == "queued"
    queue()
    wait_for(lambda: Job.objects.get(pk=job.pk).finished)
    job.refresh_from_db()
    assert job.status == "done", job.error
    issued = IssuedReport.objects.get()
    assert issued.format == "pdf" and issued.file.read(4) == b"%PDF"
    assert (
        reverse("reporting:issued-download", args=[program.code, issued.pk])
        in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    )


def test_twenty_issue_posts_together_make_one_job_and_one_report(queue, coordinator, program):
    results = []

    def press(n):
        try:
            browser = Client()
            browser.force_login(coordinator)
            response = browser.post(
                reverse("reporting:issue", args=[program.code]),
                {"lang": "kk", "format": "xlsx", "request_key": f"{n:02d}" * 16},
            )
            results.append(response["Location"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 20 and len(set(results)) == 1
    assert Job.objects.count() == 1
    queue()
    wait_for(lambda: Job.objects.get().finished)
    assert Job.objects.get().status == "done" and IssuedReport.objects.count() == 1


def _students_csv(rows):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(["Оқушы коды", "Тегі", "Аты", "Жынысы", "Сынып", "Мектеп"])
    for i in range(rows):
        writer.writerow([f"S{i:05d}", f"Тегі{i}", "Айгерім", "F", 10, "№1 орта мектеп"])
    return ("\ufeff" + text.getvalue()).encode()


def test_kill_9_mid_import_writes_nothing_and_the_job_is_taken_over(queue, coordinator, program, settings):
    from django.core.files.base import ContentFile

    SchoolFactory(name="№1 орта мектеп", district__region=program.region)
    # Students import a thousand rows at a time (about 2 500 rows/s): a file long enough that
    # the worker's 1-second heartbeat reports progress before it is done.
    rows = 20000
    import_job = ImportJob(
        program=program, user=coordinator, register="students", original_name="big.csv", phase="import"
    )
    import_job.file.save("big.upload", ContentFile(_students_csv(rows)), save=False)
    import_job.save()
    register_jobs.start(import_job, "k" * 32)
    job = Job.objects.get()
    worker = queue()
    # Mid-file: the worker has checked some rows (its live heartbeat says so), not all.
    wait_for(lambda: 0 < (register_jobs.progress(ImportJob.objects.get(pk=import_job.pk)).get("rows") or 0))
    kill(worker)
    assert Student.objects.count() == 0  # all or nothing: the transaction died with it
    job.refresh_from_db()
    assert job.status == "running"  # as the worker left it...
    later = timezone.now() + datetime.timedelta(seconds=settings.JOBS_STALE_SECONDS + 5)
    assert reap(now=later) == 1  # ...until its heartbeat is too old: back in the queue
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("queued", 1)
    queue()  # a worker comes back and does it once, whole
    wait_for(lambda: Job.objects.get(pk=job.pk).finished)
    job.refresh_from_db()
    import_job.refresh_from_db()
    assert job.status == "done" and import_job.status == "done", (job.error, import_job.report)
    assert import_job.report["new"] == rows and Student.objects.filter(program=program).count() == rows
    # The upload is dropped as soon as the rows are written (right after the job's end commits).
    wait_for(lambda: not ImportJob.objects.get(pk=import_job.pk).file, timeout=30)


def _status_in_a_thread(client, url):
    # A browser test earlier in the session leaves Playwright's event loop in this thread,
    # where async_to_sync (the health check's backends) refuses to run: ask from another.
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("status", client.get(url).status_code))
    thread.start()
    thread.join()
    return box["status"]


def test_healthz_sees_the_running_worker(client, queue):
    assert _status_in_a_thread(client, "/healthz?format=json") == 500  # no worker yet
    queue()
    wait_for(lambda: _status_in_a_thread(client, "/healthz?format=json") == 200, timeout=60, step=0.5)
