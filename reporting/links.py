"""Links from a figure to the records behind it, in the admin."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

MAX_LINKED_IDS = 200


def changelist_url(model_label, **filters):
    """Admin changelist of `app_label.model` filtered; "" where the admin lacks the model."""
    app_label, model = model_label.split(".")
    try:
        base = reverse(f"admin:{app_label}_{model}_changelist")
    except NoReverseMatch:
        return ""
    return f"{base}?{urlencode(filters)}" if filters else base


def ids_url(model_label, ids):
    ids = sorted(ids)[:MAX_LINKED_IDS]
    if not ids:
        return ""
    return changelist_url(model_label, id__in=",".join(str(i) for i in ids))


def change_url(model_label, pk):
    app_label, model = model_label.split(".")
    try:
        return reverse(f"admin:{app_label}_{model}_change", args=[pk])
    except NoReverseMatch:
        return ""
