"""Django's task API: `django.tasks` from Django 6 on, the `django_tasks` backport before.

Domain apps write `from birgemiz.jobs.api import task` and nothing else changes when the
project moves to Django 6.
"""

try:  # Django 6
    from django.tasks import default_task_backend, task, task_backends
except ImportError:  # Django 5.2: the backport
    from django_tasks import default_task_backend, task, task_backends

__all__ = ["default_task_backend", "task", "task_backends"]
