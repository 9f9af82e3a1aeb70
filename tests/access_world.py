"""One programme with a row behind every URL of the site, and one account per role, for
the access-table test (tests/test_access_table.py).

`build()` returns the users by role and, for every URL name that takes arguments, the
arguments of an object of the coordinator's programme (the volunteer's own group, the
council member's own seat), so that a refusal can only come from the role.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import ScoreConflict, TestResult
from birgemiz import access_table, roles
from birgemiz.jobs.models import Job
from birgemiz.models import Evidence, SecurityPolicy
from birgemiz.registers.models import ImportJob
from reporting.models import IssuedReport
from surveys.models import Survey
from volunteers import services as volunteer_services
from volunteers.models import Certificate, CouncilMeeting, Trainer, TrainingEvent

from .admin_data import populate
from .factories import (
    CouncilMemberFactory,
    CourseGroupFactory,
    EnrollmentFactory,
    LessonFactory,
    OrganizationFactory,
    ProgramFactory,
    QuizAttemptFactory,
    QuizFactory,
    TrackFactory,
    UserFactory,
    VolunteerApplicationFactory,
    VolunteerFactory,
)


def _users(org):
    users = {
        access_table.COORDINATOR: UserFactory(username="w-coord", is_staff=True, roles=[roles.COORDINATOR]),
        access_table.OFFICER: UserFactory(username="w-officer", is_staff=True, roles=[roles.OFFICER]),
        access_table.OPERATOR: UserFactory(username="w-operator", is_staff=True, roles=[roles.OPERATOR]),
        access_table.VOLUNTEER: UserFactory(username="w-vol", roles=[roles.VOLUNTEER]),
        access_table.COUNCIL: UserFactory(username="w-council", roles=[roles.COUNCIL]),
        access_table.ANONYMOUS: None,
    }
    org.members.add(users[access_table.COORDINATOR])
    return users


def _rows_of_every_admin(program, users, track, student, attempt, meeting, volunteer):
    """A row of each admin model `populate` leaves empty, so every change and delete page
    can be asked for."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult

    from assessments.models import Contest, ContestEntry, QuizAnswer, UntOutcome
    from birgemiz.models import InfoWorkGroup, InfoWorkPlan, ProjectProposal, StateRecommendation
    from surveys.models import Answer, Choice, Question, SurveyResponse
    from volunteers.models import Award

    from .factories import QuizChoiceFactory, QuizQuestionFactory

    work = InfoWorkGroup.objects.create(program=program, number=1, title_kk="Ақпарат")
    InfoWorkPlan.objects.create(group=work, kind="post", label_kk="Жазба")
    ProjectProposal.objects.create(program=program, title="Жоба")
    StateRecommendation.objects.create(program=program, body="Әкімдік", text="Ұсыныс")
    Award.objects.create(
        program=program, volunteer=volunteer, title="Алғыс хат", awarded_on=datetime.date(2020, 9, 1),
        certificate_code="world-award-code",
    )
    UntOutcome.objects.create(student=student, score=100)
    contest = Contest.objects.create(program=program, track=track, title="Олимпиада")
    ContestEntry.objects.create(contest=contest, student=student, place=1)
    question = QuizQuestionFactory(quiz=attempt.quiz)
    QuizChoiceFactory(question=question, is_correct=True)
    QuizAnswer.objects.create(attempt=attempt, question=question)
    response = SurveyResponse.objects.filter(survey__program=program).first()
    survey_question = Question.objects.create(survey=response.survey, code="q1", kind="text", text_kk="Сұрақ")
    Choice.objects.create(question=survey_question, value="yes", text_kk="Иә")
    Answer.objects.create(response=response, question=survey_question, text="Жауап")
    # Not a world account: logging one in would clear its failed attempts.
    AccessAttempt.objects.create(
        username="w-nobody", ip_address="10.0.0.1", user_agent="t", failures_since_start=1
    )
    AccessLog.objects.create(username="w-coord", ip_address="10.0.0.1", user_agent="t")
    from birgemiz import invitations

    invitations.invitation_send(
        invited_by=None, role="council", email="w-expert@example.kz", full_name="Әлем Сарапшы",
        program=program, base_url="http://testserver",
    )
    AccessFailureLog.objects.create(username="w-coord", ip_address="10.0.0.1", user_agent="t")
    TOTPDevice.objects.create(user=users[access_table.OPERATOR], name="authenticator", confirmed=False)
    StaticDevice.objects.create(user=users[access_table.OPERATOR], name="recovery", confirmed=False)
    DBTaskResult.objects.create(
        task_path="birgemiz.jobs.mail.send", queue_name="default", priority=0,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default", run_after=timezone.now(), exception_class_path="", traceback="",
    )


def build():
    SecurityPolicy.current()
    org = OrganizationFactory()
    # Still running: the students' test links of an ended programme have expired.
    program = ProgramFactory(
        organization=org, code="world-2020", end=timezone.localdate() + datetime.timedelta(days=365)
    )
    users = _users(org)
    populate(program, 1)
    track = TrackFactory(program=program, code="world-track")
    group = CourseGroupFactory(program=program, track=track, name="Әлем-1")
    group.volunteer.user = users[access_table.VOLUNTEER]
    group.volunteer.save()
    student = EnrollmentFactory(group=group).student
    lesson = LessonFactory(group=group, date=datetime.date(2020, 6, 2))
    # Deleted by the volunteer's POST, so a lesson of its own.
    spare_lesson = LessonFactory(group=group, date=datetime.date(2020, 6, 3))
    CouncilMemberFactory(program=program, user=users[access_table.COUNCIL])
    application = VolunteerApplicationFactory(program=program, track=track)
    meeting = CouncilMeeting.objects.create(program=program, number=7, date=datetime.date(2020, 4, 1))
    meeting.minutes.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"), save=True)
    # A selected volunteer whose account is not open yet: a live activation link.
    pending = volunteer_services.volunteer_from_application(
        application=VolunteerApplicationFactory(program=program, track=track)
    )
    link = volunteer_services.activation_link_issue(volunteer=pending)
    from birgemiz import invitations

    invitation = invitations.invitation_send(
        invited_by=None, role="coordinator", email="w-new-coord@example.kz", organization=org,
        base_url="http://testserver",
    )
    certified = VolunteerFactory(program=program, track=track)
    certificate = Certificate.objects.create(
        program=program, volunteer=certified, kind=Certificate.Kind.TRAINING, code="world-cert-code",
        issued_on=datetime.date(2020, 9, 1),
    )
    trainer = Trainer.objects.create(program=program, full_name="Әлем Тренер")
    event = TrainingEvent.objects.create(
        program=program, track=track, trainer=trainer, title="Әдістеме", date=datetime.date(2020, 5, 2)
    )
    quiz = QuizFactory(program=program, track=track)
    attempt = QuizAttemptFactory(quiz=quiz, student=student, token="world-attempt-token-000001")
    typed = TestResult.objects.create(
        program=program, track=track, student=student, kind="pre", score=Decimal("65")
    )
    conflict_attempt = QuizAttemptFactory(quiz=quiz, token="world-attempt-token-000002")
    conflict = ScoreConflict.objects.create(
        program=program, attempt=conflict_attempt, result=typed, typed_score=Decimal("65"),
        online_score=Decimal("50"),
    )
    survey = Survey.objects.filter(program=program).first()
    evidence = Evidence.objects.filter(program=program).first()
    issued = IssuedReport.objects.create(
        program=program, language="kk", format="pdf", sha256="0" * 64, as_of=program.end,
        file=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
    )
    job = Job.objects.create(
        kind="report", key=f"world-{uuid.uuid4()}", user=users[access_table.COORDINATOR], program=program,
        status=Job.Status.DONE, result_file=ContentFile(b"%PDF-1.4 job", name="job.pdf"),
        finished_at=timezone.now(),
    )
    import_job = ImportJob.objects.create(
        program=program, user=users[access_table.COORDINATOR], register="students",
        original_name="students.csv", status="failed",
    )
    _rows_of_every_admin(program, users, track, student, attempt, meeting, certified)
    code = program.code
    args = {
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "evidence-download": {"pk": evidence.pk},
        "jobs:detail": {"pk": job.pk},
        "jobs:status": {"pk": job.pk},
        "jobs:cancel": {"pk": job.pk},
        "jobs:download": {"pk": job.pk},
        "registers:job": {"pk": import_job.pk},
        "registers:job-confirm": {"pk": import_job.pk},
        "registers:job-cancel": {"pk": import_job.pk},
        "registers:job-errors": {"pk": import_job.pk},
        "registers:model-import": {"app_label": "courses", "model_name": "student"},
        "registers:model-template": {"app_label": "courses", "model_name": "student"},
        "registers:changelist-export": {"app_label": "courses", "model_name": "student"},
        "registers:import": {"name": "students"},
        "registers:export": {"name": "students"},
        "registers:template": {"name": "students"},
        "courses:lesson_new": {"pk": group.pk},
        "courses:lesson_edit": {"pk": lesson.pk},
        "courses:lesson_delete": {"pk": spare_lesson.pk},
        "courses:hours_xlsx": {"code": code},
        "courses:confirm_many": {"code": code},
        "courses:confirm": {"code": code, "pk": lesson.pk},
        "courses:reject": {"code": code, "pk": lesson.pk},
        "volunteers:apply": {"code": code},
        "volunteers:apply-thanks": {"code": code},
        "volunteers:verify": {"code": certificate.code},
        "volunteers:activate": {"token": link.secret},
        "volunteers:council-application": {"pk": application.pk},
        "volunteers:certificate-pdf": {"code": certificate.code},
        "volunteers:ranking": {"program_code": code},
        "volunteers:meetings": {"program_code": code},
        "volunteers:meeting": {"program_code": code, "number": meeting.number},
        "volunteers:meeting-decide": {"program_code": code, "number": meeting.number},
        "volunteers:meeting-minutes": {"program_code": code, "number": meeting.number},
        "volunteers:activation-reissue": {"program_code": code, "pk": pending.pk},
        "assessments:take": {"token": attempt.token},
        "assessments:question": {"token": attempt.token, "number": 1},
        "assessments:review": {"token": attempt.token},
        "assessments:submit": {"token": attempt.token},
        "assessments:group": {"pk": group.pk},
        "assessments:scores": {"pk": group.pk},
        "assessments:student": {"pk": group.pk, "student_pk": student.pk},
        "assessments:group_links": {"pk": group.pk},
        "assessments:group_links_issue": {"pk": group.pk},
        "assessments:lessons": {"code": code},
        "assessments:training": {"program_code": code},
        "assessments:training-event": {"program_code": code, "pk": event.pk},
        "assessments:certificates": {"program_code": code},
        "assessments:certificate-issue": {"program_code": code, "pk": certified.pk},
        "assessments:awards": {"program_code": code},
        "assessments:awards-confirm": {"program_code": code},
        "assessments:quiz_list": {"code": code},
        "assessments:quiz_import_template": {"code": code},
        "assessments:conflicts": {"code": code},
        "assessments:conflict_resolve": {"code": code, "pk": conflict.pk},
        "assessments:quiz_detail": {"code": code, "pk": quiz.pk},
        "assessments:quiz_links": {"code": code, "pk": quiz.pk},
        "assessments:quiz_links_print": {"code": code, "pk": quiz.pk},
        "assessments:quiz_links_xlsx": {"code": code, "pk": quiz.pk},
        "assessments:quiz_issue": {"code": code, "pk": quiz.pk},
        "assessments:quiz_import": {"code": code, "pk": quiz.pk},
        "surveys:public": {"code": survey.code},
        "surveys:thanks": {"code": survey.code},
        "surveys:list": {"program_code": code},
        "surveys:results": {"program_code": code, "survey_code": survey.code},
        "surveys:results-xlsx": {"program_code": code, "survey_code": survey.code},
        "surveys:enrol": {"program_code": code, "survey_code": survey.code},
        "reporting:report": {"code": code},
        "reporting:year": {"code": code},
        "invitation": {"token": invitation.secret},
        "reporting:issue": {"code": code},
        "reporting:issued-download": {"code": code, "pk": issued.pk},
    }
    return {"program": program, "users": users, "args": args}
