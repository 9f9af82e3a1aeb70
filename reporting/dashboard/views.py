"""Views of the nationwide dashboard (thin: selectors in `reporting.dashboard.selectors`,
the consolidated report in `reporting.consolidated`). The re-check and the consolidated
report build many reports: both are background jobs (`reporting.tasks`), and the POST
answers with the job's page.

Grant officers see every programme; coordinators see their organisation's. Anyone
else signed in gets a 404 (the page does not exist for them), anonymous users the
login page.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from birgemiz import roles
from birgemiz.jobs.services import clean_key, job_start, new_key

from .. import tasks
from . import charts, selectors
from .warnings import apply_cached_warnings

PAGE_SIZE = 25


def _require_reader(user):
    if not (roles.is_officer(user) or roles.is_operator(user) or roles.is_coordinator(user)):
        raise Http404("No dashboard for this user")


def _filters(request, years, regions, data=None):
    data = request.GET if data is None else data
    year = data.get("year", "")
    year = int(year) if year.isdigit() and int(year) in years else None
    region = data.get("region", "")
    region = region if region in {r.code for r in regions} else None
    return year, region


@login_required
@require_GET
def index(request):
    _require_reader(request.user)
    lang = (get_language() or "kk")[:2]
    years, regions = selectors.filter_options(request.user)
    year, region = _filters(request, years, regions)
    sort = request.GET.get("sort", "region")
    sort = sort if sort in selectors.SORTS else "region"
    descending = request.GET.get("dir") == "desc"

    rows, progress, computed_at = selectors.dashboard_figures(
        request.user, year=year, region=region, lang=lang, fresh=request.GET.get("fresh") == "1"
    )
    # Warnings change on re-check; read them fresh (no query) rather than from the figures.
    apply_cached_warnings(rows)
    rows = selectors.sort_rows(rows, sort, descending)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))

    base = {k: v for k, v in (("year", year), ("region", region)) if v}
    sort_links = {
        key: "?"
        + urlencode(
            {
                **base,
                "sort": key,
                "dir": "asc" if key == sort and descending else ("desc" if key == sort else "asc"),
            }
        )
        for key in selectors.SORTS
    }
    page_query = urlencode({**base, "sort": sort, "dir": "desc" if descending else "asc"})
    context = {
        "page": page,
        "computed_at": computed_at,
        "rows_total": len(rows),
        "years": years,
        "regions": regions,
        "year": year,
        "region": region,
        "sort": sort,
        "descending": descending,
        "sort_links": sort_links,
        "page_query": page_query,
        "filter_query": urlencode(base),
        "totals": _totals(rows),
        "growth_chart": charts.growth_chart(
            selectors.growth_by_region(rows), _("Growth per track across regions, percentage points")
        ),
        "growth_table": selectors.growth_by_region(rows),
        "progress": progress,
        "progress_chart": charts.progress_chart(
            progress,
            _("Progress against plan over the months"),
            {
                "students": _("students enrolled, percent of plan"),
                "hours": _("lesson hours confirmed, percent of plan"),
            },
        ),
        "per_month_rule": selectors.PUBLICATIONS_PER_MONTH,
        "request_key": new_key(),
    }
    return render(request, "reporting/dashboard/index.html", context)


def _totals(rows):
    return {
        "students": sum(r.students for r in rows),
        "planned_students": sum(r.planned_students for r in rows),
        "volunteers": sum(r.volunteers for r in rows),
        "planned_volunteers": sum(r.planned_volunteers for r in rows),
        "hours": sum(r.hours for r in rows),
        "met": sum(r.met for r in rows),
        "missed": sum(r.missed for r in rows),
        "issued": sum(1 for r in rows if r.issued_at),
    }


def _work_key(kind, user, *parts):
    """One job per person and identical request while it is queued or running."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"{kind}:{user.pk}:{digest}"


@login_required
@require_POST
def recheck(request):
    """Re-run the report checks of the programmes in view (a job) and remember their warnings."""
    _require_reader(request.user)
    years, regions = selectors.filter_options(request.user)
    year, region = _filters(request, years, regions)
    query = urlencode({k: v for k, v in (("year", year), ("region", region)) if v})
    back = reverse("dashboard:index") + (f"?{query}" if query else "")
    job, _created = job_start(
        kind=tasks.RECHECK,
        task=tasks.recheck_reports,
        key=clean_key(request.POST.get("request_key")),
        user=request.user,
        lock=_work_key(tasks.RECHECK, request.user, year, region),
        params={"year": year, "region": region, "back": back},
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_POST
def consolidated(request):
    """The consolidated report of the ticked programmes (or all the filter shows) as XLSX or
    PDF, made by a job; its page offers the file when it is ready."""
    _require_reader(request.user)
    fmt = request.POST.get("format", "xlsx")
    lang = request.POST.get("lang", "kk")
    if fmt not in ("xlsx", "pdf") or lang not in ("kk", "ru"):
        raise Http404("Unknown format or language")
    years, regions = selectors.filter_options(request.user)
    year, region = _filters(request, years, regions, request.POST)
    everything = request.POST.get("all") == "1"
    programs = selectors.scoped_programs(request.user, year=year, region=region)
    if not everything:
        # Codes outside the user's scope simply match nothing.
        programs = programs.filter(code__in=request.POST.getlist("p"))
    codes = sorted(programs.values_list("code", flat=True))
    if not codes:
        messages.error(request, _("Tick at least one programme for the consolidated report."))
        return redirect("dashboard:index")
    job, _created = job_start(
        kind=tasks.CONSOLIDATED,
        task=tasks.consolidated_report,
        key=clean_key(request.POST.get("request_key")) + f":{fmt}",
        user=request.user,
        lock=_work_key(tasks.CONSOLIDATED, request.user, year, region, everything, codes, fmt, lang),
        params={
            "format": fmt,
            "format_label": fmt.upper(),
            "lang": lang,
            "year": year,
            "region": region,
            "all": everything,
            "codes": codes,
            "count": len(codes),
            "back": reverse("dashboard:index"),
        },
    )
    return redirect("jobs:detail", pk=job.pk)
