"""Long work off the request, measured through a real web server and a real worker.

    .venv/bin/python -m bench jobs        (part of `make bench`)

On SQLite (the default database; WAL, IMMEDIATE transactions) with the database queue: the
demo is loaded into a throwaway database, gunicorn (2 workers × 4 threads) and
`manage.py db_worker` are started on it, and a coordinator, through the pages:

1. issues the demo's PDF: how long the POST takes to answer, and how long until the worker
   has made the PDF (the job's page says "done");
2. presses "issue" 20 times at once (20 threads, 20 request keys) for the same report:
   how many jobs and issued reports that makes;
3. uploads a 50 000-row survey file through the admin, watches the progress on the job
   page, confirms, and meanwhile opens other pages every half second: their latencies.

The load average (1 min) is printed beside each figure.
"""

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

from bench.loadtest import Browser, csrf, free_port
from bench.util import setup_django

ROOT = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_JOBS_ROWS", "50000"))
PAGES = ("/", "/dashboard/", "/programs/bko-2020/lessons/", "/admin/")


def load():
    return f"load {os.getloadavg()[0]:.2f}"


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload(browser, path, fields, files):
    import http.client

    body, content_type = multipart(fields, files)
    headers = {
        "Host": "127.0.0.1",
        "Referer": f"http://127.0.0.1:{browser.port}{path}",
        "Content-Type": content_type,
        "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items()),
    }
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=120)
    conn.request("POST", path, body=body, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, response.getheader("Location", ""), time.perf_counter() - started


def login(port, stats, lock):
    browser = Browser(port, stats, lock)
    browser.cookies["django_language"] = "en"  # the pages' words the script reads
    _s, content, _l = browser.request("login form", "GET", "/accounts/login/")
    status, _c, location = browser.request(
        "login",
        "POST",
        "/accounts/login/",
        {"csrfmiddlewaretoken": csrf(content), "username": "coordinator", "password": "birgemiz-demo"},
    )
    assert status == 302, f"log-in failed: {status}"
    return browser


def warm_up(browser):
    """Every gunicorn worker loads its code before anything is timed: a few report pages and
    an "issue" without a format (refused, no job) at once."""
    token = issue_form(browser)

    def visit():
        browser.request("warm-up", "GET", "/programs/bko-2020/report/?lang=kk")
        browser.request("warm-up", "POST", "/programs/bko-2020/report/issue/", {"csrfmiddlewaretoken": token})

    threads = [threading.Thread(target=visit) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def issue_form(browser):
    _s, content, _l = browser.request("report page", "GET", "/programs/bko-2020/report/?lang=kk")
    return csrf(content)


def wait_job(job_id, timeout=900):
    from birgemiz.jobs.models import Job

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.get(pk=job_id)
        if job.finished:
            return job
        time.sleep(0.2)
    raise RuntimeError(f"job {job_id} did not finish")


def watch_pages(browser, stop):
    """Another coordinator opens other pages every half second while the import runs."""
    while not stop.is_set():
        for path in PAGES:
            browser.request(f"page {path} (during the import)", "GET", path)
        time.sleep(0.5)


def summary(label, values):
    if not values:
        return f"{label}: none"
    values = sorted(values)
    p95 = values[int(0.95 * (len(values) - 1))]
    return (
        f"{label}: n={len(values)} median {statistics.median(values) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {values[-1] * 1000:.0f} ms"
    )


def issue_pdf(browser, stats):
    """1. The PDF, then two more reports asked for while the worker renders it."""
    from birgemiz.jobs.models import Job
    from reporting.models import IssuedReport

    token = issue_form(browser)
    before = time.perf_counter()
    status, _c, location = browser.request(
        "issue POST", "POST", "/programs/bko-2020/report/issue/",
        {"csrfmiddlewaretoken": token, "lang": "kk", "format": "pdf", "request_key": uuid.uuid4().hex},
    )  # fmt: skip
    answered = time.perf_counter() - before
    job_id = location.rstrip("/").split("/")[-1]
    print(
        f"issue the demo PDF: the POST answered {status} in {answered * 1000:.0f} ms, {load()}",
        flush=True,
    )
    for _ in range(100):  # the worker picks it up (it polls every second)
        if Job.objects.get(pk=job_id).status != "queued":
            break
        time.sleep(0.1)
    others = []
    for lang, fmt in (("ru", "pdf"), ("ru", "xlsx")):
        token = issue_form(browser)
        status, _c, where = browser.request(
            "issue POST while the worker renders", "POST", "/programs/bko-2020/report/issue/",
            {"csrfmiddlewaretoken": token, "lang": lang, "format": fmt, "request_key": uuid.uuid4().hex},
        )  # fmt: skip
        others.append(where.rstrip("/").split("/")[-1])
    running = Job.objects.get(pk=job_id).status
    print(
        f"  meanwhile 2 more issue POSTs (ru PDF, ru XLSX) answered in "
        f"{', '.join(f'{t * 1000:.0f}' for t in stats['issue POST while the worker renders'])} ms "
        f"(the kk PDF's job: {running}), {load()}",
        flush=True,
    )
    job = wait_job(job_id)
    print(
        f"  the worker made it: job {job.status} after {time.perf_counter() - before:.1f} s "
        f"(PDF {IssuedReport.objects.filter(format='pdf', language='kk').get().size // 1024} KiB), "
        f"{load()}",
        flush=True,
    )
    for other in others:
        wait_job(other)


def twenty_presses(browser, lock):
    """2. Twenty presses of "issue" at once for the same report."""
    from birgemiz.jobs.models import Job
    from reporting.models import IssuedReport

    token = issue_form(browser)
    locations = []

    def press():
        fields = {"csrfmiddlewaretoken": token, "lang": "kk", "format": "xlsx"}
        s, _c, where = browser.request(
            "issue POST x20", "POST", "/programs/bko-2020/report/issue/",
            {**fields, "request_key": uuid.uuid4().hex},
        )  # fmt: skip
        with lock:
            locations.append((s, where))

    threads = [threading.Thread(target=press) for _ in range(20)]
    before = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - before
    jobs = Job.objects.filter(kind="report-issue", params__format="xlsx", params__lang="kk")
    wait_job(jobs.first().pk)
    print(
        f"20 concurrent issue POSTs (kk XLSX): {len(locations)} answers in {elapsed * 1000:.0f} ms, "
        f"{len({w for _s, w in locations})} distinct job page(s), {jobs.count()} job(s), "
        f"{IssuedReport.objects.filter(format='xlsx', language='kk').count()} issued report(s), "
        f"{load()}",
        flush=True,
    )


def survey_import(browser, port, stats, lock, program, schools):
    """3. The 50 000-row survey import through the admin, with pages opened meanwhile."""
    from bench.bench_import import _write_file  # the same 50 000 rows as `bench import`
    from birgemiz.registers.models import ImportJob

    path = Path(os.environ.get("TMPDIR", "/tmp")) / "birgemiz-bench-jobs.csv"
    _write_file(str(path), schools, ROWS)
    data = path.read_bytes()
    _s, content, _l = browser.request("import form", "GET", "/admin/registers/survey-responses/import/")
    key = re.search(r'name="request_key" value="([^"]+)"', content).group(1)
    reader = login(port, stats, lock)
    for _ in range(10):  # the same pages with nothing running, for comparison
        for page in PAGES:
            reader.request(f"idle {page}", "GET", page)
    print(f"  the pages idle: {load()}", flush=True)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_pages, args=(reader, stop))
    watcher.start()
    before = time.perf_counter()
    status, location, took = upload(
        browser, "/admin/registers/survey-responses/import/",
        {"csrfmiddlewaretoken": csrf(content), "program": program.code, "request_key": key},
        {"file": ("responses.csv", data)},
    )  # fmt: skip
    print(
        f"upload {ROWS} survey rows ({len(data) / 2**20:.1f} MB): answered {status} in "
        f"{took * 1000:.0f} ms → {location}, {load()}",
        flush=True,
    )
    import_id = int(location.rstrip("/").split("/")[-1])
    seen = phase_progress(browser, import_id, "preview")
    print(
        f"  preview done in {time.perf_counter() - before:.1f} s; the job page showed "
        f"{seen or 'no'} row counts on the way, {load()}",
        flush=True,
    )
    _s, page, _l = browser.request("job page", "GET", f"/admin/registers/jobs/{import_id}/")
    confirm_key = re.search(r'name="request_key" value="([^"]+)"', page).group(1)
    before = time.perf_counter()
    browser.request(
        "confirm", "POST", f"/admin/registers/jobs/{import_id}/confirm/",
        {"csrfmiddlewaretoken": csrf(page), "request_key": confirm_key},
    )  # fmt: skip
    seen = phase_progress(browser, import_id, "import")
    stop.set()
    watcher.join()
    done = ImportJob.objects.get(pk=import_id)
    print(
        f"  written in {time.perf_counter() - before:.1f} s: new {done.report.get('new')}, "
        f"progress shown {seen}, {load()}",
        flush=True,
    )


def run():
    os.environ.setdefault("DEBUG", "True")
    os.environ.pop("TASKS_URL", None)  # the database queue, the default
    setup_django("jobs")
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from bench.bench_import import _world

    program, schools = _world()  # the import benchmark's programme, region and survey
    started = time.perf_counter()
    call_command("load_demo", verbosity=0)
    print(f"load_demo: {time.perf_counter() - started:.1f} s, {load()}", flush=True)
    program.organization.members.add(get_user_model().objects.get(username="coordinator"))

    port = free_port()
    env = dict(os.environ, LOG_LEVEL="ERROR", JOBS_HEARTBEAT_SECONDS="2")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "birgemiz.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2",
         "--threads", "4", "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    worker = subprocess.Popen(
        # At a lower CPU priority, as README → Deployment runs it (Nice=10).
        ["nice", "-n", "10", sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
         "--verbosity", "0"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    stats, lock = defaultdict(list), threading.Lock()
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        browser = login(port, stats, lock)
        warm_up(browser)

        issue_pdf(browser, stats)
        twenty_presses(browser, lock)
        survey_import(browser, port, stats, lock, program, schools)
        for label in sorted(stats):
            if label.startswith(("page ", "idle ", "issue")):
                print("  " + summary(label, stats[label]), flush=True)
        errors = stats.get("_errors", [])
        print(f"  server errors: {len(errors)} {errors[:3]}", flush=True)
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (server, worker):
            process.wait(timeout=60)


def phase_progress(browser, import_id, phase):
    """Poll the admin job page until the phase is done; the row counts it showed on the way."""
    from birgemiz.registers.models import ImportJob

    counts = []
    while True:
        _s, page, _l = browser.request("job page", "GET", f"/admin/registers/jobs/{import_id}/")
        match = re.search(r"([\d\s\u00a0]+) (row|rows) checked", page)
        if match:
            counts.append(int(re.sub(r"\D", "", match.group(1))))
        job = ImportJob.objects.get(pk=import_id)
        if job.phase == phase and job.finished:
            return sorted(set(counts))[:3] + (["…", max(counts)] if len(set(counts)) > 3 else [])
        time.sleep(1)
