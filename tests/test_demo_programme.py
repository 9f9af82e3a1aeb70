"""The demo programme (`manage.py load_demo`): its records reproduce every figure of the
2020 West Kazakhstan report, hold the constraints, and a second run writes nothing.

The expected figures are copied here from the seed report, not read from the loader's data.
"""

import datetime
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Avg, Count, F, Max, Min, Sum

from assessments.models import Contest, ContestEntry, UntOutcome
from assessments.models import TestResult as Result  # as TestResult, pytest would try to collect it
from birgemiz.models import (
    Activity,
    District,
    Evidence,
    Indicator,
    InfoWorkPlan,
    Meeting,
    Narrative,
    Partner,
    Program,
    ProjectProposal,
    Publication,
    School,
    SocioEconomicIndicator,
    StateRecommendation,
    Track,
)
from birgemiz.validators import validate_iin
from courses.models import Attendance, CourseGroup, Enrollment, Lesson, Student
from reporting.metrics import compute
from surveys.models import Answer, SurveyResponse
from volunteers.models import (
    ApplicationScore,
    Award,
    Certificate,
    CouncilMeeting,
    CouncilMember,
    SelectionCriterion,
    Volunteer,
    VolunteerApplication,
)

from .demo_seed import (
    AGE_BRACKETS,
    KAZAKH_LETTERS,
    PLAN_FACT,
    SOCIO_ECONOMIC,
    STATUSES,
    TRACKS,
    age,
    indicator_fact,
    people,
    snapshot,
    validation_samples,
)

pytestmark = pytest.mark.usefixtures("db")


def test_it_loads_one_programme_with_the_seeds_header(demo_program):
    p = Program.objects.select_related("organization", "region").get(code="bko-2020")
    assert p.pk == demo_program.pk
    assert p.organization.name_kk == "«Жас қанат» жастар қоғамдық бірлестігі"
    assert p.organization.chair_name == "Сейтимов Азат Галимович"
    assert p.grant_amount == 15337100
    assert (p.start, p.end, p.report_date) == (
        datetime.date(2020, 3, 1),
        datetime.date(2020, 11, 30),
        datetime.date(2020, 11, 30),
    )
    assert p.topic_kk.startswith("Батыс Қазақстан облысындағы ауылдық жерлердегі")
    assert p.title_ru and p.topic_ru and p.goal_kk and p.goal_ru
    assert p.operator_kk == "«Азаматтық бастамаларды қолдау орталығы» КЕАҚ"
    assert (p.planned_beneficiaries, p.planned_volunteers) == (1000, 100)
    assert p.region.code == "bko"
    districts = District.objects.filter(region=p.region)
    assert districts.filter(is_city=False).count() == 12
    assert districts.filter(is_city=True).get().name_kk == "Орал қаласы"
    assert all(d.name_ru for d in districts)
    assert (
        School.objects.filter(district__region=p.region, district__is_city=False)
        .values("district")
        .distinct()
        .count()
        == 12
    )


def test_it_has_the_seven_tasks_and_eleven_activities(demo_program):
    activities = list(
        demo_program.tasks.order_by("number", "activities__number").values_list(
            "number", "activities__number", "activities__appendix_number"
        )
    )
    assert [(t, a) for t, a, _ in activities] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (2, 1),
        (3, 1),
        (4, 1),
        (5, 1),
        (6, 1),
        (7, 1),
        (7, 2),
    ]
    assert [n for _, _, n in activities] == [1, 2, 2, 3, 4, 4, 4, 5, 5, 5, 5]
    for task in demo_program.tasks.all():
        assert task.title_kk and task.title_ru
        for activity in task.activities.all():
            assert activity.title_ru and activity.narrative_kk and activity.result_kk and activity.summary_kk
            assert activity.completeness_percent == 100
    first = demo_program.tasks.get(number=1).activities.get(number=1)
    assert first.narrative_kk.startswith("Ақпан айынан бастап жобаны облыста кеңінен ақпараттандыру")
    assert first.result_kk.startswith("БҚО-да жобаны іске асыру туралы облыс тұрғындарына")
    assert "Жыл бойы 36 кездесу өткізіліп" in first.summary_kk
    assert compute(demo_program, first.participants_metric).value == 698
    final = demo_program.tasks.get(number=7).activities.get(number=2)
    assert final.period_kk == "Қараша" and final.start == datetime.date(2020, 11, 7)
    assert compute(demo_program, final.participants_metric).value == 35


@pytest.mark.parametrize("code", list(TRACKS))
def test_it_reproduces_each_track(demo_program, code):
    volunteers, students, hours, *_ = TRACKS[code]
    track = Track.objects.get(program=demo_program, code=code)
    assert track.planned_hours == hours
    assert Volunteer.objects.filter(program=demo_program, track=track).count() == volunteers
    assert Student.objects.filter(enrollments__group__track=track).distinct().count() == students
    assert compute(demo_program, "students", code).value == students
    assert compute(demo_program, "volunteers", code).value == volunteers
    assert compute(demo_program, "track_participants", code).display == f"{volunteers} / {students}"
    assert track.activity.participants_metric == "track_participants"
    assert track.subjects.count() == TRACKS[code][6]
    groups = CourseGroup.objects.filter(track=track)
    assert groups.count() == volunteers
    assert groups.values("volunteer").distinct().count() == volunteers
    if TRACKS[code][6]:
        assert groups.values("subject").distinct().count() == TRACKS[code][6]


@pytest.mark.parametrize("code", list(TRACKS))
def test_it_reproduces_pre_and_post_means_exactly(demo_program, code):
    *_, pre, post, growth, _subjects = TRACKS[code]
    results = Result.objects.filter(program=demo_program, track__code=code, student__isnull=False)
    means = {
        row["kind"]: row["mean"] for row in results.values("kind").annotate(mean=Avg("score"), n=Count("id"))
    }
    assert Decimal(means["pre"]).quantize(Decimal("0.0001")) == pre
    assert Decimal(means["post"]).quantize(Decimal("0.0001")) == post
    assert post - pre == growth
    n = TRACKS[code][1]
    sums = {row["kind"]: row["s"] for row in results.values("kind").annotate(s=Sum("score"))}
    assert sums == {"pre": pre * n, "post": post * n}
    assert results.filter(kind="pre").count() == results.filter(kind="post").count() == n
    scores = list(results.values_list("score", flat=True))
    assert all(0 <= x <= 100 and x == x.to_integral_value() for x in scores)


def test_it_gives_every_student_one_group_and_a_pre_and_post_test(demo_program):
    students = Student.objects.filter(program=demo_program)
    assert students.count() == 1618
    per_student = Counter(
        Enrollment.objects.filter(student__program=demo_program).values_list("student", flat=True)
    )
    assert len(per_student) == 1618 and set(per_student.values()) == {1}
    tests = Counter(Result.objects.filter(student__program=demo_program).values_list("student", "kind"))
    assert len(tests) == 2 * 1618 and set(tests.values()) == {1}
    assert set(students.values_list("grade", flat=True)) == {8, 9, 10, 11}
    with_iin = list(students.exclude(iin="").values_list("iin", flat=True))
    assert len(with_iin) > 1400 and len(set(with_iin)) == len(with_iin)
    for iin in with_iin:
        validate_iin(iin)
    assert students.filter(low_income=True).count() == 319
    assert compute(demo_program, "low_income_students").value == 319
    assert students.values("school__district").distinct().count() >= 12


def test_it_reproduces_gender_ages_and_statuses(demo_program):
    everyone = people(demo_program)
    assert len(everyone) == 1728
    assert Counter(sex for sex, _, _ in everyone) == {"M": 565, "F": 1163}
    ages = [age(b) for _, b, _ in everyone]
    for (lo, hi), expected in AGE_BRACKETS.items():
        assert sum(lo <= a <= hi for a in ages) == expected, (lo, hi)
    students_ages = {
        age(b) for b in Student.objects.filter(program=demo_program).values_list("birth_date", flat=True)
    }
    assert students_ages <= set(range(13, 17))
    statuses = Counter(status for _, _, status in everyone)
    assert {k: statuses.get(k, 0) for k in STATUSES} == STATUSES
    elderly = Volunteer.objects.filter(program=demo_program, social_status="elderly").values_list(
        "birth_date", flat=True
    )
    assert all(age(b) >= 50 for b in elderly)


def test_it_reproduces_unt_outcomes_and_contests(demo_program):
    outcomes = UntOutcome.objects.filter(student__program=demo_program)
    assert outcomes.count() == 227
    assert outcomes.filter(grant_won=True).count() == 98
    assert not outcomes.exclude(student__enrollments__group__track__code="unt").exists()
    assert set(outcomes.values_list("student__grade", flat=True)) <= {10, 11}
    regional = Contest.objects.get(program=demo_program, level="region")
    assert "Ұлы өнертапқыштыққа алғашқы қадам" in regional.title
    winners = {
        (e.student.last_name, e.student.first_name, e.place)
        for e in ContestEntry.objects.filter(contest=regional).select_related("student")
    }
    assert winners == {("Макиева", "Алтынай", 1), ("Байешова", "Әсия", 1), ("Қуантайқызы", "Фатима", 1)}
    republic = ContestEntry.objects.select_related("student").get(
        contest__program=demo_program, contest__level="republic"
    )
    assert (republic.student.last_name, republic.place) == ("Байешова", 3)
    named = Student.objects.filter(last_name__in=["Макиева", "Байешова", "Қуантайқызы"], program=demo_program)
    assert set(named.values_list("enrollments__group__track__code", flat=True)) == {"olympiad"}
    assert set(
        Contest.objects.filter(program=demo_program, level="program").values_list("track__code", flat=True)
    ) == {"english", "law", None}


def test_it_reproduces_the_survey(demo_program):
    responses = SurveyResponse.objects.filter(survey__program=demo_program)
    assert responses.count() == 2641
    assert compute(demo_program, "survey_responses").value == 2641
    linked = Counter(responses.exclude(student=None).values_list("student", flat=True))
    assert len(linked) == 1618 and set(linked.values()) == {1}
    survey = responses.first().survey
    assert survey.code == "bko-2020-needs" and survey.is_published
    kinds = list(survey.questions.values_list("kind", flat=True))
    assert kinds == ["district", "school", "single", "multiple", "multiple", "text"]
    interest = Counter(
        Answer.objects.filter(response__survey=survey, question__code="tracks").values_list(
            "choice__track__code", flat=True
        )
    )
    assert [code for code, _ in interest.most_common(2)] == ["unt", "english"]
    assert responses.values("identity_key").distinct().count() == 2641
    assert responses.values("code").distinct().count() == 2641
    # Each enrolled student asked for the track they were put in.
    own = Answer.objects.filter(
        response__survey=survey,
        question__code="tracks",
        response__student__enrollments__group__track=F("choice__track"),
    )
    assert own.values("response").distinct().count() == 1618


def test_it_reproduces_outreach_meetings_and_their_evidence(demo_program):
    meetings = Meeting.objects.filter(program=demo_program)
    assert meetings.count() == 36
    assert meetings.aggregate(s=Sum("participants"))["s"] == 698
    assert not meetings.filter(has_protocol=False).exists()
    assert not meetings.filter(has_participant_list=False).exists()
    # The seed dates none of its meetings and places them all in the region: so does the demo.
    assert not meetings.filter(date__isnull=False).exists()
    assert not meetings.filter(district__isnull=False).exists()
    assert set(meetings.values_list("place", flat=True)) == {"Батыс Қазақстан облысы"}
    assert meetings.exclude(audience="").get().audience.startswith("Білім беру басқармасы және 12 ауданның")
    photos = Evidence.objects.filter(program=demo_program, kind="photo", meeting__isnull=False)
    assert photos.count() == 180
    assert set(Counter(photos.values_list("meeting", flat=True)).values()) == {5}
    evidence = Evidence.objects.filter(program=demo_program)
    assert not evidence.filter(title_ru="").exists()
    assert set(evidence.exclude(date=None).values_list("date", flat=True)) == {
        datetime.date(2020, 11, 7),
        datetime.date(2020, 11, 25),
    }
    for key, n in {"1.1": 180, "2.1": 10, "3.1": 10, "4.1": 17, "5.1": 13, "6.1": 10}.items():
        assert compute(demo_program, "photos", key).value == n


def test_it_wrote_real_evidence_files(demo_program, settings):
    settings.MEDIA_ROOT = str(demo_program.demo_media_root)
    evidence = Evidence.objects.filter(program=demo_program)
    names = list(evidence.values_list("file", flat=True))
    assert len(set(names)) == len(names) > 300
    for ev in evidence.filter(kind="photo")[:3]:
        with default_storage.open(ev.file.name) as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
        ev.full_clean()
    for ev in evidence.exclude(kind="photo")[:3]:
        with default_storage.open(ev.file.name) as fh:
            assert fh.read(4) == b"%PDF"
    for meeting in CouncilMeeting.objects.filter(program=demo_program):
        assert default_storage.exists(meeting.minutes.name)


def test_it_reproduces_the_council_selection_and_awards(demo_program):
    members = CouncilMember.objects.filter(program=demo_program)
    assert members.count() == 5
    assert members.get(role="chair").full_name == "Каиров Алихан Аскарович"
    meetings = CouncilMeeting.objects.filter(program=demo_program).order_by("number")
    assert meetings.count() == 5 and compute(demo_program, "council_meetings").value == 5
    assert meetings[0].date.month == 5 and meetings[0].date.year == 2020
    assert all(m.agenda and m.decisions and m.attendees.count() >= 4 for m in meetings)
    criteria = SelectionCriterion.objects.filter(program=demo_program)
    assert 4 <= criteria.count() <= 5 and all(c.name_ru for c in criteria)
    apps = VolunteerApplication.objects.filter(program=demo_program)
    assert apps.count() > 200
    assert apps.filter(consent=False).count() == 0
    selected = apps.filter(decision="selected")
    assert selected.count() == 110
    assert selected.exclude(volunteer=None).values("volunteer").distinct().count() == 110
    assert not apps.exclude(decision="selected").filter(volunteer__isnull=False).exists()
    scores = ApplicationScore.objects.filter(application__program=demo_program)
    assert scores.count() == apps.count() * 5 * criteria.count()
    mean = dict(scores.values_list("application__decision").annotate(m=Avg("score")))
    assert mean["selected"] > mean["reserve"] > mean["rejected"]
    awards = Award.objects.filter(program=demo_program)
    assert awards.count() == 35 == compute(demo_program, "awarded_volunteers").value
    assert set(awards.values_list("awarded_on", flat=True)) == {datetime.date(2020, 11, 7)}
    assert awards.values("certificate_code").distinct().count() == 35
    assert Volunteer.objects.filter(program=demo_program, status="awarded").count() == 35
    assert Certificate.objects.filter(program=demo_program, kind="award").count() == 35
    assert Certificate.objects.filter(program=demo_program, kind="training").count() == 110
    trainers = demo_program.trainers.all()
    assert trainers.count() == 6
    assert set(trainers.values_list("tracks__code", flat=True)) == set(TRACKS) | {None}
    assert all(e.attendees.exists() for e in demo_program.trainings.all())
    tested = Result.objects.filter(program=demo_program, volunteer__isnull=False)
    assert Counter(tested.values_list("kind", flat=True)) == {"pre": 110, "post": 110}


def test_it_gives_every_group_its_planned_hours_with_attendance(demo_program):
    groups = (
        CourseGroup.objects.filter(program=demo_program)
        .annotate(hours=Sum("lessons__hours"), lessons_n=Count("lessons", distinct=True))
        .select_related("track")
    )
    for group in groups:
        assert group.hours == group.track.planned_hours, group.name
    lessons = Lesson.objects.filter(group__program=demo_program)
    assert not lessons.exclude(status="confirmed").exists()
    span = lessons.aggregate(first=Min("date"), last=Max("date"))
    assert span["first"] >= datetime.date(2020, 3, 1) and span["last"] <= datetime.date(2020, 11, 30)
    expected = sum(g.lessons_n * g.enrollments.count() for g in groups)
    attendance = Attendance.objects.filter(lesson__group__program=demo_program)
    assert attendance.count() == expected
    present = attendance.filter(present=True).count()
    assert 0.8 * expected < present < expected


def test_it_reproduces_every_plan_fact_row(demo_program):
    rows = list(
        Indicator.objects.filter(activity__task__program=demo_program)
        .select_related("activity__task")
        .order_by("activity__task__number", "activity__number", "order")
    )
    assert len(rows) == len(PLAN_FACT)
    for ind, (task, activity, product, plan, fact) in zip(rows, PLAN_FACT, strict=True):
        assert (ind.activity.task.number, ind.activity.number, ind.name_kk) == (task, activity, product)
        assert ind.target_text_kk == plan
        assert ind.name_ru
        assert indicator_fact(demo_program, ind) == fact, (task, activity, product)


def test_it_computes_the_facts_records_can_give(demo_program):
    computed = {
        (i.activity.task.number, i.activity.number, i.name_kk): (i.metric, i.metric_param)
        for i in Indicator.objects.filter(activity__task__program=demo_program)
        .exclude(metric="")
        .select_related("activity__task")
    }
    assert computed[(1, 1, "Кездесулер бағдарламасы")] == ("meetings", "")
    assert computed[(1, 1, "Фото")] == ("photos", "1.1")
    assert computed[(1, 1, "Видеороликтың қаралым саны")] == ("video_views", "1.1")
    assert computed[(1, 3, "Білім беру бағыттары бойынша сараптамалық кеңес хаттамасы")] == (
        "council_meetings",
        "",
    )
    assert computed[(1, 4, "Білім беру бағыттары бойынша волонтерлар саны")] == ("volunteers", "")
    assert computed[(4, 1, "Білім деңгейін өлшеу (бастапқы және кейінгі)")] == ("test_measurements", "unt")
    assert computed[(6, 1, "Қатысу журналы")] == ("attendance_journals", "olympiad")
    assert computed[(7, 1, "Жоба жеңімпазы")] == ("awarded_volunteers", "")
    assert computed[(7, 1, "Видеороликтың қаралым саны")] == ("video_views", "7.1")
    # The seed's typed facts that records could give keep their typed value; the records check them.
    typed = {
        (i.activity.task.number, i.activity.number, i.name_kk): (i.fact_value, i.metric)
        for i in Indicator.objects.filter(activity__task__program=demo_program, fact_value__isnull=False)
        .exclude(metric="")
        .select_related("activity__task")
    }
    assert typed == {
        (1, 1, "БАҚ жарияланымдардың болуы"): (9, "publications"),
        (1, 2, "Оқушылармен толтырылған сауалнама Кемінде 100"): (100, "survey_responses"),
    }
    assert compute(demo_program, "publications").value == 24
    assert compute(demo_program, "survey_responses").value == 2641


def test_it_parses_plans_as_written(demo_program):
    plans = {
        (i.activity.task.number, i.activity.number, i.name_kk): (i.comparator, i.target_value)
        for i in Indicator.objects.filter(activity__task__program=demo_program).select_related(
            "activity__task"
        )
    }
    assert plans[(1, 1, "Кездесулер бағдарламасы")] == ("at_least", 10)
    assert plans[(1, 1, "Фото")] == ("per_unit", 5)
    assert plans[(2, 1, "Қатысу журналы")] == ("per_unit", 1)
    pers = {
        i.name_kk: i.per
        for i in Indicator.objects.filter(activity__task__program=demo_program, comparator="per_unit")
    }
    assert pers == {"Фото": "meeting", "Қатысу журналы": "school"}
    assert plans[(1, 3, "Сараптамалық кеңес туралы ереже")] == ("exactly", 1)
    assert plans[(1, 3, "Qazvolunteer сайтына бағдарлама жазу")] == ("text", None)
    assert plans[(1, 2, "Оқушылармен толтырылған сауалнама Кемінде 100")] == ("at_least", 3)


def test_it_reproduces_the_socio_economic_table(demo_program):
    rows = list(SocioEconomicIndicator.objects.filter(program=demo_program).order_by("number"))
    assert len(rows) == len(SOCIO_ECONOMIC)
    for row, (number, plan, fact) in zip(rows, SOCIO_ECONOMIC, strict=True):
        assert (row.number, row.plan_text_kk) == (number, plan)
        assert row.plan_value is not None and row.name_ru and row.unit_kk
        value = compute(demo_program, row.metric).value if row.metric else row.fact_value
        assert value == fact, number
    assert rows[0].metric == "direct_beneficiaries" and rows[-1].metric == "partners"


def test_it_reproduces_publications_partners_and_videos(demo_program):
    pubs = Publication.objects.filter(program=demo_program)
    assert pubs.exclude(kind__in=["banner", "video"]).count() == 24
    assert Counter(pubs.exclude(kind__in=["banner", "video"]).values_list("group__number", flat=True)) == {
        1: 6,
        2: 13,
        3: 5,
    }
    assert Counter(pubs.filter(kind="banner").values_list("group__number", flat=True)) == {1: 5, 3: 1}
    assert Counter(pubs.values_list("kind", flat=True))["interview"] == 1
    assert Counter(pubs.values_list("kind", flat=True))["newspaper"] == 5
    videos = pubs.filter(kind="video")
    assert videos.filter(group__isnull=False).count() == 0
    # The seed dates no video and no banner: neither does the demo, so no month counts them.
    assert not pubs.filter(kind__in=["banner", "video"], date__isnull=False).exists()
    assert videos.filter(url="https://youtu.be/c1q6AntxlMU").count() == 1
    assert not pubs.exclude(kind__in=["banner", "video"]).filter(date__isnull=True).exists()
    assert all(p.title_ru or not KAZAKH_LETTERS & set(p.title) for p in pubs.exclude(kind="video"))
    assert compute(demo_program, "videos", "1.1").value == 4
    assert compute(demo_program, "video_views", "1.1").value == 5344
    assert compute(demo_program, "video_views", "7.1").value == 200
    plans = {
        (p.group.number, p.kind): p.plan_text_kk
        for p in InfoWorkPlan.objects.filter(group__program=demo_program).select_related("group")
    }
    assert plans == {
        (1, "banner"): "Кемінде 1",
        (1, "post"): "5",
        (2, "post"): "Кемінде 5",
        (3, "banner"): "Кемінде 1",
        (3, "post"): "5",
    }
    partners = Partner.objects.filter(program=demo_program).order_by("order")
    assert partners.count() == 19 == compute(demo_program, "partners").value
    assert not partners.filter(name_ru="").exists() and not partners.filter(role_ru="").exists()
    assert partners.get(name="«Дәуір» ЖҚБ").name_ru == "МОО «Дәуір»"  # the name as it is, the form in Russian
    assert partners.first().name == "БҚО Ішкі саясат" and partners.last().name == "«Жас эколог» ЖҚБ"


def test_it_copies_the_narratives_verbatim(demo_program):
    texts = dict(Narrative.objects.filter(program=demo_program).values_list("key", "text_kk"))
    assert set(texts) == set(Narrative.Key.values)
    assert texts["deviation"] == "Жоба жоспарға сай орындалды."
    assert texts["statistics_intro"].endswith("жобаға қатысушылар саны 1728 адамды құрайды.")
    assert "Макиева Алтынай" in texts["social_change"]
    assert texts["sustainability"].startswith("Әлеуметтік жобаның ауылдық елді мекендердегі оқушыларға")
    assert texts["achieved_result"].startswith("Жобаға ауылдық елді-мекендердегі 3000-ға жуық оқушы")
    proposal = ProjectProposal.objects.get(program=demo_program)
    assert "«JasTour»" in proposal.title and proposal.grant_direction == ""  # the seed ticks none
    assert proposal.amount == "20 млн тг" and proposal.expected_results and proposal.tasks
    rec = StateRecommendation.objects.get(program=demo_program)
    assert (rec.letter_number, rec.letter_date) == ("52", datetime.date(2020, 11, 25))
    assert rec.body == "Батыс Қазақстан облысы Жастар саясаты мәселелері басқармасы"
    assert rec.body_ru == "Управление по вопросам молодёжной политики Западно-Казахстанской области"


def test_it_carries_a_russian_version_of_every_seed_text(demo_program):
    """Every text the report prints has its Russian, with the seed's tables marked in the
    same places as in the Kazakh."""
    names = ("Әсия", "Қуантайқызы")  # the students the seed names, as they are
    for n in Narrative.objects.filter(program=demo_program):
        text = n.text_ru
        for name in names:
            text = text.replace(name, "")
        assert n.text_ru and not KAZAKH_LETTERS & set(text), n.key
    activities = Activity.objects.filter(task__program=demo_program).select_related("task")
    for act in activities:
        for name in ("title", "period", "participant_category", "summary", "narrative", "result"):
            assert getattr(act, f"{name}_ru"), (act, name)
        assert act.place_ru and (act.experts_ru or not act.experts), act
        markers = re.compile(r"\[\[[^\]]+\]\]")
        assert markers.findall(act.narrative_kk) == markers.findall(act.narrative_ru), act
    placed = {f"{a.task.number}.{a.number}" for a in activities if "[[" in a.narrative_kk}
    assert placed == {"1.3", "5.1", "7.1"}
    proposal = ProjectProposal.objects.get(program=demo_program)
    for name in ("title", "justification", "goal", "tasks", "summary", "amount", "place", "expected_results"):
        assert getattr(proposal, f"{name}_ru"), name
    experts_72 = activities.get(task__number=7, number=2).experts.splitlines()
    assert experts_72[0] == "БҚО Ішкі саясат басқармасының басшысы – Даумов Нұрлыбек Жасқайратович"
    typed = Indicator.objects.filter(activity__task__program=demo_program).exclude(fact_text="")
    assert all(i.fact_text_ru and not KAZAKH_LETTERS & set(i.fact_text_ru) for i in typed)


def test_it_creates_the_four_demo_users(demo_program):
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["coordinator", "volunteer", "council", "officer"])
    }
    assert set(users) == {"coordinator", "volunteer", "council", "officer"}
    for username, user in users.items():
        assert list(user.groups.values_list("name", flat=True)) == [username]
        assert user.check_password("birgemiz-demo")
    assert users["coordinator"].is_staff and users["officer"].is_staff
    assert not users["volunteer"].is_staff and not users["council"].is_staff
    assert demo_program.organization.members.filter(pk=users["coordinator"].pk).exists()
    volunteer = Volunteer.objects.get(user=users["volunteer"])
    assert volunteer.program_id == demo_program.pk and volunteer.track.code == "english"
    group = volunteer.groups.get()
    assert group.enrollments.count() > 10
    assert group.lessons.filter(date__year=2020).count() == group.lessons.count() == 24
    chair = CouncilMember.objects.get(user=users["council"])
    assert chair.program_id == demo_program.pk and chair.role == "chair"


def test_it_passes_model_validation(demo_program):
    for qs in validation_samples(demo_program):
        objs = list(qs)
        assert objs, qs.model
        for obj in objs:
            obj.full_clean(exclude=["file", "minutes"])


def test_it_writes_nothing_on_a_second_run(demo_program, settings):
    settings.DEBUG = True
    before = snapshot()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "already exists" in out.getvalue()
    assert "coordinator" in out.getvalue() and "/portal/" in out.getvalue()
    assert snapshot() == before


@pytest.mark.slow
def test_it_reloads_the_same_programme_on_reset(demo_program, settings, tmp_path):
    def fingerprint(program):
        return (
            list(
                Student.objects.filter(program=program)
                .order_by("code")
                .values_list("code", "last_name", "first_name", "iin", "birth_date", "school__name", "grade")
            ),
            list(
                Result.objects.filter(program=program, student__isnull=False)
                .order_by("student__code", "kind")
                .values_list("student__code", "kind", "score")
            ),
            list(Volunteer.objects.filter(program=program).order_by("email").values_list("email", "iin")),
        )

    settings.DEBUG = True
    before = fingerprint(demo_program)
    old_files = set(Evidence.objects.filter(program=demo_program).values_list("file", flat=True))
    call_command("load_demo", "--reset", stdout=io.StringIO())
    program = Program.objects.get(code="bko-2020")
    assert program.pk != demo_program.pk
    assert not Program.objects.filter(pk=demo_program.pk).exists()
    assert fingerprint(program) == before
    new_files = set(Evidence.objects.filter(program=program).values_list("file", flat=True))
    assert len(new_files) == len(old_files) and not new_files & old_files
    assert Volunteer.objects.get(user__username="volunteer").program_id == program.pk
    assert compute(program, "students").value == 1618
