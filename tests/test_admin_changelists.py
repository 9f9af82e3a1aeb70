"""Every registered admin (every app's, discovered at test time) renders its
changelist within a query budget that does not grow with the rows, and its add page
renders for a coordinator.

One test walks every changelist (building the rows once), and names every offender
in its failure message.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .admin_data import populate

pytestmark = pytest.mark.django_db


def _models():
    return sorted((m for m in apps.get_models() if admin.site.is_registered(m)), key=lambda m: m._meta.label)


def _url(model, view):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def _user_for(model, coordinator, superuser):
    """The coordinator where the role may view the model (programme apps), a
    superuser for framework models (users, groups, login attempts)."""
    if coordinator.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        return coordinator
    return superuser


def _count(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.kz", "root-password-long")


def test_it_registers_every_model_of_the_core_and_courses():
    checked = 0
    for label in ("birgemiz", "courses"):
        for model in apps.get_app_config(label).get_models():
            if model.__module__.startswith(f"{label}.models"):
                assert admin.site.is_registered(model), model._meta.label
                checked += 1
    assert checked >= 25  # the core's models package and courses' models, not an empty loop


def test_it_keeps_every_changelist_query_budget_as_rows_grow(client, coordinator, superuser, program):
    models = _models()
    populate(program, 2)
    small = {}
    for model in models:
        user = _user_for(model, coordinator, superuser)
        _count(client, user, _url(model, "changelist"))  # warm caches (content types, catalogues)
        small[model] = _count(client, user, _url(model, "changelist"))
    populate(program, 8)
    grown = []
    for model in models:
        large = _count(client, _user_for(model, coordinator, superuser), _url(model, "changelist"))
        if large > small[model]:
            grown.append(f"{model._meta.label}: {small[model]} queries on few rows, {large} on many")
    assert not grown, "\n".join(grown)


def test_it_renders_every_add_page(client, coordinator, superuser, program, rf):
    broken = []
    for model in _models():
        user = _user_for(model, coordinator, superuser)
        client.force_login(user)
        request = rf.get("/")
        request.user = user
        may_add = admin.site.get_model_admin(model).has_add_permission(request)
        response = client.get(_url(model, "add"))
        expected = 200 if may_add else 403
        if response.status_code != expected:
            broken.append(f"{model._meta.label}: {response.status_code}, expected {expected}")
        elif may_add and b'name="_save"' not in response.content:
            broken.append(f"{model._meta.label}: no save button")
    assert not broken, "\n".join(broken)


def test_it_lists_the_main_models_rows_on_the_changelists(client, coordinator, program):
    """The budget test is meaningful only if the rows reach the page."""
    populate(program, 3)
    client.force_login(coordinator)
    for name in ("courses_student", "courses_lesson", "courses_enrollment", "courses_attendance",
                 "birgemiz_indicator", "birgemiz_evidence", "birgemiz_auditentry"):
        response = client.get(reverse(f"admin:{name}_changelist"))
        assert response.status_code == 200
        assert len(response.context["cl"].result_list) >= 3, name
