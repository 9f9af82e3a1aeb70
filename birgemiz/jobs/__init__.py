"""Long work off the request: one job model, one status page, one runner (the core).

A request that starts long work (an import, issuing a report, a consolidated report, the
dashboard's re-check, an e-mail) creates a `Job` with an idempotency key and enqueues a
task through Django's task API (`django_tasks`); a worker process runs it. Domain apps
define their tasks (`<app>/tasks.py`) and wrap their work in `runner.execute`, which
claims the job, keeps its heartbeat and progress, honours a cancel, and records how it
ended. The core imports no domain app: a kind of job registers its label (and, where it
owns files, what to do when a job is abandoned) in `kinds`.

- `models`: `Job` (state, progress, result, the request's key), `WorkerBeat`;
- `services`: start (exactly once), cancel, reap jobs whose worker died;
- `runner`: what a task does around its work; `live`: a running job's heartbeat,
  progress and cancel flag in the storage API;
- `views`: the status page (meta refresh without JavaScript, polling with it), its
  JSON, cancel and the result's download; `health`: `/healthz`;
- `mail`: every e-mail goes out through the e-mail task.
"""
