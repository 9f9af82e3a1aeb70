"""Reporting's background work: issuing a report, a consolidated report, the re-check.

Each runs in a worker through `birgemiz.jobs.runner.execute`; the person waits on the
job's page (`jobs:detail`), which links to the issued report, the consolidated file or
the dashboard when the job is done.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birgemiz.jobs import kinds, runner
from birgemiz.jobs.api import task

ISSUE = "report-issue"
CONSOLIDATED = "consolidated"
RECHECK = "dashboard-recheck"

kinds.register(ISSUE, gettext_lazy("Issuing the final report %(code)s: %(format_label)s, %(lang_label)s"))
kinds.register(CONSOLIDATED, gettext_lazy("Consolidated report of %(count)s programme(s): %(format_label)s"))
kinds.register(RECHECK, gettext_lazy("Re-checking the reports of the dashboard's programmes"))


@task()
def issue_report(job_id):
    return runner.execute(job_id, _issue)


def _issue(job, progress):
    from .services import report_issue

    def done(issued):
        runner.complete(
            job,
            summary=_("Report issued with %(n)s warning(s); they are listed in its annex.")
            % {"n": issued.warnings}
            if issued.warnings
            else _("Report issued."),
            url=reverse("reporting:issued-download", args=[job.program.code, issued.pk]),
            result={"issued": issued.pk, "warnings": issued.warnings},
        )

    report_issue(
        program=job.program,
        language=job.params["lang"],
        fmt=job.params["format"],
        user=job.user,
        check=progress.check,
        on_kept=done,
    )


@task()
def consolidated_report(job_id):
    return runner.execute(job_id, _consolidated)


def _consolidated(job, progress):
    from .consolidated import build_consolidated, consolidated_filename
    from .dashboard.selectors import scoped_programs
    from .render_pdf import render_pdf
    from .render_xlsx import render_xlsx

    user = get_user_model().objects.get(pk=job.user_id)
    params = job.params
    programs = scoped_programs(user, year=params.get("year"), region=params.get("region"))
    if not params.get("all"):
        programs = programs.filter(code__in=params.get("codes", []))
    programs = list(programs.select_related("organization", "region").order_by("region__name_kk", "code"))
    if not programs:
        raise runner.JobFailed(_("None of the chosen programmes is yours to see any more."))
    progress.update(0, len(programs))
    report = build_consolidated(programs, params["lang"])
    progress.update(len(programs), len(programs))
    data = render_pdf(report) if params["format"] == "pdf" else render_xlsx(report)
    progress.check()
    return {
        "summary": _("The consolidated report of %(n)s programme(s) is ready.") % {"n": len(programs)},
        "file": data,
        "filename": consolidated_filename(programs, params["lang"], params["format"]),
    }


@task()
def recheck_reports(job_id):
    return runner.execute(job_id, _recheck)


def _recheck(job, progress):
    from .dashboard.selectors import scoped_programs
    from .dashboard.warnings import warnings_refresh

    user = get_user_model().objects.get(pk=job.user_id)
    params = job.params
    programs = list(
        scoped_programs(user, year=params.get("year"), region=params.get("region")).select_related(
            "organization", "region"
        )
    )
    progress.update(0, len(programs))
    checked = 0
    for program in programs:  # one report build each: the progress moves per programme
        checked += warnings_refresh([program])
        progress.update(checked, len(programs))
    query = urlencode(
        {k: v for k, v in (("year", params.get("year")), ("region", params.get("region"))) if v}
    )
    return {
        "summary": _("Checked the reports of %(n)s programmes.") % {"n": checked},
        "url": reverse("dashboard:index") + (f"?{query}" if query else ""),
    }
