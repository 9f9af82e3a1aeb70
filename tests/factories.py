"""factory_boy factories for every model the tests build. Deterministic sequences."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

from assessments.models import TestResult
from birgemiz.models import (
    Activity,
    District,
    Indicator,
    Meeting,
    Organization,
    Partner,
    Program,
    Publication,
    Region,
    School,
    Subject,
    Task,
    Track,
)
from courses.models import CourseGroup, Enrollment, Lesson, Student
from surveys.models import Choice, Question, Survey, SurveyResponse
from volunteers.models import (
    CouncilMember,
    SelectionCriterion,
    Volunteer,
    VolunteerApplication,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.kz")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name_kk = factory.Sequence(lambda n: f"Облыс {n}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    region = factory.SubFactory(RegionFactory)
    name_kk = factory.Sequence(lambda n: f"Аудан {n}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"№{n} орта мектеп")
    settlement = factory.Sequence(lambda n: f"Ауыл {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_kk = factory.Sequence(lambda n: f"«Ұйым {n}» ЖҚБ")
    name_ru = factory.Sequence(lambda n: f"ОО «Организация {n}»")
    chair_name = "Сейтимов Азат Галимович"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    organization = factory.SubFactory(OrganizationFactory)
    code = factory.Sequence(lambda n: f"prog-{n}")
    title_kk = factory.Sequence(lambda n: f"Бағдарлама {n}")
    title_ru = factory.Sequence(lambda n: f"Программа {n}")
    topic_kk = "Волонтерлік көмек"
    grant_amount = 15337100
    start = datetime.date(2020, 3, 1)
    end = datetime.date(2020, 11, 30)
    region = factory.SubFactory(RegionFactory)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    program = factory.SubFactory(ProgramFactory)
    number = factory.Sequence(lambda n: n + 1)
    title_kk = factory.Sequence(lambda n: f"Міндет {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    task = factory.SubFactory(TaskFactory)
    number = 1
    title_kk = factory.Sequence(lambda n: f"Іс-шара {n}")
    completeness_percent = 100


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    activity = factory.SubFactory(ActivityFactory)
    name_kk = factory.Sequence(lambda n: f"Көрсеткіш {n}")
    comparator = Indicator.Comparator.AT_LEAST
    target_value = Decimal("10")
    target_text_kk = "Кемінде 10"


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"track-{n}")
    name_kk = factory.Sequence(lambda n: f"Бағыт {n}")
    name_ru = factory.Sequence(lambda n: f"Направление {n}")
    planned_hours = Decimal("48")
    planned_students = 200
    planned_volunteers = 20


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    track = factory.SubFactory(TrackFactory)
    name_kk = factory.Sequence(lambda n: f"Пән {n}")


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"S{n:05d}")
    last_name = factory.Sequence(lambda n: f"Оқушыұлы{n}")
    first_name = "Асан"
    sex = "M"
    birth_date = datetime.date(2005, 5, 1)
    grade = 10
    school = factory.SubFactory(SchoolFactory)


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    program = factory.SubFactory(ProgramFactory)
    last_name = factory.Sequence(lambda n: f"Волонтерова{n}")
    first_name = "Айгүл"
    email = factory.Sequence(lambda n: f"volunteer{n}@example.kz")
    sex = "F"
    birth_date = datetime.date(2000, 1, 15)
    track = factory.SubFactory(TrackFactory, program=factory.SelfAttribute("..program"))
    status = Volunteer.Status.ACTIVE


class CourseGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseGroup

    program = factory.SubFactory(ProgramFactory)
    track = factory.SubFactory(TrackFactory, program=factory.SelfAttribute("..program"))
    volunteer = factory.SubFactory(
        VolunteerFactory,
        program=factory.SelfAttribute("..program"),
        track=factory.SelfAttribute("..track"),
    )
    name = factory.Sequence(lambda n: f"Топ {n}")
    capacity = 25


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    group = factory.SubFactory(CourseGroupFactory)
    student = factory.SubFactory(StudentFactory, program=factory.SelfAttribute("..group.program"))


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    group = factory.SubFactory(CourseGroupFactory)
    date = datetime.date(2020, 6, 1)
    hours = Decimal("2")
    topic = "Present Simple"
    platform = "zoom"


class TestResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TestResult

    student = factory.SubFactory(StudentFactory)
    program = factory.SelfAttribute("student.program")
    track = factory.SubFactory(TrackFactory, program=factory.SelfAttribute("..program"))
    kind = "pre"
    score = Decimal("50")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    program = factory.SubFactory(ProgramFactory)
    date = datetime.date(2020, 3, 10)
    place = "Орал қаласы"
    participants = 20


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    program = factory.SubFactory(ProgramFactory)
    kind = Publication.Kind.POST
    outlet = "Qazvolunteer.kz"
    title = factory.Sequence(lambda n: f"Жарияланым {n}")
    date = datetime.date(2020, 8, 15)
    url = factory.Sequence(lambda n: f"https://example.kz/news/{n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Серіктес {n}")
    role = "Ақпараттық қолдау"


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"survey-{n}")
    title_kk = "Қажеттіліктер сауалнамасы"
    is_published = True


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    survey = factory.SubFactory(SurveyFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    kind = Question.Kind.SINGLE
    text_kk = factory.Sequence(lambda n: f"Сұрақ {n}")


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    value = factory.Sequence(lambda n: f"c{n}")
    text_kk = factory.Sequence(lambda n: f"Жауап {n}")


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SurveyFactory)
    code = factory.Sequence(lambda n: f"R{n:06d}")
    last_name = factory.Sequence(lambda n: f"Сауалұлы{n}")
    first_name = "Бота"
    identity_key = factory.Sequence(lambda n: f"key-{n}")


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    program = factory.SubFactory(ProgramFactory)
    full_name = factory.Sequence(lambda n: f"Кеңес мүшесі {n}")


class SelectionCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionCriterion

    program = factory.SubFactory(ProgramFactory)
    name_kk = factory.Sequence(lambda n: f"Критерий {n}")


class VolunteerApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerApplication

    program = factory.SubFactory(ProgramFactory)
    last_name = factory.Sequence(lambda n: f"Үміткер{n}")
    first_name = "Дана"
    email = factory.Sequence(lambda n: f"applicant{n}@example.kz")
    sex = "F"
    track = factory.SubFactory(TrackFactory, program=factory.SelfAttribute("..program"))
    consent = True


# ---------------------------------------------------------------- online tests (helper G)


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Quiz"

    program = factory.SubFactory(ProgramFactory)
    audience = "students"
    track = factory.SubFactory(TrackFactory, program=factory.SelfAttribute("..program"))
    use = "both"
    title_kk = factory.Sequence(lambda n: f"Тест {n}")
    title_ru = factory.Sequence(lambda n: f"Тест (рус) {n}")


class QuizQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.QuizQuestion"

    quiz = factory.SubFactory(QuizFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = "single"
    text_kk = factory.Sequence(lambda n: f"Сұрақ {n}?")
    text_ru = factory.Sequence(lambda n: f"Вопрос {n}?")
    points = 1


class QuizChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.QuizChoice"

    question = factory.SubFactory(QuizQuestionFactory)
    order = factory.Sequence(lambda n: n + 1)
    text_kk = factory.Sequence(lambda n: f"Нұсқа {n}")
    text_ru = factory.Sequence(lambda n: f"Вариант {n}")
    is_correct = False


class QuizAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.QuizAttempt"

    quiz = factory.SubFactory(QuizFactory)
    program = factory.SelfAttribute("quiz.program")
    track = factory.SelfAttribute("quiz.track")
    kind = "pre"
    student = factory.SubFactory(StudentFactory, program=factory.SelfAttribute("..program"))
    token = factory.Sequence(lambda n: f"attempt-token-{n:06d}-x")
