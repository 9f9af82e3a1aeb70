"""A job's page: where it is (waiting, running with progress, done with the next step,
failed with the reason, cancelled), for whoever started it or may act on its programme.

Without JavaScript the page refreshes itself (`<noscript>` meta refresh) while the job
runs; with it, `jobs/job.js` polls `status.json` and reloads when the job ends. The
person may leave and come back: everything shown is in the database or the storage API,
and `/jobs/` lists the jobs they started.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from birgemiz.paging import page_of

from . import kinds, live
from .models import Job
from .services import is_alive, job_cancel, job_for, reap, workers_seen


def _state(job):
    """What the page and its JSON show of `job` (live progress while it runs)."""
    done, total = job.progress_done, job.progress_total
    cancelling = False
    if job.status == Job.Status.RUNNING:
        if not is_alive(job):
            reap(jobs=[job])
            job.refresh_from_db()
        beat = live.read(job.pk)
        if beat:
            done, total = beat.get("done") or 0, beat.get("total")
        cancelling = live.cancel_requested(job.pk)
    percent = min(100, int(100 * done / total)) if total else None
    return {
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "finished": job.finished,
        "done": done,
        "total": total,
        "percent": percent,
        "cancelling": cancelling,
    }


@login_required
@require_GET
def job_detail(request, pk):
    job = job_for(request.user, pk)
    state = _state(job)
    context = {
        "job": job,
        "label": kinds.label(job),
        "state": state,
        "no_worker": job.status == Job.Status.QUEUED and not workers_seen(),
        "errors": (job.result or {}).get("errors", [])[:1000],
        "back": job.params.get("back", ""),
        "status_url": reverse("jobs:status", args=[job.pk]),
    }
    return render(request, "jobs/job.html", context)


@login_required
@require_GET
def job_list(request):
    """The jobs this person started, newest first: where to come back to after leaving."""
    page = page_of(request, Job.objects.filter(user=request.user).select_related("program"))
    for job in page.object_list:
        job.label = kinds.label(job)
    return render(request, "jobs/job_list.html", {"page": page})


@login_required
@require_GET
def job_status(request, pk):
    job = job_for(request.user, pk)
    return JsonResponse(_state(job))


@login_required
@require_POST
def job_cancel_view(request, pk):
    job = job_for(request.user, pk)
    if job_cancel(job):
        messages.info(request, _("Cancelling: nothing the job did is kept."))
    else:
        messages.error(request, _("The job has already ended."))
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_GET
def job_download(request, pk):
    job = job_for(request.user, pk)
    if job.status != Job.Status.DONE or not job.result_file:
        raise Http404("No file")
    filename = (job.result or {}).get("filename") or "result"
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=filename)
