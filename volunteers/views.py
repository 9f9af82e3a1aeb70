"""Public application form and verification page; the council's scoring; the
coordinators' ranking, meetings, training, certificates and awards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from birgemiz.access import can_edit, staff_program
from birgemiz.antibot import rate_limit_count, rate_limit_message, rate_limit_reached
from birgemiz.idempotency import idempotent
from birgemiz.models import Program

from . import codes, selectors, services
from .certificates import render_certificate_pdf
from .forms import (
    ApplicationForm,
    MeetingForm,
    ScoreForm,
)
from .models import (
    ActivationToken,
    Award,
    Certificate,
    CouncilMeeting,
    Volunteer,
    VolunteerApplication,
)

# ---------------------------------------------------------------- public


def _open_program(code):
    program = (
        Program.objects.select_related("region")
        .filter(code=code)
        .exclude(status=Program.Status.CLOSED)
        .first()
    )
    if program is None:
        raise Http404("No such programme")
    return program


@require_http_methods(["GET", "POST"])
@idempotent
def apply(request, code):
    program = _open_program(code)
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, program=program)
        if rate_limit_reached(request, f"apply:{program.pk}"):
            form.is_valid()
            form.add_error(None, rate_limit_message(request, f"apply:{program.pk}"))
            status = 429
        elif form.honeypot_filled():
            rate_limit_count(request, f"apply:{program.pk}")
            return redirect("volunteers:apply-thanks", code=program.code)
        elif form.is_valid():
            try:
                services.application_submit(program=program, data=form.application_data())
            except ValidationError as exc:
                if getattr(exc, "code", None) != "duplicate":
                    form.add_error(None, exc.messages)
                else:
                    # «Already received» would tell anyone that this e-mail or IIN applied:
                    # the first application stands, and the page thanks them the same.
                    rate_limit_count(request, f"apply:{program.pk}")
                    return redirect("volunteers:apply-thanks", code=program.code)
            else:
                rate_limit_count(request, f"apply:{program.pk}")
                return redirect("volunteers:apply-thanks", code=program.code)
    else:
        form = ApplicationForm(program=program)
    return render(request, "volunteers/apply.html", {"program": program, "form": form}, status=status)


@require_GET
def apply_thanks(request, code):
    program = _open_program(code)
    return render(request, "volunteers/apply_thanks.html", {"program": program})


@require_GET
def verify(request, code=None):
    """The public check of a certificate: a box to type a code (/verify/?code=…) and the
    answer for one (/verify/CODE/). A short code is found whatever its case and dashes,
    and the address is made the printed form of it."""
    if code is None:
        typed = codes.normalise(request.GET.get("code", ""))[:60]
        if typed and "/" not in typed:
            return redirect("volunteers:verify", code=typed)
        context = {"code": typed, "asked": bool(typed), "found": False}
        return render(request, "volunteers/verify.html", context, status=404 if typed else 200)
    wanted = codes.normalise(code)
    if wanted != code:
        return redirect("volunteers:verify", code=wanted)
    cert = Certificate.objects.select_related("volunteer", "program", "award").filter(code=code).first()
    context = {"code": code, "asked": True, "found": False}
    if cert is not None:
        context.update(
            found=True,
            name=cert.volunteer.full_name,
            program=cert.program,
            kind=cert.get_kind_display(),
            award_title=cert.award.title if cert.award else "",
            date=cert.issued_on,
        )
    else:
        award = Award.objects.select_related("volunteer", "program").filter(certificate_code=code).first()
        if award is not None:
            context.update(
                found=True,
                name=award.volunteer.full_name,
                program=award.program,
                kind=Certificate.Kind.AWARD.label,
                award_title=award.title,
                date=award.awarded_on,
            )
    return render(request, "volunteers/verify.html", context, status=200 if context["found"] else 404)


# As Django's password reset does: the secret moves from the address into the session
# at once, so it never stays in the browser's history or a Referer header.
ACTIVATION_SESSION_KEY = "_birgemiz_activation_secret"
ACTIVATION_URL_TOKEN = "set-password"


@require_http_methods(["GET", "POST"])
@idempotent
def activate(request, token):
    if token != ACTIVATION_URL_TOKEN:
        link = ActivationToken.find(token)
        if link is None or not link.is_usable():
            return render(request, "volunteers/activate_invalid.html", status=410 if link else 404)
        request.session[ACTIVATION_SESSION_KEY] = token
        return redirect("volunteers:activate", token=ACTIVATION_URL_TOKEN)
    link = ActivationToken.find(request.session.get(ACTIVATION_SESSION_KEY))
    if link is None or not link.is_usable():
        return render(request, "volunteers/activate_invalid.html", status=410 if link else 404)
    form = SetPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_activate(token=link, password=form.cleaned_data["new_password1"])
        except ValidationError:
            return render(request, "volunteers/activate_invalid.html", status=410)
        request.session.pop(ACTIVATION_SESSION_KEY, None)
        messages.success(request, _("Your account is ready. Log in with your new password."))
        return redirect("login")
    return render(request, "volunteers/activate.html", {"form": form, "link": link})


# ---------------------------------------------------------------- council


@login_required
@require_GET
def council(request):
    seats = list(selectors.member_seats(request.user))
    if not seats:
        raise Http404("Not a council member")
    unscored_only = request.GET.get("show") == "unscored"
    programs = []
    for seat in seats:
        rows = selectors.council_rows(seat)
        todo = sum(1 for r in rows if not r["scored"])
        if unscored_only:
            rows = [r for r in rows if not r["scored"]]
        programs.append({"seat": seat, "rows": rows, "todo": todo})
    return render(request, "volunteers/council.html", {"programs": programs, "unscored_only": unscored_only})


def _next_unscored(seat, after):
    """The member's next application without a complete sheet, in the list's order
    (wrapping round), or None when every one is scored."""
    rows = selectors.council_rows(seat)
    ids = [r["app"].pk for r in rows]
    start = ids.index(after.pk) + 1 if after.pk in ids else 0
    for r in rows[start:] + rows[:start]:
        if not r["scored"] and r["app"].pk != after.pk:
            return r["app"]
    return None


def _seat_for_application(user, pk):
    application = get_object_or_404(
        VolunteerApplication.objects.select_related("program", "track", "district"), pk=pk
    )
    seat = selectors.member_seats(user).filter(program=application.program).first()
    if seat is None:
        raise Http404("No such application")
    return application, seat


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def council_application(request, pk):
    application, seat = _seat_for_application(request.user, pk)
    criteria = list(application.program.criteria.order_by("order", "id"))
    table = selectors.scores_table(application)
    mine = table.get(seat, {})
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=mine)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.application_scores_set(application=application, member=seat, scores=form.scores())
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                following = _next_unscored(seat, application)
                if following is None:
                    messages.success(request, _("Your scores are saved. You have scored every application."))
                    return redirect("volunteers:council")
                messages.success(request, _("Your scores are saved. Here is the next application to score."))
                return redirect("volunteers:council-application", pk=following.pk)
    wanted = {c.pk for c in criteria}
    complete = {member: scores for member, scores in table.items() if wanted and wanted <= set(scores)}
    scored = seat in complete
    others = average = None
    if scored:
        # Only after scoring every criterion does a member see the others' complete sheets.
        others = []
        all_scores = []
        for member, scores in sorted(complete.items(), key=lambda kv: kv[0].pk):
            values = [scores.get(c.pk) for c in criteria]
            all_scores.extend(values)
            others.append({"member": member, "values": values, "mean": sum(values) / len(values)})
        average = sum(all_scores) / len(all_scores)
    return render(
        request,
        "volunteers/council_application.html",
        {
            "application": application,
            "seat": seat,
            "form": form,
            "criteria": criteria,
            "others": others,
            "average": average,
            "scored": scored,
            "partial": bool(mine) and not scored,
            "next_app": None if request.method == "POST" else _next_unscored(seat, application),
        },
    )


# ---------------------------------------------------------------- coordinators: ranking and meetings


@login_required
@require_GET
def ranking(request, program_code):
    program = staff_program(request, program_code)
    track = None
    if request.GET.get("track", "").isdigit():
        track = program.tracks.filter(pk=request.GET["track"]).first()
    rows = selectors.application_ranking(program, track=track)
    council_size = program.council.count()
    return render(
        request,
        "volunteers/ranking.html",
        {
            "program": program,
            "rows": rows,
            "council_size": council_size,
            "tracks": program.tracks.order_by("order", "id"),
            "track": track,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def meetings(request, program_code):
    program = staff_program(request, program_code, write=request.method == "POST")
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        program=program,
        initial={"number": program.council_meetings.count() + 1, "date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        services.meeting_save(meeting=meeting, attendees=form.cleaned_data["attendees"])
        messages.success(request, _("Meeting saved."))
        return redirect("volunteers:meeting", program_code=program.code, number=meeting.number)
    items = program.council_meetings.annotate(
        n_attended=Count("attendees", distinct=True), n_decided=Count("decided_applications", distinct=True)
    ).order_by("number")
    return render(
        request,
        "volunteers/meetings.html",
        {
            "program": program,
            "meetings": items,
            "form": form,
            "can_edit": can_edit(request.user, program),
        },
    )


def _meeting(program, number):
    return get_object_or_404(CouncilMeeting, program=program, number=number)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def meeting(request, program_code, number):
    program = staff_program(request, program_code, write=request.method == "POST")
    item = _meeting(program, number)
    form = MeetingForm(request.POST or None, request.FILES or None, instance=item, program=program)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        services.meeting_save(meeting=saved, attendees=form.cleaned_data["attendees"])
        messages.success(request, _("Meeting saved."))
        return redirect("volunteers:meeting", program_code=program.code, number=saved.number)
    writer = can_edit(request.user, program)
    return render(
        request,
        "volunteers/meeting.html",
        {
            "program": program,
            "meeting": item,
            "form": form,
            "applications": selectors.application_ranking(program),
            "decisions": VolunteerApplication.Decision.choices,
            # Accounts are opened by those who may write the programme, never by readers.
            "pending_accounts": selectors.pending_accounts(program, item) if writer else [],
            "can_edit": writer,
            "council_size": program.council.count(),
        },
    )


def _links_page(request, program, tokens, meeting=None):
    """The one page that shows new activation links; nothing can show them again."""
    links = [
        {
            "volunteer": t.volunteer,
            "username": t.user.username,
            "expires_at": t.expires_at,
            "url": request.build_absolute_uri(reverse("volunteers:activate", args=[t.secret])),
        }
        for t in tokens
    ]
    return render(
        request,
        "volunteers/activation_links.html",
        {"program": program, "meeting": meeting, "links": links},
    )


@login_required
@require_POST
@idempotent
def meeting_decide(request, program_code, number):
    program = staff_program(request, program_code, write=True)
    item = _meeting(program, number)
    changed = 0
    issued = []
    valid = set(VolunteerApplication.Decision.values)
    for application in program.applications.select_related("volunteer", "program"):
        value = request.POST.get(f"decision_{application.pk}")
        if value in valid and value != application.decision:
            services.application_decide(
                application=application, decision=value, meeting=item, user=request.user
            )
            changed += 1
            if getattr(application, "issued_link", None) is not None:
                issued.append(application.issued_link)
    messages.success(
        request, ngettext("%(n)s decision recorded.", "%(n)s decisions recorded.", changed) % {"n": changed}
    )
    if issued:
        return _links_page(request, program, issued, meeting=item)
    return redirect("volunteers:meeting", program_code=program.code, number=item.number)


@login_required
@require_GET
def meeting_minutes(request, program_code, number):
    program = staff_program(request, program_code)
    item = _meeting(program, number)
    if not item.minutes:
        raise Http404("No file")
    return FileResponse(
        item.minutes.open("rb"),
        as_attachment=True,
        filename=f"minutes-{program.code}-{item.number}{_suffix(item.minutes.name)}",
    )


def _suffix(name):
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


@login_required
@require_POST
@idempotent
def activation_reissue(request, program_code, pk):
    program = staff_program(request, program_code, write=True)
    volunteer = get_object_or_404(Volunteer.objects.select_related("user"), program=program, pk=pk)
    meeting_obj = getattr(getattr(volunteer, "application", None), "decided_at", None)
    try:
        token = services.activation_link_issue(volunteer=volunteer, created_by=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("A new activation link was made; earlier links no longer work."))
        return _links_page(request, program, [token], meeting=meeting_obj)
    if meeting_obj is not None:
        return redirect("volunteers:meeting", program_code=program.code, number=meeting_obj.number)
    return redirect("assessments:training", program_code=program.code)


@login_required
@require_GET
def certificate_pdf(request, code):
    cert = get_object_or_404(
        Certificate.objects.select_related("volunteer", "program", "award", "program__organization"),
        code=code,
    )
    own = cert.volunteer.user_id is not None and cert.volunteer.user_id == request.user.pk
    if not own:
        staff_program(request, cert.program.code)
    pdf = render_certificate_pdf(cert, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{cert.pk}.pdf"'
    return response
