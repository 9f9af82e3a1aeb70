"""Personal data in the admin: officers read without IINs, phones and birth dates and
export only aggregates; no lookup runs a regular expression; an IIN typed into a
search never reaches an address (or an access log)."""

import datetime
import re
import time

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from birgemiz.models import Region, School
from birgemiz.validators import make_iin
from courses.models import Student

from .factories import StudentFactory

pytestmark = pytest.mark.django_db

IIN = make_iin(datetime.date(2005, 5, 1), "M", 17)


@pytest.fixture
def minors(program):
    return [
        StudentFactory(program=program, iin=IIN, phone="+7 701 111 22 33", last_name="Жасұлан"),
        StudentFactory(program=program, phone="+7 702 444 55 66", last_name="Ерболұлы"),
    ]


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


# ---------------------------------------------------------------- officers


def test_an_officer_exports_no_rows_of_minors(client, officer, program, minors):
    client.force_login(officer)
    register = client.get(reverse("registers:export", args=["students"]), {"program": program.code})
    filtered = client.get(
        reverse("registers:changelist-export", args=["courses", "student"]), {"_format": "csv"}
    )
    selected = client.post(
        changelist(Student),
        {"action": "registers_export_selected_csv", "_selected_action": [s.pk for s in minors], "index": 0},
    )
    assert register.status_code == 403 and filtered.status_code == 403
    assert IIN.encode() not in selected.content and b"701 111" not in selected.content


def test_a_coordinator_still_exports_their_students(client, coordinator, program, minors):
    client.force_login(coordinator)
    query = {"program": program.code, "format": "csv"}
    response = client.get(reverse("registers:export", args=["students"]), query)
    assert response.status_code == 200 and IIN.encode() in response.content


def test_an_officer_reads_a_student_without_iin_phone_or_birth_date(client, officer, minors):
    client.force_login(officer)
    response = client.get(reverse("admin:courses_student_change", args=[minors[0].pk]))
    body = response.content.decode()
    assert response.status_code == 200 and "Жасұлан" in body
    assert IIN not in body and "701 111" not in body and "01.05.2005" not in body


def test_an_officer_cannot_search_students_by_phone_or_iin(client, officer, minors):
    client.force_login(officer)
    posted = client.post(changelist(Student), {"_search": "1", "q": "701 111"}, follow=True)
    assert list(posted.context["cl"].result_list) == []


# ---------------------------------------------------------------- regular expressions

REGEX_PROBES = [
    ("courses", "student", "last_name__regex"),
    ("courses", "student", "last_name__iregex"),
    ("birgemiz", "activity", "title_kk__regex"),
    ("birgemiz", "school", "name__regex"),
    ("birgemiz", "region", "name_kk__iregex"),
    ("birgemiz", "organization", "name_kk__regex"),
    ("auth", "user", "username__regex"),
]


@pytest.mark.parametrize("app_label,model_name,lookup", REGEX_PROBES)
def test_it_refuses_regular_expression_lookups_on_every_admin(
    client, superuser, app_label, model_name, lookup
):
    client.force_login(superuser)
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    started = time.monotonic()
    response = client.get(url, {lookup: "^(a+)+b$"})
    assert response.status_code == 400  # DisallowedModelAdminLookup
    assert time.monotonic() - started < 5


def test_it_refuses_regex_as_the_officer_too(client, officer, program):
    client.force_login(officer)
    assert client.get(changelist(Student), {"last_name__regex": "^(a+)+b$"}).status_code == 400


def test_every_registered_admin_refuses_regex_and_iin_lookups(rf, superuser):
    request = rf.get("/")
    request.user = superuser
    checked = 0
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        field = next((f.name for f in model._meta.concrete_fields if not f.is_relation), "id")
        assert not model_admin.lookup_allowed(f"{field}__regex", "x", request), model
        assert not model_admin.lookup_allowed(f"{field}__iregex", "x", request), model
        assert not model_admin.lookup_allowed("iin", IIN, request), model
        checked += 1
    assert checked > 40


# ---------------------------------------------------------------- no IIN in an address


def test_a_search_by_iin_goes_by_post_and_the_address_carries_only_a_reference(
    client, coordinator, minors
):
    client.force_login(coordinator)
    page = client.get(changelist(Student))
    assert b'id="changelist-search" method="post"' in page.content
    response = client.post(changelist(Student), {"_search": "1", "q": IIN, "sex__exact": "M"})
    assert response.status_code == 302
    assert IIN not in response["Location"] and "_sq=" in response["Location"]
    assert "sex__exact=M" in response["Location"]  # the other filters stay
    found = client.get(response["Location"])
    assert [s.last_name for s in found.context["cl"].result_list] == ["Жасұлан"]
    body = found.content.decode()
    # The typed IIN is back in the search box, and in no link of the page.
    assert f'value="{IIN}"' in body
    for href in re.findall(r'href="([^"]*)"', body):
        assert IIN not in href
    # An IIN in the address (a typed URL, the autocomplete) does not search by IIN.
    by_url = client.get(changelist(Student), {"q": IIN})
    assert list(by_url.context["cl"].result_list) == []
    auto = client.get(
        reverse("admin:autocomplete"),
        {"term": IIN, "app_label": "courses", "model_name": "enrollment", "field_name": "student"},
    )
    assert auto.status_code == 200 and auto.json()["results"] == []


def test_a_search_reference_of_another_session_finds_nothing(client, coordinator, minors):
    client.force_login(coordinator)
    location = client.post(changelist(Student), {"_search": "1", "q": IIN})["Location"]
    other = get_user_model().objects.create_user("coord2", password="x" * 12, is_staff=True)
    other.groups.set(coordinator.groups.all())
    minors[0].program.organization.members.add(other)
    client.force_login(other)
    response = client.get(location)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2  # no search: the reference is not theirs


def test_the_search_still_works_on_reference_data(client, operator):
    district = Region.objects.create(code="r", name_kk="Облыс").districts.create(name_kk="Аудан")
    School.objects.create(district=district, name="Жұлдыз мектебі")
    client.force_login(operator)
    location = client.post(changelist(School), {"_search": "1", "q": "Жұлдыз"})["Location"]
    assert [s.name for s in client.get(location).context["cl"].result_list] == ["Жұлдыз мектебі"]
