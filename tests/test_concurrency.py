"""Concurrent writes wait instead of failing: 8 volunteers posting a lesson at the same
moment all get their lesson saved (SQLite, the default, answered 7 of 8 with 500
«database is locked» before it ran in WAL mode with IMMEDIATE transactions).

The posts run in a separate process with the project's real settings against a real
database: a copy of the test database in a file for SQLite (the test database itself
lives in memory, where locking is different), the test database itself for PostgreSQL.
"""

import datetime
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from .factories import CourseGroupFactory, EnrollmentFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
POSTERS = 8

# Each thread is one volunteer's browser: log in (a session write), then post a lesson
# for their own group. Threads start together behind a barrier.
SCRIPT = """
import json, sys, threading, django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from courses.models import Lesson

jobs = json.loads(sys.argv[1])
barrier = threading.Barrier(len(jobs))
statuses, errors = [], []

def post(job):
    client = Client()
    client.force_login(get_user_model().objects.get(username=job["user"]))
    data = {"date": job["date"], "hours": "2", "topic": "Concurrent", "platform": "zoom",
            "present": job["present"]}
    barrier.wait()
    try:
        response = client.post(reverse("courses:lesson_new", args=[job["group"]]), data)
        statuses.append(response.status_code)
    except Exception as exc:  # a 500 raised through the test client
        errors.append(repr(exc))

threads = [threading.Thread(target=post, args=(job,)) for job in jobs]
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({"statuses": statuses, "errors": errors,
                  "lessons": Lesson.objects.filter(topic="Concurrent").count()}))
"""


def _database_url(tmp_path):
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        # Copy the in-memory test database (schema and the rows made here) into a file.
        target = tmp_path / "concurrency.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{target}"
    user, password = settings_dict.get("USER") or "", settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_eight_volunteers_post_a_lesson_at_once_and_all_are_saved(program, track, tmp_path):
    program.start, program.end = datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)
    program.save()
    jobs = []
    for i in range(POSTERS):
        user = UserFactory(username=f"concurrent{i}", roles=["volunteer"])
        group = CourseGroupFactory(program=program, track=track)
        group.volunteer.user = user
        group.volunteer.save()
        present = [str(EnrollmentFactory(group=group).student_id) for _ in range(3)]
        jobs.append(
            {"user": user.username, "group": group.pk, "date": f"2024-03-{i + 1:02d}", "present": present}
        )
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="birgemiz.settings",
        DEBUG="True",
        DATABASE_URL=_database_url(tmp_path),
        BIRGEMIZ_TESTING="True",
        AXES_ENABLED="False",
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(jobs)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert sorted(outcome["statuses"]) == [302] * POSTERS  # each redirected to its group
    assert outcome["lessons"] == POSTERS


def test_sqlite_waits_for_the_lock_instead_of_failing(settings):
    """The settings the concurrent test relies on (checked here on every run, fast)."""
    from django.conf import settings as live

    default = live.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL locks rows (select_for_update) and waits by itself")
    options = default["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]
