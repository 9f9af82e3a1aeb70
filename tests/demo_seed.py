"""The seed report's figures the demo programme must reproduce (copied here from the seed
report, not read from the loader's data), and small readers of the demo's records, for
tests/test_demo_programme.py."""

import datetime

from django.contrib.auth.models import User
from django.db.models import Max

from assessments.models import ContestEntry, UntOutcome
from assessments.models import TestResult as Result  # as TestResult, pytest would try to collect it
from birgemiz.models import (
    AuditEntry,
    Evidence,
    Indicator,
    Meeting,
    Narrative,
    Partner,
    Program,
    Publication,
    SocioEconomicIndicator,
)
from courses.models import Attendance, CourseGroup, Enrollment, Lesson, Student
from reporting.metrics import compute
from surveys.models import Answer, SurveyResponse
from volunteers.models import (
    ApplicationScore,
    Award,
    Certificate,
    CouncilMeeting,
    Volunteer,
    VolunteerApplication,
)

AS_OF = datetime.date(2020, 11, 30)

# track: (volunteers, students, hours, pre %, post %, growth pp, subjects)
TRACKS = {
    "english": (21, 378, 48, 46, 75, 29, 0),
    "computer": (20, 258, 8, 68, 93, 25, 0),
    "unt": (25, 469, 48, 70, 85, 15, 13),
    "law": (27, 385, 8, 66, 90, 24, 0),
    "olympiad": (17, 128, 48, 56, 81, 25, 9),
}

AGE_BRACKETS = {
    (13, 16): 1618,
    (17, 22): 70,
    (23, 27): 11,
    (28, 32): 10,
    (33, 45): 15,
    (46, 58): 4,
    (59, 200): 0,
}

STATUSES = {
    "child": 16,
    "youth": 48,
    "civil_servant": 1,
    "budget_employee": 30,
    "disabled": 0,
    "elderly": 3,
    "unemployed": 12,
    "ngo": 7,
    "business": 7,
    "other": 1604,
}

# The seed's «Кестені толтырып…» table: task, activity, product, plan, fact.
PLAN_FACT = [
    (1, 1, "Кездесулер кестесі", "Кемінде 1", "1"),
    (1, 1, "Кездесулер бағдарламасы", "Кемінде 10", "36"),
    (1, 1, "Қатысушылар тізімі", "Кемінде 1", "36"),
    (1, 1, "Қатысушылар саны", "Кемінде 200", "698"),
    (1, 1, "Кездесулер хаттамасы", "Кемінде 10", "36"),
    (1, 1, "БАҚ жарияланымдардың болуы", "Кемінде 5", "9"),
    (1, 1, "Ақпаратты тарату жолдары", "Кемінде 5", "5"),
    (1, 1, "Видеоролик хронометражы 1 минутка дейн, есеп үшін скрин жасау", "Кемінде 4", "4"),
    (1, 1, "Видеороликтың таралым каналы", "Кемінде 5", "6"),
    (1, 1, "Видеороликтың қаралым саны", "Кемінде 400", "5344"),
    (1, 1, "Фото", "Әр кездесуден кемінде 5", "180"),
    (
        1,
        1,
        "Жобаға қатысушы оқушылардың арасында белсенділігі мен қызығушылығын арттыру мақсатында "
        "әлеуметтік желіде байқау ұйымдастыру",
        "Кемінде 1",
        "1",
    ),
    (1, 2, "Облыстық білім басқармасымен келісілген сауалнама формасы", "Кемінде 1", "1"),
    (1, 2, "Оқушылармен толтырылған сауалнама Кемінде 100", "Кемінде 3%", "100"),
    (1, 2, "Білім беру бағыттары бойынша сауалнамаларға анализ", "Кемінде 1", "1"),
    (1, 3, "Сараптамалық кеңес туралы ереже", "1", "1"),
    (1, 3, "Сараптамалық кеңес құрамының тізімі", "1 (кемінде 5 адам)", "1 (5 адам)"),
    (1, 3, "Волонтерларды іріктеу ережесі", "1", "1"),
    (1, 3, "Волонтерларды іріктеу байқауы туралы хабарландыру", "Кемінде 3", "4"),
    (1, 3, "Білім беру бағыттары бойынша сараптамалық кеңес хаттамасы", "5", "5"),
    (1, 3, "Qazvolunteer сайтына бағдарлама жазу", "Парақшаның Скрины 1", "5"),
    (1, 4, "Волонтерлар тізімі", "1", "1"),
    (1, 4, "Білім беру бағыттары бойынша волонтерлар саны", "100", "110"),
    (1, 4, "Білім деңгейін өлшеу (бастапқы және кейінгі)", "2", "2"),
    (1, 4, "Оқыту курстарының бағдарламасы", "5", "9"),
    (1, 4, "Кері байланыс сауалнамасының көшірмелері", "Кемінде 25", "110"),
    (1, 4, "Сауалнама анализі", "5", "5"),
    (1, 4, "БАҚ жарияланымдар, баспасөз мәлімдемесі", "Кемінде 1", "1"),
    (1, 4, "Қатысушылар пікірі (көшірме)", "Кемінде 3", "8"),
    (1, 4, "Волонтерлерге әдістемелік ұсынымдар – 100 дана.", "1", "100 дана"),
    (1, 4, "Qazvolunteer сайтына бағдарлама жазу", "Парақшаның Скрины 1", "1"),
    (2, 1, "Оқу бағдарламасы", "1", "1"),
    (2, 1, "Оқыту курсының өту кестесі", "1", "1"),
    (2, 1, "Қатысу журналы", "Әр мектепте 1", "21"),
    (2, 1, "Қатысушылар саны", "200", "378"),
    (2, 1, "Волонтерлар саны", "20", "21"),
    (2, 1, "Білім деңгейін өлшеу (бастапқы және кейінгі)", "2", "2"),
    (2, 1, "Атқарылған жұмыс анализі, аналитикалық анықтама", "1", "1"),
    (2, 1, "Фотосурет", "10", "10"),
    (2, 1, "Қатысушылар пікірі", "Кемінде 3", "11"),
    (2, 1, "Ағылшын тілі бағыты бойынша байқау ұйымдастыру", "Кемінде 1 рет", "1"),
    (3, 1, "Оқу бағдарламасы", "1", "1"),
    (3, 1, "Оқыту курсының өту кестесі", "1", "1"),
    (3, 1, "Қатысу журналы", "Әр мектепте 1", "20"),
    (3, 1, "Қатысушылар саны", "250", "258"),
    (3, 1, "Волонтерлар саны", "20", "20"),
    (3, 1, "Білім деңгейін өлшеу (бастапқы және кейінгі)", "2", "2"),
    (3, 1, "Атқарылған жұмыс анализі, аналитикалық анықтама", "1", "1"),
    (3, 1, "Фотосурет", "10", "10"),
    (3, 1, "Қатысушылар пікірі", "Кемінде 3", "10"),
    (4, 1, "Оқу бағдарламасы", "1", "13"),
    (4, 1, "Оқыту курсының өту кестесі", "1", "13"),
    (4, 1, "Қатысу журналы", "Әр мектепте 1", "25"),
    (4, 1, "Қатысушылар саны", "250", "469"),
    (4, 1, "Волонтерлар саны", "25", "25"),
    (4, 1, "Білім деңгейін өлшеу (бастапқы және кейінгі)", "2", "26"),
    (4, 1, "Атқарылған жұмыс анализі, аналитикалық анықтама", "1", "1"),
    (4, 1, "Фотосурет", "10", "17"),
    (4, 1, "Қатысушылар пікірі", "Кемінде 3", "13"),
    (5, 1, "Оқу бағдарламасы", "1", "1"),
    (5, 1, "Оқыту курсының өту кестесі", "1", "1"),
    (5, 1, "Қатысушылар саны", "250", "385"),
    (5, 1, "Волонтерлар саны", "25", "27"),
    (5, 1, "Білім деңгейін өлшеу (бастапқы және кейінгі)", "2", "2"),
    (5, 1, "Атқарылған жұмыс анализі, аналитикалық анықтама", "1", "1"),
    (5, 1, "Фотосурет", "10", "13"),
    (5, 1, "Қатысушылар пікірі", "Кемінде 3", "13"),
    (5, 1, "Құқықтық сауаттылық бағыты бойынша байқау ұйымдастыру", "Кемінде 1 рет", "1"),
    (6, 1, "Оқу бағдарламасы", "1", "9"),
    (6, 1, "Оқыту курсының өту кестесі", "1", "1"),
    (6, 1, "Қатысу журналы", "Әр мектепте 1", "17"),
    (6, 1, "Қатысушылар саны", "50", "128"),
    (6, 1, "Волонтерлар саны", "10", "17"),
    (6, 1, "Білім деңгейін өлшеу (бастапқы және кейінгі)", "2", "18"),
    (6, 1, "Атқарылған жұмыс анализі, аналитикалық анықтама", "1", "1"),
    (6, 1, "Фотосурет", "10", "10"),
    (6, 1, "Қатысушылар пікірі", "Кемінде 3", "5"),
    (7, 1, "Аудандар бойынша волонтерлар тізімі", "1", "1"),
    (7, 1, "Аналитикалық анықтама", "1", "1"),
    (7, 1, "Кері байланыс сауалнамасы, білім деңгейін анықтау тесті", "1", "5"),
    (7, 1, "Аралық есеп", "1", "1"),
    (7, 1, "Қорытынды есеп", "1", "1"),
    (7, 1, "Qazvolunteer сайтына бағдарлама жазу", "Парақшаның Скрины 1", "Парақшаның Скрины 1"),
    (7, 1, "Шара бағдарламасын әзірлеу", "1", "1"),
    (7, 1, "Жоба жеңімпазы", "35", "35"),
    (7, 1, "Әлеуметтік желілердегі жарияланымдар", "1 БАҚ мақала", "1 БАҚ мақала"),
    (7, 1, "Видеоролик", "1", "1"),
    (7, 1, "Видеороликтың қаралым саны", "100", "200"),
]

# The socio-economic table: number, plan as written, fact.
SOCIO_ECONOMIC = [
    (1, "1000 оның ішінде аз қамтылған отбасынан 200", 1618),
    (2, "10", 10),
    (3, "4", 4),
    (4, "3 (1)", 7),
    (5, "5", 10),
    (6, "4185000", 4042547),
    (7, "441522", 319362),
    (8, "1546000", 1395970),
    (9, "10", 19),
]


def age(birth_date):
    return AS_OF.year - birth_date.year - ((AS_OF.month, AS_OF.day) < (birth_date.month, birth_date.day))


def people(program):
    return [
        *Student.objects.filter(program=program).values_list("sex", "birth_date", "social_status"),
        *Volunteer.objects.filter(program=program).values_list("sex", "birth_date", "social_status"),
    ]


def indicator_fact(program, indicator):
    if indicator.fact_text:
        return indicator.fact_text
    if indicator.fact_value is not None:
        return f"{indicator.fact_value.normalize():f}"
    return compute(program, indicator.metric, indicator.metric_param).display


KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def snapshot():
    tracked = [
        Program,
        Student,
        Volunteer,
        Result,
        Lesson,
        Indicator,
        SurveyResponse,
        Evidence,
        Award,
        Meeting,
    ]
    state = {m.__name__: (m.objects.count(), m.objects.aggregate(u=Max("updated_at"))["u"]) for m in tracked}
    state["attendance"] = Attendance.objects.count()
    state["audit"] = AuditEntry.objects.count()
    state["users"] = list(User.objects.order_by("id").values_list("username", "password", "last_login"))
    return state


def validation_samples(program):
    """Some records of every kind the demo writes, for `full_clean`."""
    return [
        Program.objects.filter(pk=program.pk),
        Student.objects.filter(program=program).order_by("id")[:20],
        Volunteer.objects.filter(program=program)[:20],
        CourseGroup.objects.filter(program=program)[:10],
        Enrollment.objects.filter(group__program=program)[:10],
        Lesson.objects.filter(group__program=program)[:10],
        Attendance.objects.filter(lesson__group__program=program)[:10],
        Result.objects.filter(program=program)[:10],
        Result.objects.filter(program=program, volunteer__isnull=False)[:5],
        UntOutcome.objects.filter(student__program=program)[:10],
        ContestEntry.objects.filter(contest__program=program)[:10],
        SurveyResponse.objects.filter(survey__program=program)[:10],
        Answer.objects.filter(response__survey__program=program)[:10],
        VolunteerApplication.objects.filter(program=program)[:10],
        ApplicationScore.objects.filter(application__program=program)[:10],
        Award.objects.filter(program=program)[:5],
        Certificate.objects.filter(program=program)[:5],
        CouncilMeeting.objects.filter(program=program),
        Meeting.objects.filter(program=program)[:5],
        Indicator.objects.filter(activity__task__program=program),
        SocioEconomicIndicator.objects.filter(program=program),
        Publication.objects.filter(program=program),
        Partner.objects.filter(program=program),
        Narrative.objects.filter(program=program),
    ]
