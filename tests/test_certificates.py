"""Certificates (PDF, verification) and the award ranking confirmed by the council."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from assessments import awards, training
from courses.models import Attendance, Lesson
from volunteers.models import Award, Certificate, CouncilMeeting, Trainer, TrainingEvent, Volunteer

from .factories import CourseGroupFactory, EnrollmentFactory, TestResultFactory, VolunteerFactory


@pytest.fixture
def trained(program, track):
    volunteer = VolunteerFactory(
        program=program,
        track=track,
        status=Volunteer.Status.SELECTED,
        last_name="Әбілқайырова",
        first_name="Гүлнұр",
    )
    trainer = Trainer.objects.create(program=program, full_name="Тренер")
    event = TrainingEvent.objects.create(
        program=program, track=track, trainer=trainer, title="Оқыту", date=datetime.date(2020, 5, 2)
    )
    training.training_attendance_set(event=event, volunteers=[volunteer])
    training.volunteer_test_set(volunteer=volunteer, kind="post", score=Decimal("85"))
    return volunteer


def pdf_text(content):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    "language, word", [("kk", "оқыту курсын аяқтағаны"), ("ru", "об окончании обучения")]
)
def test_it_issues_a_training_certificate_pdf_in_the_chosen_language(
    client, coordinator, program, trained, language, word
):
    client.force_login(coordinator)
    response = client.post(
        reverse("assessments:certificate-issue", args=[program.code, trained.pk]),
        {"kind": "training", "language": language},
    )
    assert response.status_code == 302
    cert = Certificate.objects.get(volunteer=trained)
    assert cert.language == language and len(cert.code) == len("ABCD-EFGH-JK")
    pdf = client.get(reverse("volunteers:certificate-pdf", args=[cert.code]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert word in text and "Әбілқайырова" in text and cert.code in text


def test_it_refuses_a_training_certificate_before_the_training_is_done(program, track):
    volunteer = VolunteerFactory(program=program, track=track)
    with pytest.raises(ValidationError):
        awards.certificate_issue(volunteer=volunteer, kind=Certificate.Kind.TRAINING)


def test_the_public_page_confirms_a_valid_code_and_nothing_more(client, trained):
    cert = awards.certificate_issue(volunteer=trained, kind=Certificate.Kind.TRAINING)
    response = client.get(reverse("volunteers:verify", args=[cert.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Әбілқайырова" in body and trained.program.title_kk in body
    assert trained.email not in body and str(trained.birth_date.year) not in body


def test_the_public_page_says_no_for_an_unknown_code(client, trained):
    awards.certificate_issue(volunteer=trained, kind=Certificate.Kind.TRAINING)
    response = client.get(reverse("volunteers:verify", args=["not-a-real-code"]))
    assert response.status_code == 404
    assert "Әбілқайырова" not in response.content.decode()


def test_only_staff_or_the_volunteer_download_the_pdf(client, trained, outsider, volunteer_user):
    cert = awards.certificate_issue(volunteer=trained, kind=Certificate.Kind.TRAINING)
    url = reverse("volunteers:certificate-pdf", args=[cert.code])
    assert client.get(url).status_code == 302
    for user in (outsider, volunteer_user):
        client.force_login(user)
        assert client.get(url).status_code == 404
    trained.user = volunteer_user
    trained.save()
    client.force_login(volunteer_user)
    assert client.get(url).status_code == 200


# ---------------------------------------------------------------- award ranking


def teach(volunteer, *, hours, present, absent, pre, post, n_students=2):
    group = CourseGroupFactory(program=volunteer.program, track=volunteer.track, volunteer=volunteer)
    students = [EnrollmentFactory(group=group).student for _ in range(n_students)]
    lesson = Lesson.objects.create(
        group=group,
        date=datetime.date(2020, 6, 1),
        hours=Decimal(hours),
        topic="Тақырып",
        status=Lesson.Status.CONFIRMED,
    )
    Lesson.objects.create(
        group=group,
        date=datetime.date(2020, 6, 2),
        hours=Decimal("8"),
        topic="Расталмаған",
        status=Lesson.Status.PENDING,
    )
    for i, student in enumerate(students):
        Attendance.objects.create(lesson=lesson, student=student, present=i < present)
        TestResultFactory(
            student=student, program=volunteer.program, track=volunteer.track, kind="pre", score=pre
        )
        TestResultFactory(
            student=student, program=volunteer.program, track=volunteer.track, kind="post", score=post
        )
    return group


def test_the_award_ranking_shows_its_components_and_formula(program, track):
    track.planned_hours = Decimal("4")
    track.save()
    best = VolunteerFactory(program=program, track=track, last_name="Бірінші")
    second = VolunteerFactory(program=program, track=track, last_name="Екінші")
    teach(best, hours="4", present=2, absent=0, pre=40, post=80)
    teach(second, hours="2", present=1, absent=1, pre=50, post=60)
    rows, extremes = awards.award_ranking(program)
    assert [r.volunteer for r in rows[:2]] == [best, second]
    top = rows[0]
    assert (
        top.hours == Decimal("4")
        and top.attendance_rate == Decimal("100.0")
        and top.growth == Decimal("40.0")
    )
    assert top.score == Decimal("100.0")
    low = rows[1]
    assert low.attendance_rate == Decimal("50.0") and low.growth == Decimal("10.0")
    # 40 × 2/4 + 30 × 0.5 + 30 × 10/40
    assert low.score == Decimal("42.5")
    assert top.plan == Decimal("4") and extremes["max_growth"] == Decimal("40.0")


def test_the_council_confirms_awards_at_a_meeting(client, coordinator, program, track):
    volunteers = [VolunteerFactory(program=program, track=track) for _ in range(3)]
    teach(volunteers[0], hours="4", present=2, absent=0, pre=40, post=80)
    meeting = CouncilMeeting.objects.create(
        program=program, number=5, date=datetime.date(2020, 11, 20), agenda="Марапаттау"
    )
    client.force_login(coordinator)
    page = client.get(reverse("assessments:awards", args=[program.code]), {"top": 1})
    assert page.status_code == 200
    assert page.context["form"]["volunteers"].value() == [volunteers[0].pk]
    response = client.post(
        reverse("assessments:awards-confirm", args=[program.code]),
        {
            "meeting": meeting.pk,
            "title": "Үздік волонтер",
            "awarded_on": "2020-11-25",
            "language": "ru",
            "volunteers": [volunteers[0].pk, volunteers[2].pk],  # the council changed the list
        },
    )
    assert response.status_code == 302
    awards = Award.objects.filter(program=program)
    assert {a.volunteer for a in awards} == {volunteers[0], volunteers[2]}
    assert all(a.meeting == meeting for a in awards)
    cert = Certificate.objects.get(award__volunteer=volunteers[2])
    assert cert.code == cert.award.certificate_code and cert.language == "ru"
    assert client.get(reverse("volunteers:verify", args=[cert.code])).status_code == 200
    volunteers[2].refresh_from_db()
    assert volunteers[2].status == Volunteer.Status.AWARDED
    assert client.get(reverse("assessments:awards-confirm", args=[program.code])).status_code == 405


def test_an_award_row_without_a_certificate_row_still_verifies(client, program, track):
    volunteer = VolunteerFactory(program=program, track=track)
    award = Award.objects.create(
        program=program,
        volunteer=volunteer,
        title="Үздік",
        certificate_code="ABC123xyz",
        awarded_on=datetime.date(2020, 11, 25),
    )
    response = client.get(reverse("volunteers:verify", args=[award.certificate_code]))
    assert response.status_code == 200 and "Үздік" in response.content.decode()


def test_officers_read_the_award_ranking_but_cannot_confirm(client, officer, outsider, program, track):
    client.force_login(officer)
    assert client.get(reverse("assessments:awards", args=[program.code])).status_code == 200
    assert client.post(reverse("assessments:awards-confirm", args=[program.code]), {}).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("assessments:awards", args=[program.code])).status_code == 404


def test_the_award_ranking_queries_stay_flat(
    client, coordinator, program, track, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("assessments:awards", args=[program.code])
    teach(VolunteerFactory(program=program, track=track), hours="2", present=1, absent=1, pre=50, post=70)
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    for _ in range(6):
        teach(VolunteerFactory(program=program, track=track), hours="3", present=2, absent=0, pre=40, post=90)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_the_certificates_page_lists_ready_and_awarded_volunteers(
    client, coordinator, program, trained, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assessments:certificates", args=[program.code]))
    assert trained in list(response.context["volunteers"])
