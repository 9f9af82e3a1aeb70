"""What the core knows of each kind of job, filled by the app that defines its task.

`register(kind, label, on_end=None)`: `label` is a lazy string, formatted with the job's
`params` (e.g. "Final report, %(format)s"); `on_end(job)` runs when a job of this kind
ends without being done (failed, cancelled, abandoned by its worker), for the app's own
records and files (an import's upload). The core imports no domain app, so each app
registers its kinds when its tasks module is imported (at start-up by its AppConfig or
its views).
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kind:
    name: str
    label: Any
    on_end: Any = None


_KINDS = {}


def register(name, label, on_end=None):
    _KINDS[name] = Kind(name, label, on_end)
    return _KINDS[name]


def get(name):
    return _KINDS.get(name)


def label(job):
    kind = _KINDS.get(job.kind)
    if kind is None:
        return job.kind
    try:
        return str(kind.label) % {k: v for k, v in job.params.items() if isinstance(v, (str, int))}
    except (KeyError, TypeError, ValueError):
        return str(kind.label)


def ended(job):
    """Tell the kind's app that `job` ended without being done."""
    kind = _KINDS.get(job.kind)
    if kind is not None and kind.on_end is not None:
        kind.on_end(job)
