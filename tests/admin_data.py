"""Rows of every main model for one programme, for admin query-budget tests.

`populate(program, n)` adds n of each (students with enrollments, lessons with
attendance, pre-tests, volunteers, applications with council scores, survey
responses, tasks/activities/indicators, meetings, publications, partners,
evidence files), so a changelist can be rendered on a few rows and on many.
"""

import datetime
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile

from assessments.models import TestResult as Result
from birgemiz.models import Evidence, Narrative, SocioEconomicIndicator, Subject
from courses.models import Attendance

from .factories import (
    ActivityFactory,
    CouncilMemberFactory,
    CourseGroupFactory,
    EnrollmentFactory,
    IndicatorFactory,
    LessonFactory,
    MeetingFactory,
    PartnerFactory,
    PublicationFactory,
    SchoolFactory,
    SelectionCriterionFactory,
    SurveyFactory,
    SurveyResponseFactory,
    TaskFactory,
    TrackFactory,
    VolunteerApplicationFactory,
    VolunteerFactory,
)

_counter = itertools.count(1)


def populate(program, n):
    k = next(_counter)
    track = TrackFactory(program=program)
    subject = Subject.objects.create(track=track, name_kk=f"Пән {k}")
    school = SchoolFactory()
    survey = SurveyFactory(program=program)
    criterion = SelectionCriterionFactory(program=program)
    member = CouncilMemberFactory(program=program)
    task = TaskFactory(program=program, number=100 + k)
    SocioEconomicIndicator.objects.create(
        program=program, number=100 + k, name_kk=f"Көрсеткіш {k}", unit_kk="теңге",
        plan_value=Decimal("10"),
    )
    for key in list(Narrative.Key)[:1]:
        Narrative.objects.get_or_create(program=program, key=key, defaults={"text_kk": "Мәтін"})
    for i in range(n):
        volunteer = VolunteerFactory(program=program, track=track)
        group = CourseGroupFactory(program=program, track=track, subject=subject, volunteer=volunteer)
        enrollment = EnrollmentFactory(group=group, student__school=school, student__program=program)
        lesson = LessonFactory(group=group, date=datetime.date(2020, 6, 1) + datetime.timedelta(days=i))
        Attendance.objects.create(lesson=lesson, student=enrollment.student, present=bool(i % 2))
        Result.objects.create(
            program=program, track=track, student=enrollment.student, kind="pre", score=Decimal("50")
        )
        application = VolunteerApplicationFactory(program=program, track=track)
        application.scores.create(member=member, criterion=criterion, score=4)
        SurveyResponseFactory(survey=survey, school=school, district=school.district)
        activity = ActivityFactory(task=task, number=i + 1)
        IndicatorFactory(activity=activity)
        meeting = MeetingFactory(program=program, activity=activity, district=school.district)
        PublicationFactory(program=program, activity=activity)
        PartnerFactory(program=program)
        Evidence.objects.create(
            program=program,
            activity=activity,
            meeting=meeting,
            kind=Evidence.Kind.PHOTO,
            title=f"Сурет {k}-{i}",
            file=ContentFile(b"%PDF-1.4 test", name="x.pdf"),
        )
