"""The nationwide dashboard: scope, figures, sorting, filtering and its query budget."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from birgemiz.models import Indicator, Program, Publication
from reporting.dashboard import selectors
from reporting.dashboard import warnings as dashboard_warnings
from reporting.models import IssuedReport

from .factories import (
    ActivityFactory,
    CourseGroupFactory,
    EnrollmentFactory,
    IndicatorFactory,
    LessonFactory,
    OrganizationFactory,
    ProgramFactory,
    PublicationFactory,
    RegionFactory,
    StudentFactory,
    TaskFactory,
    TestResultFactory,
    TrackFactory,
)

URL = "/dashboard/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def make_program(code, *, students=3, region=None, year=2020, org=None, pre=50, post=70, **extra):
    """A programme with one track, one group, `students` enrolled with pre/post tests,
    a confirmed 2-hour lesson, two indicators (one typed, one computed) and publications."""
    program = ProgramFactory(
        code=code,
        organization=org or OrganizationFactory(),
        region=region or RegionFactory(),
        start=datetime.date(year, 3, 1),
        end=datetime.date(year, 11, 30),
        planned_beneficiaries=10,
        planned_volunteers=2,
        **extra,
    )
    track = TrackFactory(program=program, code="english")
    group = CourseGroupFactory(program=program, track=track)
    for _ in range(students):
        student = StudentFactory(program=program)
        EnrollmentFactory(group=group, student=student)
        TestResultFactory(student=student, program=program, track=track, kind="pre", score=Decimal(pre))
        TestResultFactory(student=student, program=program, track=track, kind="post", score=Decimal(post))
    LessonFactory(group=group, date=datetime.date(year, 6, 1), hours=Decimal("2"), status="confirmed")
    LessonFactory(group=group, date=datetime.date(year, 6, 8), hours=Decimal("2"), status="pending")
    activity = ActivityFactory(task=TaskFactory(program=program, number=2))
    IndicatorFactory(activity=activity, target_value=Decimal(5), fact_value=Decimal(7))  # met
    IndicatorFactory(  # computed: enrolled students in the track, against a plan of 5
        activity=activity, target_value=Decimal(5), fact_value=None, metric="students", metric_param="english"
    )
    for month in (3, 4, 4):
        PublicationFactory(program=program, date=datetime.date(year, month, 10))
    return program


def rows_by_code(user, **filters):
    return {r.program.code: r for r in selectors.program_rows(user, **filters)}


# ---------------------------------------------------------------- scope


def test_it_sends_anonymous_users_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_is_not_there_for_volunteers(client, volunteer_user, group):
    client.force_login(volunteer_user)
    assert client.get(URL).status_code == 404


def test_it_is_not_there_for_council_members(client, council_user):
    client.force_login(council_user)
    assert client.get(URL).status_code == 404


def test_it_shows_an_officer_every_programme(client, officer, program, outsider):
    client.force_login(officer)
    response = client.get(URL)
    assert response.status_code == 200
    codes = {r.program.code for r in response.context["page"].object_list}
    assert codes == {"test-2020", "other-2020"}


def test_it_shows_a_coordinator_only_their_organisations_programmes(client, coordinator, program, outsider):
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    codes = {r.program.code for r in response.context["page"].object_list}
    assert codes == {"test-2020"}
    assert b"other-2020" not in response.content


def test_it_is_reachable_from_the_home_page_for_officers(client, officer):
    client.force_login(officer)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == URL


# ---------------------------------------------------------------- figures


def test_it_counts_students_volunteers_hours_against_plan(officer):
    make_program("a-2020", students=4)
    row = rows_by_code(officer)["a-2020"]
    assert (row.students, row.planned_students) == (4, 10)
    assert (row.volunteers, row.planned_volunteers) == (1, 2)
    assert row.hours == Decimal("2")  # the pending lesson does not count
    assert row.students_pct == 40


def test_it_falls_back_to_the_tracks_plan(officer):
    program = make_program("a-2020")
    program.planned_beneficiaries = 0
    program.save()
    row = rows_by_code(officer)["a-2020"]
    assert row.planned_students == 200  # TrackFactory's planned_students


def test_it_does_not_count_dropped_students(officer):
    program = make_program("a-2020", students=3)
    enrollment = program.groups.get().enrollments.first()
    enrollment.status = "dropped"
    enrollment.save()
    row = rows_by_code(officer)["a-2020"]
    assert row.students == 2
    assert row.tracks[0].measured == 2


def test_it_measures_growth_over_students_with_both_tests(officer):
    program = make_program("a-2020", students=2, pre=40, post=70)
    track = program.tracks.get()
    group = program.groups.get()
    lone = StudentFactory(program=program)  # a pre-test only: left out of the growth
    EnrollmentFactory(group=group, student=lone)
    TestResultFactory(student=lone, program=program, track=track, kind="pre", score=Decimal(0))
    growth = rows_by_code(officer)["a-2020"].tracks[0]
    assert (growth.pre, growth.post, growth.growth, growth.measured) == (40, 70, 30, 2)


def test_it_judges_typed_and_computed_indicators(officer):
    program = make_program("a-2020", students=3)  # computed fact 3 < plan 5: missed
    activity = program.tasks.get().activities.get()
    IndicatorFactory(activity=activity, target_value=Decimal(1), fact_value=None)  # no fact
    IndicatorFactory(
        activity=activity, comparator=Indicator.Comparator.EXACTLY, target_value=Decimal(4),
        fact_value=Decimal(3),
    )  # missed: short of 4 (the report's rule, `sections.plan_fact.comparator_met`)
    row = rows_by_code(officer)["a-2020"]
    assert (row.met, row.missed, row.no_fact) == (1, 2, 1)


def test_it_flags_months_below_two_publications(officer):
    make_program("a-2020")  # March 1, April 2, nothing after
    row = rows_by_code(officer, today=datetime.date(2020, 5, 15))["a-2020"]
    assert row.months == 3
    assert row.publications == 3
    assert row.months_under == [datetime.date(2020, 3, 1), datetime.date(2020, 5, 1)]


def test_it_does_not_count_banners_as_publications(officer):
    program = make_program("a-2020")
    PublicationFactory(program=program, kind=Publication.Kind.BANNER, date=datetime.date(2020, 3, 2))
    row = rows_by_code(officer, today=datetime.date(2020, 3, 31))["a-2020"]
    assert row.publications == 1


def test_it_shows_the_latest_issued_report_and_its_warnings(officer):
    program = make_program("a-2020")
    make_program("b-2020")
    for warnings in (4, 2):
        IssuedReport.objects.create(
            program=program, language="kk", format="pdf", file="reports/x.pdf", sha256="0" * 64,
            as_of=program.end, warnings=warnings,
        )
    rows = rows_by_code(officer)
    assert rows["a-2020"].issued_at is not None and rows["a-2020"].warnings == 2
    assert rows["b-2020"].issued_at is None and rows["b-2020"].warnings is None


def test_it_shows_cached_warnings_fresher_than_the_issued_ones(officer):
    program = make_program("a-2020")
    dashboard_warnings.warnings_remember(program.pk, 5)
    assert rows_by_code(officer)["a-2020"].warnings == 5


# ---------------------------------------------------------------- sorting, filtering, paging


def test_it_sorts_by_a_column_both_ways(client, officer):
    make_program("small-2020", students=1)
    make_program("big-2020", students=5)
    make_program("mid-2020", students=3)
    client.force_login(officer)
    desc = client.get(URL, {"sort": "students", "dir": "desc"}).context["page"].object_list
    assert [r.program.code for r in desc] == ["big-2020", "mid-2020", "small-2020"]
    asc = client.get(URL, {"sort": "students", "dir": "asc"}).context["page"].object_list
    assert [r.program.code for r in asc] == ["small-2020", "mid-2020", "big-2020"]


def test_it_ignores_an_unknown_sort_key(client, officer):
    make_program("a-2020")
    client.force_login(officer)
    response = client.get(URL, {"sort": "__class__"})
    assert response.status_code == 200 and response.context["sort"] == "region"


def test_it_filters_by_year_and_region(client, officer):
    north = RegionFactory(code="north", name_kk="Солтүстік")
    south = RegionFactory(code="south", name_kk="Оңтүстік")
    make_program("n-2020", region=north, year=2020)
    make_program("n-2021", region=north, year=2021)
    make_program("s-2021", region=south, year=2021)
    client.force_login(officer)

    def codes(**params):
        return {r.program.code for r in client.get(URL, params).context["page"].object_list}

    assert codes(year=2021) == {"n-2021", "s-2021"}
    assert codes(region="north") == {"n-2020", "n-2021"}
    assert codes(year=2021, region="north") == {"n-2021"}
    assert codes(year="not-a-year") == {"n-2020", "n-2021", "s-2021"}


def test_it_paginates(client, officer, monkeypatch):
    from reporting.dashboard import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(5):
        ProgramFactory(code=f"p{i}-2020")
    client.force_login(officer)
    response = client.get(URL, {"page": 3})
    assert len(response.context["page"].object_list) == 1
    assert response.context["page"].paginator.num_pages == 3


def test_it_draws_both_charts_as_inline_svg(client, officer):
    make_program("a-2020")
    client.force_login(officer)
    content = client.get(URL).content.decode()
    assert content.count("<svg") == 2
    # The charts need no script: the dashboard's own part of the page carries none (the
    # site's base template may add its own, after <main>).
    main = content.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<svg" in main and "<script" not in main


# ---------------------------------------------------------------- query budget


def _count_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"fresh": "1"})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_its_query_count_does_not_depend_on_the_number_of_programmes(client, officer):
    client.force_login(officer)
    make_program("a-2020")
    make_program("b-2020", students=5)
    few = _count_queries(client)
    for i in range(6):
        make_program(f"more{i}-2021", students=i + 1, year=2021)
    many = _count_queries(client)
    assert few == many


def test_it_stays_within_its_query_budget(client, officer, django_assert_max_num_queries):
    for i in range(4):
        make_program(f"p{i}-2020", students=2)
    client.force_login(officer)
    with django_assert_max_num_queries(30):
        client.get(URL)


def test_it_keeps_its_figures_for_a_few_minutes_and_refreshes_on_demand(client, officer):
    program = make_program("a-2020", students=2)
    client.force_login(officer)
    assert client.get(URL).context["page"].object_list[0].students == 2
    EnrollmentFactory(group=program.groups.get())
    cold = _count_queries(client)  # ?fresh=1 recomputes
    with CaptureQueriesContext(connection) as warm:
        response = client.get(URL)
    assert response.context["page"].object_list[0].students == 3
    assert len(warm.captured_queries) < cold / 2


# ---------------------------------------------------------------- re-check


def test_it_rejects_get_on_recheck(client, officer):
    client.force_login(officer)
    assert client.get(reverse("dashboard:recheck")).status_code == 405


def test_it_hides_recheck_from_volunteers(client, volunteer_user, group):
    client.force_login(volunteer_user)
    assert client.post(reverse("dashboard:recheck")).status_code == 404


def test_it_rechecks_the_reports_in_scope_and_remembers_warnings(client, coordinator, program, outsider):
    client.force_login(coordinator)
    response = client.post(reverse("dashboard:recheck"))
    assert response.status_code == 302
    rows = rows_by_code(coordinator)
    assert rows["test-2020"].warnings is not None
    assert cache.get(dashboard_warnings.warnings_key(program.pk)) is not None
    # The outsider's programme is out of the coordinator's scope: not built, not cached.
    assert cache.get(dashboard_warnings.warnings_key(Program.objects.get(code="other-2020").pk)) is None


@pytest.mark.parametrize(
    "lang, heading", [("kk", "Бүкіл ел бойынша бағдарламалар"), ("ru", "Программы по всей стране")]
)
def test_it_speaks_kazakh_and_russian(client, officer, lang, heading):
    make_program("a-2020")
    client.force_login(officer)
    client.cookies["django_language"] = lang
    assert heading in client.get(URL).content.decode()
