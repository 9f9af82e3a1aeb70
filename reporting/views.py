"""The final report page, issuing a report and downloading issued ones.

Grant officers reach every programme they can see and download its issued reports,
coordinators their own organisation's; anyone else gets 404. Issuing is POST-only, needs
write access (a coordinator of the programme: an officer gets 403) and runs in a worker:
the request answers at once with the job's page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from birgemiz.access import can_edit, staff_program
from birgemiz.jobs.models import Job
from birgemiz.jobs.services import clean_key, new_key

from .chart import growth_svg
from .models import IssuedReport
from .report import build_report
from .services import report_issue_start
from .tasks import ISSUE

LANGS = ("kk", "ru")


def _lang(value):
    return value if value in LANGS else "kk"


@login_required
@require_GET
def report_page(request, code):
    program = staff_program(request, code)
    lang = _lang(request.GET.get("lang", request.LANGUAGE_CODE))
    report = build_report(program, lang)
    issued = IssuedReport.objects.filter(program=program).select_related("issued_by")[:50]
    may_issue = can_edit(request.user, program)
    active = Job.objects.filter(program=program, kind=ISSUE, status__in=Job.ACTIVE)
    issuing = list(active[:5]) if may_issue else []
    with translation.override(lang):  # in the document's language, like the figures it sits on
        rows_title = _("Open the records this figure counts")
    return render(
        request,
        "reporting/report.html",
        {
            "program": program,
            "report": report,
            "lang": lang,
            "screen": True,
            "chart": growth_svg(report),
            "issued": issued,
            "may_issue": may_issue,
            "issuing": issuing,
            "request_key": new_key(),
            "rows_title": rows_title,
        },
    )


@login_required
@require_POST
def report_issue_view(request, code):
    program = staff_program(request, code, write=True)
    lang = _lang(request.POST.get("lang"))
    fmt = request.POST.get("format")
    if fmt not in IssuedReport.Format.values:
        messages.error(request, _("Choose PDF or XLSX."))
        return redirect(f"{reverse('reporting:report', args=[code])}?lang={lang}")
    job, _created = report_issue_start(
        program=program,
        language=lang,
        fmt=fmt,
        user=request.user,
        key=clean_key(request.POST.get("request_key")),
    )
    return redirect("jobs:detail", pk=job.pk)


@login_required
@require_GET
def issued_download(request, code, pk):
    program = staff_program(request, code)
    try:
        issued = IssuedReport.objects.get(pk=pk, program=program)
    except IssuedReport.DoesNotExist:
        raise Http404("No such report") from None
    return FileResponse(issued.file.open("rb"), as_attachment=True, filename=issued.download_name)
