"""Links from a figure to the records behind it, in the admin.

A report links a few hundred figures and documents to a few dozen admin pages: each
page's address is reversed once per URL configuration (`_reversed`) and the links differ
only by their query string or their object's id.
"""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse

MAX_LINKED_IDS = 200
_PK = 2147483647  # an id no row has, reversed in place of a real one: `_reversed_pk`

_cache = {}


def _reversed(viewname, pk=None):
    """`reverse(viewname)` ("" where nothing matches), or with `pk` as its one argument,
    remembered per resolver and script prefix: `clear_url_caches` gives a new resolver."""
    key = (get_resolver(get_urlconf()), get_script_prefix(), viewname, pk is not None)
    try:
        url = _cache[key]
    except KeyError:
        try:
            url = reverse(viewname, args=[_PK]) if pk is not None else reverse(viewname)
        except NoReverseMatch:
            url = ""
        if pk is not None and url and url.count(str(_PK)) != 1:
            url = None  # the id is not plainly in the address: reverse each one
        if len(_cache) > 1000:
            _cache.clear()
        _cache[key] = url
    if pk is None:
        return url
    if url is None:
        try:
            return reverse(viewname, args=[pk])
        except NoReverseMatch:
            return ""
    return url.replace(str(_PK), str(pk)) if url else ""


def changelist_url(model_label, **filters):
    """Admin changelist of `app_label.model` filtered; "" where the admin lacks the model."""
    app_label, model = model_label.split(".")
    base = _reversed(f"admin:{app_label}_{model}_changelist")
    if not base:
        return ""
    return f"{base}?{urlencode(filters)}" if filters else base


def ids_url(model_label, ids):
    ids = sorted(ids)[:MAX_LINKED_IDS]
    if not ids:
        return ""
    return changelist_url(model_label, id__in=",".join(str(i) for i in ids))


def change_url(model_label, pk):
    app_label, model = model_label.split(".")
    return _reversed(f"admin:{app_label}_{model}_change", pk)


def object_url(viewname, pk):
    """`reverse(viewname, args=[pk])`, "" where nothing matches."""
    return _reversed(viewname, pk)
