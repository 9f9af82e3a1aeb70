"""Shared helpers for benchmarks: a fresh database per benchmark and a timer that
reports wall time and peak Python memory (tracemalloc) and process RSS."""

import contextlib
import os
import resource
import tempfile
import time
import tracemalloc


def setup_django(db_name):
    """Point Django at a throwaway SQLite file (or DATABASE_URL if set) and migrate it."""
    if "DATABASE_URL" not in os.environ:
        path = os.path.join(tempfile.gettempdir(), f"birgemiz-bench-{db_name}.sqlite3")
        if os.path.exists(path):
            os.remove(path)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birgemiz.settings")
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="birgemiz-bench-media-"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


@contextlib.contextmanager
def measure(label, results=None):
    tracemalloc.start()
    started = time.perf_counter()
    box = {}
    try:
        yield box
    finally:
        elapsed = time.perf_counter() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        line = f"{label}: {elapsed:.2f} s, peak Python memory {peak / 2**20:.1f} MiB"
        line += f", max RSS {rss_mb:.0f} MiB"
        for key, value in box.items():
            line += f", {key} {value}"
        print(line, flush=True)
        if results is not None:
            results.append((label, elapsed, peak))


def recreate_pg_database(base_url, name):
    """Drop and create database `name` on the PostgreSQL server at `base_url`."""
    import psycopg2

    conn = psycopg2.connect(f"{base_url}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
