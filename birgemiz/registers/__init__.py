"""Spreadsheet registers: import and export of every list a coordinator keeps in Excel.

The engine lives here, in the core; each app defines its registers (django-import-export
resources) in `<app>/resources.py` and registers them from its AppConfig.ready(), so the
core never imports the other apps.
"""

_REGISTRY = {}
ORDER = (
    # The programme's set-up, in the order a new year needs it.
    "tasks",
    "activities",
    "schools",
    "tracks",
    "subjects",
    "council-members",
    "students",
    "volunteers",
    "applications",
    "survey-responses",
    "course-groups",
    "enrollments",
    "test-results",
    "lessons",
    "meetings",
    "publications",
    "partners",
    "indicators",
)


def register(resource_class):
    """Class decorator: make a RegisterResource importable and exportable by its name."""
    _REGISTRY[resource_class.name] = resource_class
    return resource_class


def get(name):
    """The resource class of a register, or None."""
    return _REGISTRY.get(name)


def names():
    known = [n for n in ORDER if n in _REGISTRY]
    return known + sorted(n for n in _REGISTRY if n not in ORDER)


def all_registers():
    return [_REGISTRY[n] for n in names()]


def for_model(model):
    """The register whose records are `model`'s, or None."""
    for resource_class in _REGISTRY.values():
        if resource_class._meta.model is model:
            return resource_class
    return None
