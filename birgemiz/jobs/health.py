"""/healthz for a load balancer: the database, the cache, the storage and the task queue.

200 when all four answer, 500 otherwise (django-health-check; `?format=json` or
`Accept: application/json` for a machine, HTML for a person). The task queue is healthy
when a worker was seen within JOBS_WORKER_SEEN_SECONDS (RQ's own worker registry on
Redis, `WorkerBeat` for the database queue). The probe also reaps jobs whose worker died,
so even a deployment without a cron puts them back in the queue.
"""

import dataclasses

from asgiref.sync import sync_to_async
from django.conf import settings
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


def _workers_seen():
    from .services import reap, workers_seen

    reap()
    return workers_seen()


@dataclasses.dataclass
class TaskQueue(HealthCheck):
    """A worker is taking jobs (seen in the last JOBS_WORKER_SEEN_SECONDS)."""

    async def run(self):
        # In the request's own thread and database connection (thread_sensitive).
        if not await sync_to_async(_workers_seen, thread_sensitive=True)():
            raise ServiceUnavailable(f"no worker seen in the last {settings.JOBS_WORKER_SEEN_SECONDS} s")


healthz = HealthCheckView.as_view(checks=(Database, Cache, Storage, TaskQueue))
