"""Volunteer training: who is ready to teach, and the training tests that decide it.

A volunteer is ready once they attended a training of their track (or one common to
every track) and have a post-test. Training tests are `TestResult`s with a volunteer
instead of a student, so this lives in assessments, above the volunteers' own records;
a ready selected volunteer becomes "trained".
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from birgemiz.alphabet import person_key
from birgemiz.services import clean_and_save, require
from volunteers.models import TrainingEvent, Volunteer

from .models import TestKind, TestResult

# ---------------------------------------------------------------- reads


def ready_volunteer_ids(program, volunteers=None):
    """Ids of volunteers who attended a training of their track (or a common one) and
    have a post-test: ready to teach."""
    qs = Volunteer.objects.filter(program=program)
    if volunteers is not None:
        qs = qs.filter(pk__in=[v.pk for v in volunteers])
    trained = qs.filter(
        Q(trainings__track__isnull=True) | Q(trainings__track=F("track")),
    )
    with_post = TestResult.objects.filter(program=program, volunteer__isnull=False, kind=TestKind.POST)
    return set(trained.filter(pk__in=with_post.values("volunteer_id")).values_list("pk", flat=True))


@dataclass
class TrainingRow:
    volunteer: Volunteer
    events: int
    pre: Decimal | None
    post: Decimal | None
    ready: bool


def training_overview(program):
    volunteers = list(
        Volunteer.objects.filter(program=program)
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .select_related("track")
        .order_by("track__order", "last_name", "first_name", "id")
    )
    volunteers.sort(key=lambda v: (v.track.order if v.track else 0, v.track_id or 0, person_key(v)))
    events = {}
    for vid, track_id, v_track in TrainingEvent.attendees.through.objects.filter(
        trainingevent__program=program
    ).values_list("volunteer_id", "trainingevent__track_id", "volunteer__track_id"):
        if track_id is None or track_id == v_track:
            events[vid] = events.get(vid, 0) + 1
    scores = {}
    for vid, kind, score in TestResult.objects.filter(program=program, volunteer__isnull=False).values_list(
        "volunteer_id", "kind", "score"
    ):
        scores[(vid, kind)] = score
    rows = []
    for v in volunteers:
        post = scores.get((v.pk, TestKind.POST))
        rows.append(
            TrainingRow(
                v,
                events.get(v.pk, 0),
                scores.get((v.pk, TestKind.PRE)),
                post,
                ready=events.get(v.pk, 0) > 0 and post is not None,
            )
        )
    return rows


# ---------------------------------------------------------------- writes


def training_attendance_set(*, event, volunteers):
    volunteers = list(volunteers)
    require(
        all(v.program_id == event.program_id for v in volunteers),
        "attendees",
        _("A volunteer belongs to another programme."),
    )
    with transaction.atomic():
        event.attendees.set(volunteers)
        volunteers_refresh_training_status(program=event.program)
    return event


def volunteer_test_set(*, volunteer, kind, score, user=None, taken_on=None):
    """A volunteer's pre/post training test score (one of each), or None to clear it."""
    require(kind in TestKind.values, "kind", _("Unknown test kind."))
    with transaction.atomic():
        result = (
            TestResult.objects.select_for_update(of=("self",))
            .filter(volunteer=volunteer, kind=kind)
            .order_by("pk")
            .first()
        )
        if score is None:
            if result is not None:
                result.delete()
            volunteers_refresh_training_status(program=volunteer.program)
            return None
        if result is None:
            result = TestResult(
                program_id=volunteer.program_id, volunteer=volunteer, kind=kind, track=volunteer.track
            )
        result.score = score
        result.entered_by = user
        if taken_on is not None:
            result.taken_on = taken_on
        clean_and_save(result)
        volunteers_refresh_training_status(program=volunteer.program)
        return result


def volunteers_refresh_training_status(*, program):
    """Selected volunteers who are now ready to teach become "trained"."""
    ready = ready_volunteer_ids(program)
    Volunteer.objects.filter(program=program, status=Volunteer.Status.SELECTED, pk__in=ready).update(
        status=Volunteer.Status.TRAINED
    )
