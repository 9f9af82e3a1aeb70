"""Every URL of the site and every admin page and action, requested as each of the six
roles, against the one table of what each role may do: `birgemiz/access_table.py`.

A page or action the table does not list for a role must refuse it (403, 404, 405, 410
or the log-in page); one it lists must answer. A URL pattern or admin model missing
from the table, or listed there but gone from the site, fails the test too, so the
table cannot fall behind the code.
"""

import os
import pprint
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from birgemiz import access_table
from birgemiz.access_table import ROLES

from . import access_world

pytestmark = pytest.mark.django_db
METHODS = ("GET", "POST")
DENIED = {403, 404, 405, 410}


def url_names(resolver=None, namespace=None):
    """Every named URL pattern outside the admin's per-model pages."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(x for x in (namespace, pattern.namespace) if x) or None
            if inner == "admin":
                yield from (f"admin:{p.name}" for p in admin.site.get_urls() if isinstance(p, URLPattern)
                            and p.name and not _is_model_page(p.name))
                continue
            yield from url_names(pattern, inner)
        elif pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _is_model_page(name):
    return any(name.startswith(f"{m._meta.app_label}_{m._meta.model_name}_") for m in admin.site._registry)


# Logging out ends on the log-in page: that is its answer, not a refusal.
LOGOUTS = {"logout", "admin:logout"}


def refused(response, name="", method="GET"):
    """A refusal: 403, 404, 405 or 410, or (for a page that needs an account) the log-in
    page, here or at the end of the redirects followed."""
    if response.status_code in DENIED:
        return True
    if name in LOGOUTS and method == "POST":
        return False
    login_pages = (reverse("login"), reverse("admin:login"))
    hops = [url for url, _status in getattr(response, "redirect_chain", [])]
    if response.status_code in (301, 302):
        hops.append(response["Location"])
    return any(url.split("?")[0] in login_pages for url in hops)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return access_world.build()


def _client_for(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def observe_pages(client, world):
    seen = {}
    program = world["program"]
    extra_query = {
        "admin:autocomplete": {"app_label": "birgemiz", "model_name": "activity", "field_name": "task"},
        "registers:export": {"program": program.code},
    }
    extra = {
        "admin:app_list": {"app_label": "courses"},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(program).pk, "object_id": program.pk
        },
    }
    for name in sorted(set(url_names())):
        kwargs = world["args"].get(name) or extra.get(name) or {}
        url = reverse(name, kwargs=kwargs)
        if name in extra_query:
            url += "?" + urlencode(extra_query[name])
        for role in ROLES:
            for method in METHODS:
                _client_for(client, world["users"][role])
                if method == "GET":
                    response = client.get(url, follow=True)
                else:
                    response = client.post(url, {}, follow=True)
                if not refused(response, name, method):
                    seen.setdefault(name, {}).setdefault(method, set()).add(role)
    return seen


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def observe_admin(client, world):
    seen = {}
    empty = [m._meta.label_lower for m in admin.site._registry if not m._default_manager.exists()]
    assert not empty, f"the world has no row of {empty}: add them to tests/access_world.py"
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label_lower):
        label = model._meta.label_lower
        obj = model._default_manager.order_by("pk").first()
        for role in ROLES:
            _client_for(client, world["users"][role])
            rights = set()
            listing = client.get(_admin_url(model, "changelist"))
            if not refused(listing):
                rights.add("view")
                form = listing.context.get("action_form")
                if form is not None:
                    rights |= {f"action:{value}" for value, _label in form.fields["action"].choices if value}
                rows = list(listing.context["cl"].result_list[:1])
                obj_here = rows[0] if rows else obj
            else:
                obj_here = obj
            if not refused(client.get(_admin_url(model, "add"))):
                rights.add("add")
            assert obj_here is not None, (label, role)
            change = client.get(_admin_url(model, "change", obj_here.pk))
            if not refused(change) and change.status_code == 200 and change.context["has_change_permission"]:
                rights.add("change")
            if not refused(client.get(_admin_url(model, "delete", obj_here.pk))):
                rights.add("delete")
            # The change history goes with the right to see the row.
            history = not refused(client.get(_admin_url(model, "history", obj_here.pk)))
            assert history == ("view" in rights), (label, role, "history")
            if rights:
                seen.setdefault(label, {})[role] = rights
    return seen


def _dump(name, value):
    if os.environ.get("ACCESS_DUMP"):
        with open(f"/tmp/access_{name}.txt", "w") as out:
            out.write(pprint.pformat(value, width=110))


def test_every_url_answers_each_role_as_the_table_says(client, world):
    names = set(url_names())
    seen = observe_pages(client, world)
    _dump("pages", seen)
    assert names == set(access_table.PAGES), (
        f"not in the table: {sorted(names - set(access_table.PAGES))}; "
        f"gone from the site: {sorted(set(access_table.PAGES) - names)}"
    )
    expected = access_table.allowed_pages()
    wrong = [
        (name, method, role, "answers" if role in seen.get(name, {}).get(method, ()) else "refuses")
        for name in sorted(names)
        for method in METHODS
        for role in ROLES
        if (role in seen.get(name, {}).get(method, ())) != (role in expected.get(name, {}).get(method, ()))
    ]
    lines = [f"{n} {m} as {r}: {what}, the table says otherwise" for n, m, r, what in wrong]
    assert not wrong, "\n".join(lines)


def test_every_admin_page_and_action_answers_each_role_as_the_table_says(client, world):
    models = {m._meta.label_lower for m in admin.site._registry}
    seen = observe_admin(client, world)
    _dump("admin", seen)
    assert models == set(access_table.ADMIN), (
        f"not in the table: {sorted(models - set(access_table.ADMIN))}; "
        f"gone from the admin: {sorted(set(access_table.ADMIN) - models)}"
    )
    expected = access_table.allowed_admin()
    wrong = [
        (label, role, sorted(seen.get(label, {}).get(role, set())), sorted(expected[label].get(role, set())))
        for label in sorted(models)
        for role in ROLES
        if seen.get(label, {}).get(role, set()) != expected[label].get(role, set())
    ]
    assert not wrong, "\n".join(f"{lb} as {r}: does {s}, the table says {e}" for lb, r, s, e in wrong)
