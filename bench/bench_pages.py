"""Everyday pages at the demo's size, each beside a baseline in the same run (#18 item 3):

- the on-screen final report (`/programs/bko-2020/report/`), with the connection kept between
  requests as deployed (`DB_CONN_MAX_AGE=60` under gunicorn), beside a bare login-required
  view of the same stack (the volunteer portal's home, which reads a few rows): its time
  and its query count, which must not grow with the programme;
- the admin's `each_context` with the registers' integration beside the same call without
  it (`site.each_context.without_registers`): the integration must add nothing measurable.

    .venv/bin/python -m bench pages
"""

import io
import statistics
import time

from bench.util import setup_django

REPEAT = 30
REPORT_AIM_MS = 100


def _median_ms(fn, repeat=REPEAT):
    fn()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run():
    setup_django("pages")
    import os

    from django.conf import settings
    from django.contrib import admin
    from django.contrib.auth.models import User
    from django.core import signals
    from django.core.management import call_command
    from django.db import close_old_connections, connection, reset_queries
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    # As in the test suite: one connection for the run (queries are counted on it).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    call_command("load_demo", reset=True, stdout=io.StringIO())
    coordinator = User.objects.get(username="coordinator")
    client = Client()
    client.force_login(coordinator)
    volunteer = Client()
    volunteer.force_login(User.objects.get(username="volunteer"))

    def report():
        assert client.get("/programs/bko-2020/report/").status_code == 200

    def bare():
        assert volunteer.get("/portal/").status_code == 200

    # Counted at once from an empty log: the log is a bounded deque (the demo's loading fills
    # it) that each later request empties, and `queries` only slices it.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        report()
    report_queries = len(queries)
    with CaptureQueriesContext(connection) as queries:
        bare()
    bare_queries = len(queries)
    load = os.getloadavg()[0]
    report_ms, bare_ms = _median_ms(report), _median_ms(bare)
    print(
        f"report page: {report_ms:.1f} ms median of {REPEAT} ({report_queries} queries); "
        f"bare portal page {bare_ms:.1f} ms ({bare_queries} queries); ratio {report_ms / bare_ms:.1f}×; "
        f"aim {REPORT_AIM_MS} ms; load average {load:.2f}",
        flush=True,
    )
    if report_ms > REPORT_AIM_MS:
        print(f"!! the report page takes {report_ms:.0f} ms (aim {REPORT_AIM_MS} ms)")

    request = RequestFactory().get("/admin/courses/student/")
    request.user = coordinator
    wrapped = admin.site.each_context
    plain = wrapped.without_registers
    with_ms = _median_ms(lambda: [wrapped(request) for _ in range(100)])
    without_ms = _median_ms(lambda: [plain(request) for _ in range(100)])
    print(
        f"admin each_context ×100: {with_ms:.2f} ms with the registers, {without_ms:.2f} ms without; "
        f"ratio {with_ms / without_ms:.2f}×; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
