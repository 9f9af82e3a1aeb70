"""Views of the nationwide dashboard (thin: selectors in `reporting.dashboard.selectors`,
the consolidated report in `reporting.consolidated`).

Grant officers see every programme; coordinators see their organisation's. Anyone
else signed in gets a 404 (the page does not exist for them), anonymous users the
login page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from birgemiz import roles

from ..consolidated import build_consolidated, consolidated_filename
from ..render_pdf import render_pdf
from ..render_xlsx import render_xlsx
from . import charts, selectors
from .warnings import apply_cached_warnings, warnings_refresh

PAGE_SIZE = 25


def _require_reader(user):
    if not (roles.is_officer(user) or roles.is_coordinator(user)):
        raise Http404("No dashboard for this user")


def _filters(request, years, regions):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and int(year) in years else None
    region = request.GET.get("region", "")
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


@login_required
@require_POST
def recheck(request):
    """Run the report checks of the programmes in view and remember their warning counts."""
    _require_reader(request.user)
    years, regions = selectors.filter_options(request.user)
    year, region = _filters(request, years, regions)
    programs = selectors.scoped_programs(request.user, year=year, region=region).select_related(
        "organization", "region"
    )
    n = warnings_refresh(programs)
    messages.success(request, _("Checked the reports of %(n)s programmes.") % {"n": n})
    query = urlencode({k: v for k, v in (("year", year), ("region", region)) if v})
    return redirect(reverse("dashboard:index") + (f"?{query}" if query else ""))


@login_required
@require_GET
def consolidated(request):
    """The consolidated report of the ticked programmes (or all the filter shows) as XLSX or PDF."""
    _require_reader(request.user)
    fmt = request.GET.get("format", "xlsx")
    lang = request.GET.get("lang", "kk")
    if fmt not in ("xlsx", "pdf") or lang not in ("kk", "ru"):
        raise Http404("Unknown format or language")
    years, regions = selectors.filter_options(request.user)
    year, region = _filters(request, years, regions)
    programs = selectors.scoped_programs(request.user, year=year, region=region)
    if request.GET.get("all") != "1":
        # Codes outside the user's scope simply match nothing.
        programs = programs.filter(code__in=request.GET.getlist("p"))
    programs = list(
        programs.select_related("organization", "region").order_by("region__name_kk", "code")
    )
    if not programs:
        messages.error(request, _("Tick at least one programme for the consolidated report."))
        return redirect("dashboard:index")
    report = build_consolidated(programs, lang)
    if fmt == "pdf":
        content, mime = render_pdf(report), "application/pdf"
    else:
        content = render_xlsx(report)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=mime)
    name = consolidated_filename(programs, lang, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
