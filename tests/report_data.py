"""A small programme with every part of the final report filled in, built with factories,
and `add_people` to grow its data (students, volunteers, tests, publications, evidence)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from birgemiz.models import (
    Evidence,
    InfoWorkGroup,
    InfoWorkPlan,
    Narrative,
    ProjectProposal,
    Publication,
    SocioEconomicIndicator,
    StateRecommendation,
)
from volunteers.models import Volunteer

from .factories import (
    ActivityFactory,
    CourseGroupFactory,
    EnrollmentFactory,
    IndicatorFactory,
    MeetingFactory,
    PartnerFactory,
    PublicationFactory,
    StudentFactory,
    TaskFactory,
    TestResultFactory,
    TrackFactory,
    VolunteerFactory,
)


def build_report_program(program):
    """Two tracks (English, law) under tasks 2 and 3, an outreach task 1 and a monitoring
    task 4; four students and two volunteers per track, all tested (pre 40/50, post 70/80)."""
    _header(program)
    a11, a21, a31, a41 = _tasks_and_activities(program)
    english, law = _tracks(program, a21, a31)
    _indicators(a11, a21, a31, a41)
    _outreach(program, a11)
    _texts(program, a11)
    groups = {
        english: CourseGroupFactory(
            program=program,
            track=english,
            name="Ағылшын-1",
            volunteer=VolunteerFactory(program=program, track=english),
        ),
        law: CourseGroupFactory(
            program=program,
            track=law,
            name="Құқық-1",
            volunteer=VolunteerFactory(program=program, track=law, sex="M"),
        ),
    }
    add_people(program, groups, students_per_track=3)
    return program


def _header(program):
    org = program.organization
    org.chair_title_kk = "«Ұйым» ЖҚБ төрағасы"
    org.chair_title_ru = "Председатель ОО «Организация»"
    org.save()
    program.goal_kk = "Ауыл оқушыларына волонтерлік көмек көрсету."
    program.goal_ru = "Оказание волонтерской помощи сельским школьникам."
    program.topic_ru = "Волонтерская помощь"
    program.planned_beneficiaries = 6
    program.planned_volunteers = 4
    program.save()


def _tasks_and_activities(program):
    t1 = TaskFactory(program=program, number=1, title_kk="Ақпараттандыру", title_ru="Информирование")
    t2 = TaskFactory(program=program, number=2, title_kk="Ағылшын тілі курсы", title_ru="Курс английского")
    t3 = TaskFactory(program=program, number=3, title_kk="Құқық курсы", title_ru="Курс права")
    t4 = TaskFactory(program=program, number=4, title_kk="Мониторинг", title_ru="Мониторинг")
    a11 = ActivityFactory(
        task=t1,
        number=1,
        title_kk="Кездесулер өткізу",
        title_ru="Проведение встреч",
        period_kk="Наурыз – Қараша",
        participants_metric="meeting_participants",
        participant_category_kk="Облыс тұрғындары",
        appendix_number=1,
        narrative_kk="Кездесулер өтті.",
        narrative_ru="Встречи прошли.",
        summary_kk="Жоспар бойынша.",
        result_kk="Кездесулер ұйымдастырылды.",
    )
    a21 = ActivityFactory(
        task=t2,
        number=1,
        title_kk="Ағылшын тілін оқыту",
        participants_metric="track_participants",
        participant_category_kk="Волонтерлер\nҚатысушылар",
        appendix_number=2,
        start=datetime.date(2020, 3, 1),
        end=datetime.date(2020, 11, 30),
    )
    a31 = ActivityFactory(
        task=t3,
        number=1,
        title_kk="Құқықты оқыту",
        participants_metric="track_participants",
        participant_category_kk="Волонтерлер\nҚатысушылар",
        appendix_number=2,
    )
    a41 = ActivityFactory(
        task=t4,
        number=1,
        title_kk="Деңгейді анықтау",
        participants_metric="students_and_volunteers",
        participant_category_kk="Қатысушылар\nВолонтерлер",
        appendix_number=3,
    )
    ActivityFactory(task=t4, number=2, title_kk="Қорытынды шара", participants_typed=35)
    return a11, a21, a31, a41


def _tracks(program, a21, a31):
    english = TrackFactory(
        program=program,
        code="english",
        order=1,
        name_kk="Ағылшын тілі",
        name_ru="Английский язык",
        activity=a21,
        planned_hours=Decimal("48"),
        planned_students=3,
        planned_volunteers=2,
    )
    law = TrackFactory(
        program=program,
        code="law",
        order=2,
        name_kk="Құқықтық сауаттылық",
        name_ru="Правовая грамотность",
        activity=a31,
        planned_hours=Decimal("8"),
        planned_students=3,
        planned_volunteers=2,
    )
    return english, law


def _indicators(a11, a21, a31, a41):
    IndicatorFactory(
        activity=a11,
        order=1,
        name_kk="Кездесулер саны",
        metric="meetings",
        target_value=Decimal("2"),
        target_text_kk="Кемінде 2",
    )
    IndicatorFactory(
        activity=a11,
        order=2,
        name_kk="Қатысушылар саны",
        metric="meeting_participants",
        target_value=Decimal("10"),
        target_text_kk="Кемінде 10",
    )
    IndicatorFactory(
        activity=a11,
        order=3,
        name_kk="Фото",
        metric="photos",
        metric_param="1.1",
        comparator="per_unit",
        per="meeting",
        target_value=Decimal("1"),
        target_text_kk="Әр кездесуден кемінде 1",
    )
    IndicatorFactory(
        activity=a21,
        order=1,
        name_kk="Қатысушылар саны",
        metric="students",
        metric_param="english",
        target_value=Decimal("3"),
        target_text_kk="3",
    )
    IndicatorFactory(
        activity=a21,
        order=2,
        name_kk="Оқу бағдарламасы",
        fact_value=Decimal("1"),
        target_value=Decimal("1"),
        target_text_kk="1",
    )
    IndicatorFactory(
        activity=a31,
        order=1,
        name_kk="Волонтерлар саны",
        metric="volunteers",
        metric_param="law",
        target_value=Decimal("2"),
        target_text_kk="2",
    )
    IndicatorFactory(
        activity=a41,
        order=1,
        name_kk="Сайтқа бағдарлама жазу",
        fact_text="Парақшаның Скрины 1",
        comparator="text",
        target_value=None,
        target_text_kk="Парақшаның Скрины 1",
    )


def _outreach(program, a11):
    MeetingFactory(program=program, activity=a11, participants=7, date=datetime.date(2020, 3, 10))
    MeetingFactory(program=program, activity=a11, participants=8, date=datetime.date(2020, 4, 10))

    g1 = InfoWorkGroup.objects.create(
        program=program, number=1, title_kk="Волонтерларды іріктеу", title_ru="Отбор волонтеров"
    )
    InfoWorkPlan.objects.create(
        group=g1, kind="banner", label_kk="Баннер", plan_text_kk="Кемінде 1", plan_value=1
    )
    InfoWorkPlan.objects.create(
        group=g1,
        kind="post",
        label_kk="Пост мақала (2 тілде)",
        label_ru="Пост, статья (на 2 языках)",
        plan_value=2,
    )
    PublicationFactory(
        program=program, group=g1, kind="banner", title="Баннер", date=datetime.date(2020, 4, 1)
    )
    PublicationFactory(
        program=program,
        group=g1,
        kind="post",
        outlet="Qazvolunteer.kz",
        title="БҚО волонтерлері",
        date=datetime.date(2020, 8, 15),
    )
    PublicationFactory(
        program=program,
        group=g1,
        kind="newspaper",
        outlet="«Орал өңірі» газеті",
        title='=HYPERLINK("http://x")',
        date=datetime.date(2020, 8, 18),
    )


def _texts(program, a11):
    SocioEconomicIndicator.objects.create(
        program=program,
        number=1,
        name_kk="Тікелей бенефициарлар саны",
        name_ru="Количество прямых бенефициаров",
        unit_kk="адам",
        unit_ru="человек",
        plan_text_kk="5 оның ішінде аз қамтылған отбасынан 1",
        plan_text_ru="5, из них из малообеспеченных семей 1",
        metric="direct_beneficiaries",
    )
    SocioEconomicIndicator.objects.create(
        program=program,
        number=2,
        name_kk="Штаттық қызметкерлер саны",
        unit_kk="адам",
        plan_value=Decimal("4"),
        fact_value=Decimal("4"),
    )
    SocioEconomicIndicator.objects.create(
        program=program,
        number=3,
        name_kk="Еңбек ақы төлеу қоры",
        unit_kk="теңге",
        plan_value=Decimal("4185000"),
        fact_value=Decimal("4042547"),
    )
    for key, text in [
        ("achieved_result", "Нәтиже жетті."),
        ("deviation", "Жоба жоспарға сай орындалды."),
        ("goal_achievement", "Мақсатқа жетті."),
        ("social_change", "Өзгерістер болды."),
        ("target_groups", "Мақсатты топтар."),
        ("long_term_effect", "Ұзақ мерзімді әсер."),
        ("sustainability", "Тұрақтылық."),
        ("partner_analysis", "Серіктестер көмектесті."),
    ]:
        Narrative.objects.create(program=program, key=key, text_kk=text, text_ru=f"RU {text}")
    PartnerFactory(program=program, name="БҚО Білім басқармасы", contact="26-04-68-д", order=1)
    PartnerFactory(program=program, name="+7 Медиа", contact="@media", order=2)
    ProjectProposal.objects.create(
        program=program, number=1, title="«JasTour»", amount="20 млн тг", grant_direction="4"
    )
    StateRecommendation.objects.create(
        program=program,
        body="Жастар саясаты басқармасы",
        text="Ұсыныс",
        letter_number="52",
        letter_date=datetime.date(2020, 11, 25),
    )
    Evidence.objects.create(
        program=program,
        activity=a11,
        kind="photo",
        title="Кездесу фотосы",
        file=ContentFile(b"%PDF-1.4 test", name="photo.pdf"),
    )


def add_people(program, groups, students_per_track=3):
    """Per track: more students (all tested), one more volunteer, one more publication."""
    for track, group in groups.items():
        VolunteerFactory(program=program, track=track, status=Volunteer.Status.ACTIVE)
        for i in range(students_per_track):
            student = StudentFactory(
                program=program,
                sex="F" if i % 2 else "M",
                low_income=i == 0,
                birth_date=datetime.date(2005, 1, 10),
            )
            EnrollmentFactory(group=group, student=student)
            TestResultFactory(
                student=student,
                program=program,
                track=track,
                kind="pre",
                score=Decimal("40") if i % 2 else Decimal("50"),
            )
            TestResultFactory(
                student=student,
                program=program,
                track=track,
                kind="post",
                score=Decimal("70") if i % 2 else Decimal("80"),
            )
        PublicationFactory(program=program, kind="post", date=datetime.date(2020, 6, 5))
        MeetingFactory(program=program, participants=3)
    return groups


def report_groups(program):
    from courses.models import CourseGroup

    return {g.track: g for g in CourseGroup.objects.filter(program=program).select_related("track")}


def typed(value):
    return Decimal(value)


__all__ = ["build_report_program", "add_people", "report_groups", "Publication"]
