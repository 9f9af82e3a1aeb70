"""A running job's heartbeat, progress and cancel flag, as small objects in the storage API.

Not in the database: on SQLite (the default) an import holds the only write lock from its
first row to its commit, so nothing else could record that it is alive, how far it got, or
that someone pressed "cancel". The storage API works the same on one disk and on an S3
bucket shared by several servers; nothing here is a file beside an upload or a `.path`.

    jobs/live/<id>.json     {"at": ISO time, "attempt": n, "done": n, "total": n|null}
    jobs/live/<id>.cancel   present when someone asked to cancel
"""

import datetime
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

PREFIX = "jobs/live"


def _beat_name(job_id):
    return f"{PREFIX}/{job_id}.json"


def _cancel_name(job_id):
    return f"{PREFIX}/{job_id}.cancel"


def write(job_id, *, attempt, done=0, total=None):
    name = _beat_name(job_id)
    data = {"at": timezone.now().isoformat(), "attempt": attempt, "done": done, "total": total}
    default_storage.delete(name)
    default_storage.save(name, ContentFile(json.dumps(data).encode()))


def read(job_id):
    """The last heartbeat as a dict with `at` a datetime, or None."""
    try:
        with default_storage.open(_beat_name(job_id), "rb") as handle:
            data = json.loads(handle.read())
        data["at"] = datetime.datetime.fromisoformat(data["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return data


def request_cancel(job_id):
    name = _cancel_name(job_id)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"cancel"))


def cancel_requested(job_id):
    try:
        return default_storage.exists(_cancel_name(job_id))
    except OSError:
        return False


def clear(job_id):
    for name in (_beat_name(job_id), _cancel_name(job_id)):
        try:
            default_storage.delete(name)
        except OSError:
            pass
