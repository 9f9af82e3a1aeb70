"""Every text the report prints from data has a Kazakh and a Russian value: the fields
that were Kazakh only got a Russian one (the existing values kept as the Kazakh), and
the admin edits the two side by side."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from birgemiz.models import Evidence, Partner, ProjectProposal, StateRecommendation, lang_value, pick_lang

from .factories import ActivityFactory, PartnerFactory, PublicationFactory
from .report_data import build_report_program

PAIRS = {
    "activity": [("place", "place_ru"), ("experts", "experts_ru"), ("summary_kk", "summary_ru")],
    "partner": [("name", "name_ru"), ("role", "role_ru"), ("note", "note_ru")],
    "publication": [("outlet", "outlet_ru"), ("title", "title_ru")],
    "projectproposal": [("title", "title_ru"), ("tasks", "tasks_ru"), ("amount", "amount_ru")],
    "staterecommendation": [("body", "body_ru"), ("text", "text_ru")],
    "evidence": [("title", "title_ru")],
}


def test_it_reads_a_field_that_became_bilingual_under_its_own_name():
    partner = Partner(name="«Дәуір» ЖҚБ", name_ru="МОО «Дәуір»", role="Көмек")
    assert lang_value(partner, "name", "kk") == "«Дәуір» ЖҚБ"
    assert pick_lang(partner, "name", "ru") == "МОО «Дәуір»"
    assert pick_lang(partner, "role", "ru") == "Көмек"  # no Russian: the Kazakh one


@pytest.fixture
def records(program):
    build_report_program(program)
    activity = ActivityFactory(task=program.tasks.first(), number=9, place="Орал", place_ru="Уральск")
    return {
        "activity": activity,
        "partner": PartnerFactory(program=program, name="«Шабыт» ЖҚБ", name_ru="МОО «Шабыт»"),
        "publication": PublicationFactory(program=program),
        "projectproposal": ProjectProposal.objects.get(program=program),
        "staterecommendation": StateRecommendation.objects.get(program=program),
        "evidence": Evidence.objects.filter(program=program).first(),
    }


@pytest.mark.parametrize("model", sorted(PAIRS))
def test_the_admin_edits_kazakh_and_russian_side_by_side(client, coordinator, records, model):
    client.force_login(coordinator)
    obj = records[model]
    response = client.get(reverse(f"admin:birgemiz_{model}_change", args=[obj.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for kk, ru in PAIRS[model]:
        # One form row holds both fields.
        assert f"field-{kk} field-{ru}" in html, (kk, ru)
        assert f'id="id_{kk}"' in html and f'id="id_{ru}"' in html


def test_a_coordinator_saves_the_russian_text_from_the_admin(client, coordinator, records):
    client.force_login(coordinator)
    partner = records["partner"]
    url = reverse("admin:birgemiz_partner_change", args=[partner.pk])
    data = {
        "program": partner.program_id, "order": 3, "contact": "", "name": partner.name,
        "name_ru": "МОО «Шабыт»", "role": "Көмек", "role_ru": "Помощь", "note": "", "note_ru": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    partner.refresh_from_db()
    assert (partner.role, partner.role_ru) == ("Көмек", "Помощь")


BEFORE = ("birgemiz", "0006_import_job_to_registers")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_existing_text_as_the_kazakh_one():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    apps = executor.loader.project_state([BEFORE]).apps
    region = apps.get_model("birgemiz", "Region").objects.create(code="r", name_kk="Облыс")
    org = apps.get_model("birgemiz", "Organization").objects.create(name_kk="ҚБ")
    program = apps.get_model("birgemiz", "Program").objects.create(
        organization=org, code="old-2020", title_kk="Бағдарлама", topic_kk="Тақырып", grant_amount=1,
        start=datetime.date(2020, 3, 1), end=datetime.date(2020, 11, 30), region=region,
    )
    task = apps.get_model("birgemiz", "Task").objects.create(program=program, number=1, title_kk="Міндет")
    activity = apps.get_model("birgemiz", "Activity").objects.create(
        task=task, number=1, title_kk="Іс-шара", place="Орал қаласы", experts="Асанов – тренер"
    )
    indicator = apps.get_model("birgemiz", "Indicator")
    journal = indicator.objects.create(
        activity=activity, name_kk="Қатысу журналы", comparator="per_unit", unit="мектеп",
        target_value=Decimal(1), fact_text="21",
    )
    photo = indicator.objects.create(
        activity=activity, name_kk="Фото", comparator="per_unit", unit="кездесу", target_value=Decimal(5)
    )
    odd = indicator.objects.create(
        activity=activity, name_kk="Басқа", comparator="per_unit", unit="дана", target_value=Decimal(2)
    )
    partners = apps.get_model("birgemiz", "Partner").objects
    partner = partners.create(program=program, name="«Дәуір» ЖҚБ", role="Көмек")
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
        apps = executor.loader.project_state(latest).apps
        activity = apps.get_model("birgemiz", "Activity").objects.get(pk=activity.pk)
        assert (activity.place, activity.place_ru, activity.experts, activity.experts_ru) == (
            "Орал қаласы", "", "Асанов – тренер", ""
        )
        indicator = apps.get_model("birgemiz", "Indicator")
        assert indicator.objects.get(pk=journal.pk).per == "school"
        assert indicator.objects.get(pk=journal.pk).fact_text == "21"
        assert indicator.objects.get(pk=photo.pk).per == "meeting"
        # A per-unit plan whose unit names nothing countable is read as a minimum.
        assert (indicator.objects.get(pk=odd.pk).comparator, indicator.objects.get(pk=odd.pk).per) == (
            "at_least", ""
        )
        partner = apps.get_model("birgemiz", "Partner").objects.get(pk=partner.pk)
        assert (partner.name, partner.name_ru, partner.role) == ("«Дәуір» ЖҚБ", "", "Көмек")
    finally:
        apps.get_model("birgemiz", "Program").objects.filter(code="old-2020").delete()
        apps.get_model("birgemiz", "Organization").objects.filter(name_kk="ҚБ").delete()
        apps.get_model("birgemiz", "Region").objects.filter(code="r").delete()
