"""Long work off the request (birgemiz/jobs): exactly one job per request and per piece of
work, a job page with and without JavaScript, cancel, the reaper of dead workers' jobs,
the e-mail task, /healthz, the shared cache, and the backing services read from the
environment. Tasks run inline here (TASKS_URL=immediate); tests/test_jobs_worker.py runs
them in real worker processes."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from birgemiz import backing
from birgemiz.jobs import live
from birgemiz.jobs.models import Job, WorkerBeat
from birgemiz.jobs.services import reap
from birgemiz.registers.models import ImportJob
from courses.models import Student
from reporting.models import IssuedReport
from reporting.tasks import issue_report

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ROOT = Path(__file__).resolve().parent.parent


def issue(client, program, key="k" * 32, fmt="xlsx", lang="kk"):
    return client.post(
        reverse("reporting:issue", args=[program.code]), {"lang": lang, "format": fmt, "request_key": key}
    )


# ---------------------------------------------------------------- exactly once


@override_settings(TASKS=DUMMY)  # the jobs wait in the queue: nothing runs them yet
def test_it_makes_one_job_for_a_double_click_and_for_two_coordinators(client, coordinator, program, org):
    from birgemiz import roles

    from .factories import UserFactory

    client.force_login(coordinator)
    first = issue(client, program, key="a" * 32)
    again = issue(client, program, key="a" * 32)  # the double click / the reload of the POST
    assert first.status_code == 302 and first["Location"] == again["Location"]
    colleague = UserFactory(username="coord2", is_staff=True, roles=[roles.COORDINATOR])
    org.members.add(colleague)
    client.force_login(colleague)
    together = issue(client, program, key="b" * 32)  # another page, the same report
    assert together["Location"] == first["Location"]
    assert client.get(together["Location"]).status_code == 200  # the colleague may follow it
    assert Job.objects.count() == 1
    issue(client, program, key="b" * 32, fmt="pdf")  # another format is another job
    assert Job.objects.count() == 2

    job = Job.objects.get(params__format="xlsx")
    issue_report.call(str(job.pk))  # the worker runs it (twice: the second finds it done)
    issue_report.call(str(job.pk))
    assert IssuedReport.objects.filter(format="xlsx").count() == 1
    job.refresh_from_db()
    assert job.status == "done" and job.lock is None
    # Once it is done, a new press (a fresh page) issues a new report.
    issue(client, program, key="c" * 32)
    assert Job.objects.filter(params__format="xlsx").count() == 2


def test_it_answers_the_issue_post_with_the_job_page_and_a_download(client, coordinator, program):
    client.force_login(coordinator)
    response = issue(client, program)
    page = client.get(response["Location"])
    job = page.context["job"]
    assert job.status == "done" and job.user == coordinator
    issued = IssuedReport.objects.get()
    download = reverse("reporting:issued-download", args=[program.code, issued.pk])
    assert download in page.content.decode()
    assert client.get(download).status_code == 200


def test_it_never_lets_the_officer_issue(client, officer, program):
    client.force_login(officer)
    assert issue(client, program).status_code == 403
    assert not Job.objects.exists() and not IssuedReport.objects.exists()
    page = client.get(reverse("reporting:report", args=[program.code]))
    assert reverse("reporting:issue", args=[program.code]) not in page.content.decode()


def test_it_shows_a_job_only_to_whom_it_concerns(client, coordinator, outsider, officer, program):
    client.force_login(coordinator)
    url = issue(client, program)["Location"]
    for other in (outsider, officer):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


# ---------------------------------------------------------------- the page


@override_settings(TASKS=DUMMY)
def test_a_waiting_job_page_refreshes_without_javascript_and_polls_with_it(client, coordinator, program):
    client.force_login(coordinator)
    url = issue(client, program)["Location"]
    html = client.get(url).content.decode()
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', html)
    assert "jobs/job.js" in html and 'data-status-url="' in html
    job = Job.objects.get()
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert state["status"] == "queued" and state["finished"] is False
    live.write(job.pk, attempt=1, done=40, total=160)  # what a running job reports
    Job.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())
    state = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert (state["done"], state["total"], state["percent"]) == (40, 160, 25)
    assert 'style="width: 25%"' in client.get(url).content.decode()


def test_a_finished_job_page_does_not_refresh(client, coordinator, program):
    client.force_login(coordinator)
    html = client.get(issue(client, program)["Location"]).content.decode()
    assert "http-equiv" not in html and "job.js" not in html


@override_settings(TASKS=DUMMY)
def test_the_job_list_shows_ones_own_jobs_to_come_back_to(client, coordinator, outsider, program):
    client.force_login(outsider)
    empty = client.get(reverse("jobs:list"))
    assert empty.status_code == 200 and "job-list-empty" in empty.content.decode()
    client.force_login(coordinator)
    url = issue(client, program)["Location"]
    assert reverse("jobs:list") in client.get(url).content.decode()  # the job page links to it
    mine = client.get(reverse("jobs:list")).content.decode()
    assert url in mine and "test-2020" in mine
    client.force_login(outsider)
    assert url not in client.get(reverse("jobs:list")).content.decode()  # nobody else's
    for n in range(30):  # a page holds 25, newest first
        Job.objects.create(kind="email", key=f"email:{n:032d}", user=coordinator)
    client.force_login(coordinator)
    first = client.get(reverse("jobs:list"))
    assert len(first.context["page"].object_list) == 25 and url not in first.content.decode()
    assert url in client.get(reverse("jobs:list"), {"page": 2}).content.decode()
    client.logout()
    assert client.get(reverse("jobs:list")).status_code == 302


# ---------------------------------------------------------------- cancel


@override_settings(TASKS=DUMMY)
def test_it_cancels_a_waiting_job_at_once(client, coordinator, program):
    client.force_login(coordinator)
    issue(client, program)
    job = Job.objects.get()
    client.post(reverse("jobs:cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "cancelled" and job.lock is None
    issue_report.call(str(job.pk))  # the worker reaches it later: nothing happens
    assert not IssuedReport.objects.exists()


@override_settings(TASKS=DUMMY)
def test_a_cancelled_running_job_keeps_nothing(client, coordinator, program):
    client.force_login(coordinator)
    issue(client, program)
    job = Job.objects.get()
    live.request_cancel(job.pk)  # pressed while the worker renders
    assert issue_report.call(str(job.pk)) == "cancelled"
    job.refresh_from_db()
    assert job.status == "cancelled" and not IssuedReport.objects.exists()
    assert not live.cancel_requested(job.pk)  # its live objects are gone


# ---------------------------------------------------------------- dead workers


def _running(job, attempts, seconds_ago):
    Job.objects.filter(pk=job.pk).update(
        status="running",
        attempts=attempts,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds_ago),
    )


@override_settings(TASKS=DUMMY)
def test_a_job_whose_worker_died_is_requeued_once_then_failed(client, coordinator, program, settings):
    settings.JOBS_STALE_SECONDS = 60
    client.force_login(coordinator)
    url = issue(client, program)["Location"]
    job = Job.objects.get()
    _running(job, attempts=1, seconds_ago=30)
    assert reap() == 0  # still within its heartbeat
    _running(job, attempts=1, seconds_ago=300)
    live.write(job.pk, attempt=1)  # ...but its live heartbeat is fresh: alive
    assert reap() == 0
    live.clear(job.pk)
    assert reap() == 1
    job.refresh_from_db()
    assert job.status == "queued" and job.lock  # back in the queue, still the one job
    _running(job, attempts=2, seconds_ago=300)
    page = client.get(url)  # the page reaps it too: never "running" forever
    job.refresh_from_db()
    assert job.status == "failed" and job.lock is None
    assert job.error and job.error in page.content.decode()  # the reason, in the page's words


@override_settings(TASKS=DUMMY)
def test_a_killed_import_is_failed_and_its_upload_deleted(client, coordinator, program, settings):
    """Issue 17, item 9: a killed import job showed "running" forever and kept its upload."""
    from django.core.files.storage import default_storage

    settings.JOBS_MAX_ATTEMPTS = 1
    client.force_login(coordinator)
    upload = SimpleUploadedFile("s.csv", "\ufeffОқушы коды;Тегі;Аты\nS1;Ахмет;Ерлан\n".encode())
    client.post(reverse("registers:import", args=["students"]), {"program": program.code, "file": upload})
    import_job = ImportJob.objects.get()
    name = import_job.file.name
    assert default_storage.exists(name)
    Job.objects.filter(pk=import_job.job_id).update(
        status="running", attempts=1, heartbeat_at=timezone.now() - datetime.timedelta(hours=1)
    )
    ImportJob.objects.filter(pk=import_job.pk).update(status="running")
    page = client.get(reverse("registers:job", args=[import_job.pk]))
    import_job.refresh_from_db()
    assert import_job.status == "failed"
    assert import_job.report["file_error"] == Job.objects.get(pk=import_job.job_id).error != ""
    assert not import_job.file and not default_storage.exists(name)
    assert b'http-equiv="refresh"' not in page.content
    assert not Student.objects.exists()


# ---------------------------------------------------------------- e-mail


@override_settings(
    EMAIL_BACKEND="birgemiz.jobs.mail.QueuedEmailBackend",
    EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
def test_every_e_mail_goes_through_the_e_mail_task(client, coordinator):
    coordinator.email = "coord@example.kz"
    coordinator.save()
    response = client.post(reverse("password_reset"), {"email": "coord@example.kz"})
    assert response.status_code == 302
    job = Job.objects.get(kind="email")
    assert job.status == "done" and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["coord@example.kz"] and "/reset/" in mail.outbox[0].body
    assert "message" not in job.params and job.params["recipients"] == 1  # the link is not kept


@override_settings(
    TASKS=DUMMY,
    EMAIL_BACKEND="birgemiz.jobs.mail.QueuedEmailBackend",
    EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
)
def test_an_e_mail_waits_for_the_worker_and_keeps_its_attachment(db):
    from django.core.mail import EmailMessage

    from birgemiz.jobs.mail import send_email

    message = EmailMessage("Есеп", "Тіркелген файл", "noreply@example.kz", ["a@example.kz"])
    message.attach("есеп.txt", "мәтін", "text/plain")
    assert message.send() == 1
    assert mail.outbox == []  # nothing left the request
    job = Job.objects.get(kind="email")
    send_email.call(str(job.pk))
    sent = mail.outbox[0]
    assert sent.subject == "Есеп" and sent.attachments[0][0] == "есеп.txt"


# ---------------------------------------------------------------- health


def test_healthz_reports_database_cache_storage_and_the_queue(client, db):
    response = client.get("/healthz", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    checks = response.json()
    assert {name.split("(")[0] for name in checks} == {"Database", "Cache", "Storage", "TaskQueue"}
    assert set(checks.values()) == {"OK"}


@override_settings(TASKS=DATABASE_QUEUE)
def test_healthz_fails_without_a_worker_seen_in_the_last_minute(client, db):
    response = client.get("/healthz?format=json")
    assert response.status_code == 500
    assert "no worker" in next(v for k, v in response.json().items() if k.startswith("TaskQueue"))
    WorkerBeat.objects.create(worker_id="w1", seen_at=timezone.now() - datetime.timedelta(minutes=5))
    assert client.get("/healthz?format=json").status_code == 500
    WorkerBeat.objects.create(worker_id="w2", seen_at=timezone.now())
    assert client.get("/healthz?format=json").status_code == 200


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_waiting_job_page_says_when_no_worker_runs(client, coordinator, program):
    client.force_login(coordinator)
    page = client.get(issue(client, program)["Location"])
    assert page.context["no_worker"] and "db_worker" in page.content.decode()
    WorkerBeat.objects.create(worker_id="w", seen_at=timezone.now())
    assert not client.get(page.wsgi_request.path).context["no_worker"]


# ---------------------------------------------------------------- cache, services, storage


def test_migrate_creates_the_database_cache_and_it_is_shared(db):
    from birgemiz.jobs.apps import create_cache_table

    with override_settings(CACHES=backing.cache_config("")):
        create_cache_table(sender=None)
        cache = caches["default"]
        cache.set("birgemiz:probe", 42)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {backing.CACHE_TABLE}")
            assert cursor.fetchone()[0] == 1  # in the database: every worker process reads it
        assert cache.get("birgemiz:probe") == 42


def test_it_reads_the_backing_services_from_the_environment():
    tasks, queues = backing.tasks_config("")
    assert tasks["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend" and queues is None
    tasks, queues = backing.tasks_config("redis://127.0.0.1:6379/0")
    assert tasks["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert queues["default"]["URL"] == "redis://127.0.0.1:6379/0"
    assert backing.cache_config(None)["default"]["BACKEND"].endswith("DatabaseCache")
    assert backing.cache_config("redis://r:6379/1")["default"]["BACKEND"].endswith("RedisCache")
    assert backing.media_storage("", {})["BACKEND"].endswith("FileSystemStorage")
    assert backing.media_storage("memory", {})["BACKEND"].endswith("InMemoryStorage")
    s3 = backing.media_storage("s3", {"MEDIA_BUCKET": "b", "MEDIA_ENDPOINT_URL": "https://s3.kz"})
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage" and s3["OPTIONS"]["default_acl"] == "private"
    with pytest.raises(ImproperlyConfigured):
        backing.media_storage("s3", {})
    with pytest.raises(ImproperlyConfigured):
        backing.tasks_config("amqp://x")
    assert backing.email_delivery_backend({}).endswith("console.EmailBackend")
    assert backing.email_delivery_backend({"EMAIL_HOST": "smtp.kz"}).endswith("smtp.EmailBackend")


def test_no_code_reaches_a_stored_file_by_its_path():
    """Files go through the storage API (S3 has no .path): no `.path` on a file field."""
    allowed = re.compile(r"\b(os|sys|request|self\.request|config|app_config|importlib)\.path\b")
    offenders = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in (".venv", "tests", "bench", "media", "staticfiles") or "migrations" in parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for match in re.finditer(r"[\w.\]\)]+\.path\b", line):
                if not allowed.search(match.group(0)):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}})
def test_an_import_and_an_issued_report_work_on_in_memory_storage(client, coordinator, program):
    from .factories import SchoolFactory

    SchoolFactory(name="№1 орта мектеп", district__region=program.region)
    client.force_login(coordinator)
    data = "\ufeffОқушы коды;Тегі;Аты;Жынысы;Сынып;Мектеп\nS1;Ахмет;Ерлан;M;10;№1 орта мектеп\n"
    upload = SimpleUploadedFile("s.csv", data.encode())
    client.post(reverse("registers:import", args=["students"]), {"program": program.code, "file": upload})
    import_job = ImportJob.objects.get()
    assert import_job.status == "done", import_job.report
    client.post(reverse("registers:job-confirm", args=[import_job.pk]), {"request_key": "z" * 32})
    assert Student.objects.filter(program=program, code="S1").exists()
    issue(client, program)
    issued = IssuedReport.objects.get()
    body = b"".join(client.get(reverse("reporting:issued-download", args=[program.code, issued.pk])))
    assert body.startswith(b"PK")
    assert io.BytesIO(body).getbuffer().nbytes == issued.size
