"""A programme year from a template (#13 item 2) and the year at a glance (item 4)."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments.models import TestResult
from birgemiz import roles
from birgemiz.models import (
    Activity,
    AuditEntry,
    Indicator,
    InfoWorkPlan,
    Program,
    SocioEconomicIndicator,
    Task,
    Track,
)
from courses.models import CourseGroup, Lesson, Student
from surveys.models import Choice, Question, Survey
from tests.factories import ProgramFactory, UserFactory
from volunteers.models import CouncilMember, SelectionCriterion, Volunteer

pytestmark = [pytest.mark.django_db]

NEW = reverse("reporting:programme-new")


@pytest.fixture
def demo_coordinator(demo_program):
    user = UserFactory(username="coord-2021", is_staff=True, roles=[roles.COORDINATOR])
    demo_program.organization.members.add(user)
    return user


def form_data(source, **extra):
    return {
        "source": source.pk,
        "organization": source.organization.pk,
        "region": source.region.pk,
        "code": "bko-2021",
        "title_kk": "Birgemiz: Bilim — 2021",
        "title_ru": "Birgemiz: Bilim — 2021",
        "start": "01.03.2021",
        "end": "30.11.2021",
        "grant_amount": "16000000",
        **extra,
    }


def counts(program):
    return {
        "tasks": Task.objects.filter(program=program).count(),
        "activities": Activity.objects.filter(task__program=program).count(),
        "indicators": Indicator.objects.filter(activity__task__program=program).count(),
        "tracks": Track.objects.filter(program=program).count(),
        "criteria": SelectionCriterion.objects.filter(program=program).count(),
        "plans": InfoWorkPlan.objects.filter(group__program=program).count(),
        "socio": SocioEconomicIndicator.objects.filter(program=program).count(),
        "surveys": Survey.objects.filter(program=program).count(),
        "questions": Question.objects.filter(survey__program=program).count(),
        "choices": Choice.objects.filter(question__survey__program=program).count(),
    }


def test_a_coordinator_previews_then_creates_next_year_from_last_years_programme(
    client, demo_program, demo_coordinator
):
    client.force_login(demo_coordinator)
    preview = client.post(NEW, form_data(demo_program, step="preview"))
    assert preview.status_code == 200
    body = preview.content.decode()
    before = counts(demo_program)
    assert before["indicators"] > 20 and before["questions"] > 5
    assert re.search(rf">\s*{before['indicators']}\s*<", body)
    assert not Program.objects.filter(code="bko-2021").exists()  # a preview writes nothing

    token = re.search(r'name="form_token" value="([^"]+)"', body).group(1)
    data = form_data(demo_program, step="create", form_token=token)
    done = client.post(NEW, data)
    again = client.post(NEW, data)  # the double click
    assert done.status_code == 302 and done.url == reverse("reporting:year", args=["bko-2021"])
    assert again.status_code == 302 and again.url == done.url
    new = Program.objects.get(code="bko-2021")
    assert Program.objects.filter(code__startswith="bko-2021").count() == 1

    assert counts(new) == before
    # no people, records or facts
    for model, path in (
        (Student, "program"),
        (Volunteer, "program"),
        (CouncilMember, "program"),
        (CourseGroup, "program"),
        (Lesson, "group__program"),
        (TestResult, "program"),
    ):
        assert not model.objects.filter(**{path: new}).exists(), model
    assert not Indicator.objects.filter(activity__task__program=new, fact_value__isnull=False).exists()
    assert not Activity.objects.filter(task__program=new).exclude(result_kk="").exists()
    # plans and structure kept, keys point inside the new programme, dates moved by a year
    old_track = Track.objects.filter(program=demo_program).order_by("order", "code").first()
    new_track = Track.objects.get(program=new, code=old_track.code)
    assert (
        new_track.planned_hours == old_track.planned_hours
        and new_track.planned_students == old_track.planned_students
    )
    assert new_track.subjects.count() == old_track.subjects.count()
    assert (
        not Choice.objects.filter(question__survey__program=new, track__isnull=False)
        .exclude(track__program=new)
        .exists()
    )
    old_dated = (
        Activity.objects.filter(task__program=demo_program, start__isnull=False)
        .order_by("task__number", "number")
        .first()
    )
    new_dated = Activity.objects.get(
        task__program=new, task__number=old_dated.task.number, number=old_dated.number
    )
    assert new_dated.start - old_dated.start == datetime.date(2021, 3, 1) - demo_program.start
    assert not Survey.objects.filter(program=new, is_published=True).exists()
    # every copied row is in the audit trail
    assert (
        AuditEntry.objects.filter(program_id=new.pk, model="birgemiz.indicator").count()
        == before["indicators"]
    )

    # the new programme is the coordinator's at once, and its year page says what comes first
    page = client.get(done.url)
    assert page.status_code == 200
    steps = page.context["steps"]
    assert steps[0].is_next and not steps[0].done
    assert reverse("admin:birgemiz_program_change", args=[new.pk]) in page.content.decode()


def test_next_year_is_offered_a_year_on_from_the_programme_it_starts_from(
    client, demo_program, demo_coordinator
):
    client.force_login(demo_coordinator)
    form = client.get(NEW, {"from": demo_program.pk}).context["form"]
    assert form["code"].value() == "bko-2021"
    assert form["start"].value() == datetime.date(2021, 3, 1) and form["end"].value() == datetime.date(
        2021, 11, 30
    )


def test_a_new_ngo_starts_from_the_national_template_but_not_from_another_ngos_year(
    client, program, coordinator
):
    template = ProgramFactory(code="national-2021", is_template=True)
    other = ProgramFactory(code="akm-2020")
    client.force_login(coordinator)
    page = client.get(NEW)
    options = dict(page.context["form"].fields["source"].choices)
    assert str(template.pk) in options and str(other.pk) not in options and str(program.pk) in options
    refused = client.post(NEW, form_data(other, organization=program.organization.pk, step="preview"))
    assert refused.status_code == 200 and "source" in refused.context["form"].errors
    bad_dates = client.post(
        NEW,
        form_data(
            template,
            organization=program.organization.pk,
            start="30.11.2021",
            end="01.03.2021",
            step="preview",
        ),
    )
    assert "end" in bad_dates.context["form"].errors
    assert bad_dates.context["form"]["title_kk"].value() == "Birgemiz: Bilim — 2021"  # what was typed is kept


def test_only_coordinators_and_the_operator_start_a_year(client, officer, volunteer_user, operator, program):
    for user in (officer, volunteer_user):
        client.force_login(user)
        assert client.get(NEW).status_code == 403
    client.force_login(operator)
    page = client.get(NEW)
    assert page.status_code == 200 and "is_template" in page.context["form"].fields


def test_the_year_page_reads_in_a_fixed_number_of_queries(
    client, demo_program, demo_coordinator, django_assert_max_num_queries
):
    small = ProgramFactory(organization=demo_program.organization, code="small-2021")
    client.force_login(demo_coordinator)
    with django_assert_max_num_queries(40):
        big = client.get(reverse("reporting:year", args=[demo_program.code]))
    with django_assert_max_num_queries(40):
        empty = client.get(reverse("reporting:year", args=[small.code]))
    assert big.status_code == empty.status_code == 200
    # the demo's year is far along; an empty programme's first step is what to do first
    assert sum(s.done for s in big.context["steps"]) > sum(s.done for s in empty.context["steps"])
    assert empty.context["steps"][0].is_next
    groups_step = next(s for s in big.context["steps"] if s.number == 5)
    assert groups_step.facts[0][1] == Track.objects.filter(program=demo_program).count() == 5  # tracks
    assert "/admin/registers/" in empty.content.decode()


def test_the_year_page_is_the_programmes_readers_only(client, outsider, program, officer):
    url = reverse("reporting:year", args=[program.code])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200


def test_a_new_ngo_with_no_programme_starts_from_the_built_in_national_plan(client, org, db):
    from reporting.year_views import built_in_structure

    user = UserFactory(username="new-ngo", is_staff=True, roles=[roles.COORDINATOR])
    org.members.add(user)
    region = ProgramFactory().region
    client.force_login(user)
    data = {
        "source": "plan",
        "organization": org.pk,
        "region": region.pk,
        "code": "zko-2021",
        "title_kk": "Birgemiz: Bilim",
        "title_ru": "",
        "start": "01.02.2021",
        "end": "30.11.2021",
        "grant_amount": "15000000",
    }
    preview = client.post(NEW, {**data, "step": "preview"})
    assert preview.status_code == 200 and "zko-2021" in preview.content.decode()
    done = client.post(NEW, {**data, "step": "create"})
    assert done.status_code == 302
    new = Program.objects.get(code="zko-2021")
    plan = built_in_structure()
    by_model = {}
    for row in plan["rows"]:
        by_model[row["model"]] = by_model.get(row["model"], 0) + 1
    assert by_model["birgemiz.indicator"] > 20
    assert counts(new)["indicators"] == by_model["birgemiz.indicator"]
    assert counts(new)["tracks"] == by_model["birgemiz.track"] and counts(new)["questions"] > 5
    assert new.organization == org and new.region == region and not new.is_template
    assert not Activity.objects.filter(task__program=new).exclude(place="").exists()  # no region's places
    first = Activity.objects.filter(task__program=new, start__isnull=False).order_by("start").first()
    assert first.start >= new.start
    assert client.get(reverse("reporting:year", args=["zko-2021"])).status_code == 200
