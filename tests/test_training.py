"""Volunteer training: events, attendance, pre/post tests and readiness."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import training
from assessments.models import TestResult
from volunteers.models import Trainer, TrainingEvent, Volunteer

from .factories import TrackFactory, VolunteerFactory


@pytest.fixture
def training_setup(program, track):
    trainer = Trainer.objects.create(program=program, full_name="Тренер Т.")
    volunteers = [
        VolunteerFactory(program=program, track=track, status=Volunteer.Status.SELECTED) for _ in range(2)
    ]
    other_track = TrackFactory(program=program, code="law")
    outsider = VolunteerFactory(program=program, track=other_track, status=Volunteer.Status.SELECTED)
    event = TrainingEvent.objects.create(
        program=program, track=track, trainer=trainer, title="Әдістеме", date=datetime.date(2020, 5, 2)
    )
    return {"trainer": trainer, "volunteers": volunteers, "event": event, "outsider": outsider}


def test_it_saves_attendance_and_tests_and_marks_volunteers_ready(
    client, coordinator, program, training_setup
):
    v1, v2 = training_setup["volunteers"]
    event = training_setup["event"]
    client.force_login(coordinator)
    url = reverse("assessments:training-event", args=[program.code, event.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert training_setup["outsider"].last_name not in page.content.decode()  # another track
    response = client.post(
        url,
        {
            f"att_{v1.pk}": "on",
            f"pre_{v1.pk}": "55",
            f"post_{v1.pk}": "80,5",
            f"att_{v2.pk}": "on",
            f"pre_{v2.pk}": "60",
            f"post_{v2.pk}": "",
        },
    )
    assert response.status_code == 302
    assert set(event.attendees.all()) == {v1, v2}
    post = TestResult.objects.get(volunteer=v1, kind="post")
    assert post.score == Decimal("80.50") and post.student is None and post.program == program
    assert training.ready_volunteer_ids(program) == {v1.pk}
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == Volunteer.Status.TRAINED and v2.status == Volunteer.Status.SELECTED
    overview = client.get(reverse("assessments:training", args=[program.code]))
    assert overview.context["ready_count"] == 1


def test_it_rejects_a_score_above_100_and_writes_nothing(client, coordinator, program, training_setup):
    v1, _ = training_setup["volunteers"]
    client.force_login(coordinator)
    url = reverse("assessments:training-event", args=[program.code, training_setup["event"].pk])
    response = client.post(url, {f"att_{v1.pk}": "on", f"post_{v1.pk}": "120"})
    assert response.status_code == 200
    assert not TestResult.objects.exists() and not training_setup["event"].attendees.exists()


def test_a_post_test_without_a_training_of_the_track_is_not_enough(program, training_setup):
    outsider = training_setup["outsider"]
    training_setup["event"].attendees.add(outsider)  # attended another track's training
    training.volunteer_test_set(volunteer=outsider, kind="post", score=Decimal("90"))
    assert outsider.pk not in training.ready_volunteer_ids(program)
    common = TrainingEvent.objects.create(
        program=program, trainer=training_setup["trainer"], title="Жалпы", date=datetime.date(2020, 5, 3)
    )
    training.training_attendance_set(event=common, volunteers=[outsider])
    assert outsider.pk in training.ready_volunteer_ids(program)


def test_it_creates_training_events(client, coordinator, program, training_setup, track):
    client.force_login(coordinator)
    response = client.post(
        reverse("assessments:training", args=[program.code]),
        {
            "title": "Zoom-мен жұмыс",
            "date": "2020-05-10",
            "track": track.pk,
            "trainer": training_setup["trainer"].pk,
            "platform": "Zoom",
            "pre_test_url": "https://forms.example.kz/pre",
            "post_test_url": "https://forms.example.kz/post",
        },
    )
    assert response.status_code == 302
    assert TrainingEvent.objects.filter(title="Zoom-мен жұмыс", post_test_url__endswith="/post").exists()


def test_it_scopes_training_pages(client, officer, outsider, volunteer_user, program, training_setup):
    url = reverse("assessments:training", args=[program.code])
    event_url = reverse("assessments:training-event", args=[program.code, training_setup["event"].pk])
    client.force_login(officer)
    assert client.get(url).status_code == 200
    assert client.post(event_url, {}).status_code == 403
    for user in (outsider, volunteer_user):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_it_keeps_the_training_page_queries_flat(
    client, coordinator, program, training_setup, track, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("assessments:training", args=[program.code])
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    for _ in range(10):
        v = VolunteerFactory(program=program, track=track)
        training_setup["event"].attendees.add(v)
        training.volunteer_test_set(volunteer=v, kind="pre", score=Decimal("50"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
