"""The names of the metrics an indicator can compute its fact with.

The core only knows the names (so the admin can validate them); the functions
live in `reporting.metrics`, which fills this registry when the app is ready.
"""

REGISTRY = {}


def metric_choices():
    return [("", "—")] + [
        (name, f"{name} — {label}") for name, (_fn, label, _h) in sorted(REGISTRY.items())
    ]


def validate_metric(name):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if name and REGISTRY and name not in REGISTRY:
        raise ValidationError(_("Unknown metric “%(name)s”.") % {"name": name}, code="metric")
