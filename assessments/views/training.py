"""The coordinator's training pages: events, attendance and each volunteer's training
tests, and who is ready to teach (grant officers read them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from birgemiz.access import can_edit, staff_program
from birgemiz.idempotency import idempotent
from volunteers import services as volunteer_services
from volunteers.forms import TrainingEventForm
from volunteers.models import TrainingEvent, Volunteer

from ..forms import EventAttendanceForm
from ..models import TestResult
from ..training import training_attendance_set, training_overview, volunteer_test_set


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def training(request, program_code):
    program = staff_program(request, program_code, write=request.method == "POST")
    form = TrainingEventForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        event = volunteer_services.training_event_save(event=form.save(commit=False))
        messages.success(request, _("Training event saved."))
        return redirect("assessments:training-event", program_code=program.code, pk=event.pk)
    events = (
        program.trainings.select_related("track", "trainer")
        .annotate(n=Count("attendees", distinct=True))
        .order_by("date", "id")
    )
    rows = training_overview(program)
    return render(
        request,
        "assessments/training.html",
        {
            "program": program,
            "events": events,
            "rows": rows,
            "form": form,
            "trainers": program.trainers.prefetch_related("tracks").order_by("full_name"),
            "ready_count": sum(1 for r in rows if r.ready),
            "can_edit": can_edit(request.user, program),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def training_event(request, program_code, pk):
    program = staff_program(request, program_code, write=request.method == "POST")
    event = get_object_or_404(
        TrainingEvent.objects.select_related("track", "trainer"), program=program, pk=pk
    )
    volunteers = program.volunteers.exclude(status=Volunteer.Status.WITHDRAWN).order_by("last_name", "id")
    if event.track_id:
        volunteers = volunteers.filter(track=event.track)
    scores = {
        (vid, kind): score
        for vid, kind, score in TestResult.objects.filter(
            program=program, volunteer__in=volunteers
        ).values_list("volunteer_id", "kind", "score")
    }
    attended = set(event.attendees.values_list("pk", flat=True))
    form = EventAttendanceForm(
        request.POST or None, volunteers=volunteers, attended_ids=attended, scores=scores
    )
    if request.method == "POST" and form.is_valid():
        chosen = [v for v in form.volunteers if form.cleaned_data[f"att_{v.pk}"]]
        training_attendance_set(
            event=event, volunteers=chosen + [v for v in event.attendees.all() if v not in form.volunteers]
        )
        for v in form.volunteers:
            for kind in ("pre", "post"):
                new = form.cleaned_data[f"{kind}_{v.pk}"]
                if new != scores.get((v.pk, kind)):
                    volunteer_test_set(
                        volunteer=v, kind=kind, score=new, user=request.user, taken_on=event.date
                    )
        messages.success(request, _("Attendance and tests saved."))
        return redirect("assessments:training", program_code=program.code)
    return render(
        request,
        "assessments/training_event.html",
        {
            "program": program,
            "event": event,
            "form": form,
            "can_edit": can_edit(request.user, program),
        },
    )
