"""The final report page, issuing a report and downloading issued ones.

Grant officers reach every programme they can see, coordinators their own organisation's;
anyone else gets 404. Issuing is POST-only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from birgemiz.access import staff_program

from .chart import growth_svg
from .models import IssuedReport
from .report import build_report
from .services import report_issue

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
            "rows_title": _("Open the records this figure counts"),
        },
    )


@login_required
@require_POST
def report_issue_view(request, code):
    program = staff_program(request, code)
    lang = _lang(request.POST.get("lang"))
    fmt = request.POST.get("format")
    if fmt not in IssuedReport.Format.values:
        messages.error(request, _("Choose PDF or XLSX."))
        return redirect(f"{reverse('reporting:report', args=[code])}?lang={lang}")
    issued = report_issue(program=program, language=lang, fmt=fmt, user=request.user)
    if issued.warnings:
        messages.warning(
            request,
            _("Report issued with %(n)s warning(s); they are listed in its annex.") % {"n": issued.warnings},
        )
    else:
        messages.success(request, _("Report issued."))
    return redirect(f"{reverse('reporting:report', args=[code])}?lang={lang}#issued")


@login_required
@require_GET
def issued_download(request, code, pk):
    program = staff_program(request, code)
    try:
        issued = IssuedReport.objects.get(pk=pk, program=program)
    except IssuedReport.DoesNotExist:
        raise Http404("No such report") from None
    return FileResponse(issued.file.open("rb"), as_attachment=True, filename=issued.download_name)
