"""The coordinator's certificates and awards pages (grant officers read them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from birgemiz.access import can_edit, staff_program
from birgemiz.alphabet import kazakh_sorted
from birgemiz.idempotency import idempotent
from volunteers.models import Award, Certificate, Volunteer

from .. import awards as award_services
from ..awards import award_ranking
from ..forms import AwardConfirmForm, CertificateIssueForm
from ..training import ready_volunteer_ids


@login_required
@require_GET
def certificates(request, program_code):
    program = staff_program(request, program_code)
    ready = ready_volunteer_ids(program)
    volunteers = (
        (program.volunteers.filter(pk__in=ready) | program.volunteers.filter(awards__isnull=False))
        .distinct()
        .order_by("last_name", "first_name", "id")
        .prefetch_related(
            Prefetch("certificates", queryset=Certificate.objects.order_by("kind", "id")),
            Prefetch("awards", queryset=Award.objects.order_by("awarded_on", "id")),
        )
    )
    return render(
        request,
        "assessments/certificates.html",
        {
            "program": program,
            "volunteers": kazakh_sorted(volunteers, key=lambda v: f"{v.last_name} {v.first_name}"),
            "ready": ready,
            "form": CertificateIssueForm(),
            "can_edit": can_edit(request.user, program),
        },
    )


@login_required
@require_POST
@idempotent
def certificate_issue(request, program_code, pk):
    program = staff_program(request, program_code, write=True)
    volunteer = get_object_or_404(Volunteer, program=program, pk=pk)
    form = CertificateIssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a language."))
        return redirect("assessments:certificates", program_code=program.code)
    award = None
    kind = request.POST.get("kind", Certificate.Kind.TRAINING)
    if kind == Certificate.Kind.AWARD:
        award = get_object_or_404(Award, program=program, volunteer=volunteer, pk=request.POST.get("award"))
    elif kind != Certificate.Kind.TRAINING:
        raise Http404("Unknown kind")
    try:
        award_services.certificate_issue(
            volunteer=volunteer, kind=kind, award=award, language=form.cleaned_data["language"]
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Certificate issued."))
    return redirect("assessments:certificates", program_code=program.code)


@login_required
@require_GET
def awards(request, program_code):
    program = staff_program(request, program_code)
    rows, extremes = award_ranking(program)
    try:
        top = max(0, int(request.GET.get("top", "")))
    except ValueError:
        top = (len(rows) + 2) // 3
    form = AwardConfirmForm(
        program=program,
        initial={
            "volunteers": [r.volunteer.pk for r in rows[:top]],
        },
    )
    return render(
        request,
        "assessments/awards.html",
        {
            "program": program,
            "rows": rows,
            "extremes": extremes,
            "form": form,
            "top": top,
            "can_edit": can_edit(request.user, program),
            "existing": program.awards.select_related("volunteer", "meeting").order_by("awarded_on", "id"),
        },
    )


@login_required
@require_POST
@idempotent
def awards_confirm(request, program_code):
    program = staff_program(request, program_code, write=True)
    form = AwardConfirmForm(request.POST, program=program)
    if not form.is_valid():
        rows, extremes = award_ranking(program)
        return render(
            request,
            "assessments/awards.html",
            {
                "program": program,
                "rows": rows,
                "extremes": extremes,
                "form": form,
                "top": 0,
                "can_edit": True,
                "existing": program.awards.select_related("volunteer", "meeting").order_by(
                    "awarded_on", "id"
                ),
            },
            status=400,
        )
    created = award_services.awards_confirm(
        program=program,
        meeting=form.cleaned_data["meeting"],
        volunteers=form.cleaned_data["volunteers"],
        title=form.cleaned_data["title"],
        awarded_on=form.cleaned_data["awarded_on"],
        language=form.cleaned_data["language"],
    )
    messages.success(
        request,
        ngettext("%(n)s award recorded.", "%(n)s awards recorded.", len(created)) % {"n": len(created)},
    )
    return redirect("assessments:awards", program_code=program.code)
