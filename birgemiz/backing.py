"""The backing services, chosen by environment variables (read by `birgemiz/settings.py`).

Pure functions of the variables' values, so each choice is tested without a running
service. What each value means is in README.md ("Configuration" and "Deployment"):

- `TASKS_URL`: where long work waits for a worker. Unset or `database`: the database
  queue (django-tasks-db, worker `manage.py db_worker`); `redis://host:port/db`: RQ on
  Redis (django-tasks-rq, worker `manage.py rqworker`); `immediate`: run in the request
  (the test suite's default, never for production).
- `CACHE_URL`: unset or `database`: the database cache (table `birgemiz_cache`, created
  by `migrate`); `redis://…`: Redis; `locmem`: per process (tests).
- `MEDIA_STORAGE`: `filesystem` (default, `MEDIA_ROOT`), `s3` (django-storages; the
  `MEDIA_*` variables below), `memory` (Django's InMemoryStorage; tests).
- e-mail: console unless `EMAIL_HOST` (SMTP) or `EMAIL_BACKEND` says otherwise.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

CACHE_TABLE = "birgemiz_cache"
QUEUE = "default"


def _is_redis(url):
    return urlsplit(url).scheme in ("redis", "rediss", "unix")


def tasks_config(url):
    """(TASKS, RQ_QUEUES or None) for the value of TASKS_URL."""
    url = (url or "database").strip()
    if url == "database":
        return {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [QUEUE]}}, None
    if url == "immediate":
        return {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}, None
    if _is_redis(url):
        tasks = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [QUEUE]}}
        # A job runs at most an hour (the biggest import takes about a minute).
        return tasks, {QUEUE: {"URL": url, "DEFAULT_TIMEOUT": 3600}}
    raise ImproperlyConfigured(f"TASKS_URL must be 'database', 'immediate' or redis://…, not {url!r}")


def cache_config(url):
    """CACHES for the value of CACHE_URL."""
    url = (url or "database").strip()
    if url == "database":
        backend = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    elif url == "locmem":
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    elif _is_redis(url):
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    else:
        raise ImproperlyConfigured(f"CACHE_URL must be 'database', 'locmem' or redis://…, not {url!r}")
    return {"default": {**backend, "KEY_PREFIX": "birgemiz"}}


def media_storage(kind, env):
    """The STORAGES["default"] entry for MEDIA_STORAGE (`env`: the environment mapping)."""
    kind = (kind or "filesystem").strip()
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind == "memory":
        return {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    if kind == "s3":
        missing = [name for name in ("MEDIA_BUCKET", "MEDIA_ENDPOINT_URL") if not env.get(name)]
        if missing:
            raise ImproperlyConfigured(f"MEDIA_STORAGE=s3 needs {', '.join(missing)}")
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env["MEDIA_BUCKET"],
                "endpoint_url": env["MEDIA_ENDPOINT_URL"],
                "region_name": env.get("MEDIA_REGION", ""),
                "access_key": env.get("MEDIA_ACCESS_KEY", ""),
                "secret_key": env.get("MEDIA_SECRET_KEY", ""),
                # Private files: the application streams them after a scope check.
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem, s3 or memory, not {kind!r}")


def email_delivery_backend(env):
    """The backend the e-mail task hands messages to: EMAIL_BACKEND, else SMTP when
    EMAIL_HOST is set, else the console."""
    if env.get("EMAIL_BACKEND"):
        return env["EMAIL_BACKEND"]
    if env.get("EMAIL_HOST"):
        return "django.core.mail.backends.smtp.EmailBackend"
    return "django.core.mail.backends.console.EmailBackend"
