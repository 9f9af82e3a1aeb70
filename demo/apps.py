from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development data: no models, two management commands."""

    name = "demo"
    label = "demo"
