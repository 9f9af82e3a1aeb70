"""Load test: 50 volunteers at once log lessons and enter scores through the real portal pages,
served by gunicorn on 127.0.0.1, for 2 minutes; then the rows are counted.

    .venv/bin/python -m bench.loadtest [--users 50] [--seconds 120] [--workers 4]

Needs PostgreSQL like the national benchmark (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432)
and uses a database of its own (birgemiz_loadtest, dropped and created). Each simulated volunteer
signs in through the login form, then loops (with 0.5–1.5 s of "thinking" between pages):
open the group, open the lesson form, post a lesson with its attendance, open the score grid,
post two changed scores. Every volunteer stops after `--seconds` or 200 actions, whichever first.

Afterwards it proves that nothing was lost or written twice: every lesson the server accepted
(a redirect after the POST) is in the database exactly once, with one attendance row per
enrolled student, and every score equals the last value that volunteer posted for it.
"""

import argparse
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

from bench.util import recreate_pg_database

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "birgemiz_loadtest"
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "load-test-Volunteer-2020"
MAX_ACTIONS = 200


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A tiny HTTP client with a cookie jar that, like a browser behind TLS, keeps every cookie."""

    def __init__(self, port, stats, lock):
        self.port = port
        self.cookies = {}
        self.stats = stats
        self.lock = lock
        self.errors = []

    def request(self, label, method, path, fields=None):
        body = urllib.parse.urlencode(fields, doseq=True) if fields is not None else None
        headers = {"Host": "127.0.0.1", "Referer": f"http://127.0.0.1:{self.port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode("utf-8", "replace")
            status = response.status
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _sep, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            location = response.getheader("Location", "")
        except Exception as error:  # noqa: BLE001 - a failed request is counted, not raised
            status, content, location = 0, str(error), ""
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        with self.lock:
            self.stats[label].append(elapsed)
            if status == 0 or status >= 500:
                self.stats["_errors"].append((label, status, content[:200]))
        return status, content, location


def csrf(content):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    return match.group(1) if match else ""


def volunteer_session(port, username, group_id, deadline, stats, lock, ledger, rng):
    b = Browser(port, stats, lock)
    status, content, _ = b.request("login form", "GET", "/accounts/login/")
    status, _c, location = b.request(
        "login", "POST", "/accounts/login/",
        {"csrfmiddlewaretoken": csrf(content), "username": username, "password": PASSWORD},
    )
    if status != 302:
        with lock:
            stats["_errors"].append(("login", status, username))
        return
    actions = 0
    n = 0
    while time.monotonic() < deadline and actions < MAX_ACTIONS:
        n += 1
        b.request("group page", "GET", f"/portal/groups/{group_id}/")
        time.sleep(rng.uniform(0.5, 1.5))
        status, content, _ = b.request("lesson form", "GET", f"/portal/groups/{group_id}/lessons/new/")
        present = re.findall(r'name="present" value="(\d+)"', content)
        topic = f"load {username} #{n}"
        day = ledger["today"] - __import__("datetime").timedelta(days=rng.randint(0, 20))
        status, _c, location = b.request(
            "lesson post", "POST", f"/portal/groups/{group_id}/lessons/new/",
            {
                "csrfmiddlewaretoken": csrf(content), "date": day.isoformat(), "hours": "2",
                "topic": topic, "platform": "zoom", "notes": "", "present": present,
            },
        )
        if status == 302:
            with lock:
                ledger["lessons"][topic] = len(present)
        else:
            with lock:
                stats["_errors"].append(("lesson post not accepted", status, topic))
        time.sleep(rng.uniform(0.5, 1.5))
        status, content, _ = b.request("score grid", "GET", f"/portal/groups/{group_id}/scores/")
        cells = dict(re.findall(r'name="((?:pre|post)_\d+)"[^>]*?value="([^"]*)"', content))
        for name in re.findall(r'name="((?:pre|post)_\d+)"', content):
            cells.setdefault(name, "")
        if cells:
            for name in rng.sample(sorted(cells), min(2, len(cells))):
                cells[name] = f"{rng.randint(0, 100)}"
            status, _c, _l = b.request(
                "scores post", "POST", f"/portal/groups/{group_id}/scores/",
                {"csrfmiddlewaretoken": csrf(content), **cells},
            )
            if status == 302:
                with lock:
                    for name, value in cells.items():
                        ledger["scores"][name] = value
            else:
                with lock:
                    stats["_errors"].append(("scores post not accepted", status, username))
        actions += 1
        time.sleep(rng.uniform(0.5, 1.5))


def prepare(users):
    """A fresh database with one synthetic programme running today and `users` volunteer logins."""
    import datetime

    recreate_pg_database(PG_BASE, DB_NAME)
    os.environ["DATABASE_URL"] = f"{PG_BASE}/{DB_NAME}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birgemiz.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from birgemiz import roles
    from birgemiz.models import Program
    from courses.models import CourseGroup

    call_command("migrate", verbosity=0, interactive=False)
    today = datetime.date.today()
    # Scale 0.5 gives ~55 volunteers, each with a group of ~15 students.
    call_command("generate_programs", regions=1, scale=max(0.5, users / 100), year=today.year, verbosity=0)
    program = Program.objects.get()
    program.start = min(program.start, today - datetime.timedelta(days=60))
    program.end = max(program.end, today)
    program.save()
    role = Group.objects.get(name=roles.VOLUNTEER)
    logins = []
    groups = list(CourseGroup.objects.filter(program=program).select_related("volunteer").order_by("id"))
    for i, group in enumerate(groups[:users]):
        user = User.objects.create_user(f"load{i:03d}", password=PASSWORD)
        user.groups.add(role)
        group.volunteer.user = user
        group.volunteer.save(update_fields=["user"])
        logins.append((user.username, group.pk))
    if len(logins) < users:
        raise SystemExit(f"only {len(logins)} groups for {users} volunteers")
    return logins, today


def verify(ledger):
    from decimal import Decimal

    from assessments.models import TestResult
    from courses.models import Attendance, Lesson

    problems = []
    lessons = list(Lesson.objects.filter(topic__startswith="load ").values_list("id", "topic"))
    topics = [t for _i, t in lessons]
    doubled = {t for t in topics if topics.count(t) > 1}
    lost = set(ledger["lessons"]) - set(topics)
    unexpected = set(topics) - set(ledger["lessons"])
    if doubled:
        problems.append(f"{len(doubled)} lessons written twice")
    if lost:
        problems.append(f"{len(lost)} accepted lessons missing")
    if unexpected:
        problems.append(f"{len(unexpected)} lessons the server did not confirm")
    attendance = defaultdict(int)
    for topic in Attendance.objects.filter(lesson__topic__startswith="load ").values_list(
        "lesson__topic", flat=True
    ):
        attendance[topic] += 1
    wrong_attendance = [t for t, n in ledger["lessons"].items() if attendance[t] != n]
    if wrong_attendance:
        problems.append(f"{len(wrong_attendance)} lessons with a wrong number of attendance rows")
    current = {
        f"{kind}_{sid}": score
        for sid, kind, score in TestResult.objects.filter(student__isnull=False).values_list(
            "student_id", "kind", "score"
        )
    }
    wrong_scores = []
    for name, value in ledger["scores"].items():
        want = Decimal(value) if value != "" else None
        got = current.get(name)
        if (want is None) != (got is None) or (want is not None and Decimal(got) != want):
            wrong_scores.append(name)
    if wrong_scores:
        problems.append(f"{len(wrong_scores)} scores differ from the last value posted")
    return len(lessons), sum(attendance.values()), len(ledger["scores"]), problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    try:
        import psycopg2

        psycopg2.connect(f"{PG_BASE}/postgres", connect_timeout=3).close()
    except Exception as error:  # noqa: BLE001
        print(f"SKIPPED: PostgreSQL is not reachable at {PG_BASE} ({error}).")
        return 0

    started = time.perf_counter()
    logins, today = prepare(args.users)
    print(f"prepared {len(logins)} volunteers in {time.perf_counter() - started:.0f} s", flush=True)

    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"{PG_BASE}/{DB_NAME}",
        DEBUG="False",
        SECRET_KEY="load-test-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="False",
        DB_CONN_MAX_AGE="60",
        LOG_LEVEL="ERROR",
        STATIC_ROOT=str(Path(os.environ.get("TMPDIR", "/tmp")) / "birgemiz-loadtest-static"),
    )
    # DEBUG off serves hashed static names from the manifest: collect them first, as a deploy does.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "birgemiz.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", str(args.workers), "--threads", "4", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        print(f"gunicorn on 127.0.0.1:{port}, {args.workers} workers × 4 threads", flush=True)
        stats = defaultdict(list)
        lock = threading.Lock()
        ledger = {"lessons": {}, "scores": {}, "today": today}
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=volunteer_session,
                args=(port, username, group_id, deadline, stats, lock, ledger, random.Random(i)),
            )
            for i, (username, group_id) in enumerate(logins)
        ]
        run_started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - run_started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    total = sum(len(v) for k, v in stats.items() if not k.startswith("_"))
    print(f"{args.users} volunteers, {wall:.0f} s, {total} requests ({total / wall:.1f}/s)")
    everything = []
    for label in sorted(k for k in stats if not k.startswith("_")):
        times = sorted(stats[label])
        everything += times
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"  {label:14s} n={len(times):5d}  median {statistics.median(times) * 1000:6.0f} ms  "
            f"p95 {p95 * 1000:6.0f} ms  max {times[-1] * 1000:6.0f} ms"
        )
    everything.sort()
    print(f"  all requests   p95 {everything[int(0.95 * (len(everything) - 1))] * 1000:.0f} ms")
    errors = stats.get("_errors", [])
    print(f"errors (5xx, refused, or a write not accepted): {len(errors)}")
    for e in errors[:10]:
        print("  ", e)
    lessons, attendance, scores, problems = verify(ledger)
    print(
        f"rows: {lessons} lessons (server accepted {len(ledger['lessons'])}), {attendance} attendance rows, "
        f"{scores} score cells checked against the last value posted"
    )
    print("lost or doubled writes: " + ("; ".join(problems) if problems else "none"))
    return 1 if problems or errors else 0


if __name__ == "__main__":
    sys.exit(main())
