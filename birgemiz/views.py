"""Project-level views: the landing page that sends each role to its place and shows
visitors what they can do without an account, and the scoped download of evidence files."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from . import public_pages, roles
from .access import may_download_evidence, programs_for
from .models import Evidence, Program

# Where each role starts, most specific first.
ROLE_HOMES = (
    (roles.is_volunteer, "assessments:portal"),
    (roles.is_council, "volunteers:council"),
    (roles.is_officer, "dashboard:index"),
    (roles.is_operator, "dashboard:index"),
    (roles.is_coordinator, "dashboard:index"),
)


@require_GET
def home(request):
    user = request.user
    for check, url_name in ROLE_HOMES:
        if user.is_authenticated and check(user):
            try:
                return redirect(reverse(url_name))
            except NoReverseMatch:
                continue
    if user.is_authenticated and (user.is_staff or user.is_superuser):
        return redirect("admin:index")
    return render(request, "home.html", {"programs": public_programs()})


def public_programs():
    """The programmes a visitor can take part in (not closed, not generated), each with
    its public pages (open surveys…) as `public_links`."""
    programs = list(
        Program.objects.filter(is_synthetic=False)
        .exclude(status__in=[Program.Status.CLOSED, Program.Status.DRAFT])
        .select_related("organization")
        .order_by("-start", "code")
    )
    links = public_pages.links_for(programs)
    for program in programs:
        program.public_links = links.get(program.pk, [])
    return programs


@login_required
@require_GET
def evidence_download(request, pk):
    # Evidence is served only through the user's programme scope, never from MEDIA_URL,
    # and only to the staff who keep or check it: not to volunteers or council members.
    if not may_download_evidence(request.user):
        raise Http404("No such file")
    try:
        evidence = Evidence.objects.get(pk=pk, program__in=programs_for(request.user))
    except Evidence.DoesNotExist:
        raise Http404("No such file") from None
    if not evidence.file:
        raise Http404("No file")
    filename = evidence.file.name.rsplit("/", 1)[-1]
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=filename)
