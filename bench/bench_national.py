"""National scale on PostgreSQL: 20 synthetic regions (≈32 000 students), then the dashboard,
every admin changelist, one programme's final report (against the demo programme), and the
consolidated XLSX of all 20 programmes.

`python -m bench national`. Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth, or
BENCH_PG_URL=postgres://user:pass@host:port); skips with a message when it is not reachable.
The work runs in a child process with its own database (birgemiz_bench_national, dropped and
created again), so the other benchmarks' SQLite setup does not matter.
BENCH_REUSE=1 keeps an already generated database (saves the ~5 minutes of generation).
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.util import recreate_pg_database

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "birgemiz_bench_national"
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
LIMITS = {"dashboard_ms": 500, "changelist_ms": 300, "consolidated_s": 15}


def _pg_reachable():
    try:
        import psycopg2

        psycopg2.connect(f"{PG_BASE}/postgres", connect_timeout=3).close()
        return True, ""
    except Exception as error:  # noqa: BLE001 - any failure means "skip", with its reason
        return False, str(error).strip().splitlines()[0]


def _database_exists():
    import psycopg2

    conn = psycopg2.connect(f"{PG_BASE}/postgres")
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        found = cur.fetchone() is not None
    conn.close()
    return found


def run():
    ok, why = _pg_reachable()
    if not ok:
        print(f"SKIPPED: PostgreSQL is not reachable at {PG_BASE} ({why}).")
        print("Start PostgreSQL on 127.0.0.1:5432 (or set BENCH_PG_URL) to run the national benchmark.")
        return
    reuse = os.environ.get("BENCH_REUSE") == "1" and _database_exists()
    if not reuse:
        recreate_pg_database(PG_BASE, DB_NAME)
    env = dict(os.environ, DATABASE_URL=f"{PG_BASE}/{DB_NAME}", DEBUG="True", AXES_ENABLED="False")
    env["BENCH_GENERATE"] = "0" if reuse else "1"
    subprocess.run([sys.executable, "-m", "bench.bench_national", "--child"], cwd=ROOT, env=env, check=True)


# ---------------------------------------------------------------- the child process


def _timed(fn, repeat=5):
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return result, times


def _ms(times):
    return f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"


def child():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birgemiz.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    # A coordinator meets 403s on auth/axes pages: expected, and not worth a traceback each.
    import logging

    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    if os.environ.get("BENCH_GENERATE") == "1":
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"migrate: {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        call_command("generate_programs", regions=20, scale=1)
        print(f"generate_programs --regions 20 --scale 1: {time.perf_counter() - started:.1f} s", flush=True)
        started = time.perf_counter()
        call_command("load_demo")
        print(f"load_demo: {time.perf_counter() - started:.1f} s", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    counts, officer, superuser, coordinator = _people()
    officer_client, coord_client = _client_for(officer), _client_for(coordinator)
    _bench_dashboard(counts, officer_client, coord_client)
    _bench_changelists(_client_for(superuser), coord_client)
    _bench_reports()


def _client_for(user):
    from django.test import Client

    c = Client(HTTP_HOST="127.0.0.1")
    c.force_login(user)
    return c


def _people():
    """The data's size, and the officer, superuser and coordinator the pages are read as."""
    from django.contrib.auth.models import Group, User

    from birgemiz import roles
    from birgemiz.models import Organization, Program

    counts = {
        "programmes": Program.objects.count(),
        "students": __import__("courses.models").models.Student.objects.count(),
        "attendance rows": __import__("courses.models").models.Attendance.objects.count(),
        "test results": __import__("assessments.models").models.TestResult.objects.count(),
        "survey responses": __import__("surveys.models").models.SurveyResponse.objects.count(),
    }
    print("data: " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)

    officer, _ = User.objects.get_or_create(username="bench-officer")
    officer.groups.add(Group.objects.get(name=roles.OFFICER))
    superuser, _ = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    coordinator, _ = User.objects.get_or_create(username="bench-coordinator", defaults={"is_staff": True})
    coordinator.groups.add(Group.objects.get(name=roles.COORDINATOR))
    org = Organization.objects.filter(programs__code="syn-bko-2020").first()
    org.members.add(coordinator)
    return counts, officer, superuser, coordinator


def _bench_dashboard(counts, officer_client, coord_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def dashboard(params=None):
        response = officer_client.get("/dashboard/", params or {})
        assert response.status_code == 200, response.status_code
        return response

    dashboard({"fresh": "1"})  # warm-up: templates, translations
    _r, cold = _timed(lambda: dashboard({"fresh": "1"}), 7)
    _r, warm = _timed(dashboard, 7)
    with CaptureQueriesContext(connection) as all_q:
        dashboard({"fresh": "1"})
    with CaptureQueriesContext(connection) as one_q:
        dashboard({"region": "bko", "fresh": "1"})
    with CaptureQueriesContext(connection) as warm_q:
        dashboard()
    verdict = "OK" if statistics.median(cold) * 1000 < LIMITS["dashboard_ms"] else "OVER"
    print(
        f"dashboard, officer, {counts['programmes']} programmes, computed (?fresh=1): {_ms(cold)} "
        f"[{verdict} < {LIMITS['dashboard_ms']} ms]; from the 5-minute cache: {_ms(warm)}, "
        f"{len(warm_q.captured_queries)} queries",
        flush=True,
    )
    print(
        f"dashboard queries: {len(all_q.captured_queries)} for all {counts['programmes']} programmes, "
        f"{len(one_q.captured_queries)} for one region",
        flush=True,
    )
    _r, times = _timed(lambda: coord_client.get("/dashboard/"), 5)
    print(f"dashboard, coordinator (own programme): {_ms(times)}", flush=True)


def _bench_changelists(admin_client, coord_client):
    from django.apps import apps
    from django.contrib import admin

    over = []
    rows = []
    registered = [m for m in apps.get_models() if admin.site.is_registered(m)]
    for model in sorted(registered, key=lambda m: m._meta.label):
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for who, c in (("superuser", admin_client), ("coordinator", coord_client)):
            response = c.get(url)
            if response.status_code != 200:
                continue
            _r, times = _timed(lambda c=c, url=url: c.get(url), 3)
            median = statistics.median(times) * 1000
            rows.append((median, url, who))
            if median >= LIMITS["changelist_ms"]:
                over.append(f"{url} ({who}) {median:.0f} ms")
    rows.sort(reverse=True)
    print(f"admin changelists: {len(rows)} pages measured (superuser and coordinator); slowest:", flush=True)
    for median, url, who in rows[:8]:
        print(f"  {median:6.0f} ms  {url} ({who})", flush=True)
    print(
        f"admin changelists over {LIMITS['changelist_ms']} ms: {', '.join(over) if over else 'none'}",
        flush=True,
    )


def _bench_reports():
    """One programme's final report (the demo and its synthetic twin), then the consolidated XLSX."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from birgemiz.models import Program
    from reporting.consolidated import build_consolidated
    from reporting.render_xlsx import render_xlsx
    from reporting.report import build_report

    for code in ("bko-2020", "syn-bko-2020"):
        program = Program.objects.filter(code=code).select_related("organization", "region").first()
        if program is None:
            print(f"report {code}: not there", flush=True)
            continue
        _r, times = _timed(lambda program=program: build_report(program), 3)
        with CaptureQueriesContext(connection) as q:
            report = build_report(program)
        _x, xt = _timed(lambda report=report: render_xlsx(report), 1)
        print(
            f"final report {code} ({program.students.count()} students): build {_ms(times)}, "
            f"{len(q.captured_queries)} queries; XLSX render {xt[0] * 1000:.0f} ms",
            flush=True,
        )

    programs = list(
        Program.objects.filter(is_synthetic=True).select_related("organization", "region").order_by("code")
    )
    started = time.perf_counter()
    content = render_xlsx(build_consolidated(programs, "kk"))
    elapsed = time.perf_counter() - started
    verdict = "OK" if elapsed < LIMITS["consolidated_s"] else "OVER"
    print(
        f"consolidated XLSX of {len(programs)} programmes: {elapsed:.1f} s, {len(content) // 1024} KiB "
        f"[{verdict} < {LIMITS['consolidated_s']} s]",
        flush=True,
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(ROOT))
        child()
