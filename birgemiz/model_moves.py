"""Moving a model to another app without touching its rows: used by migrations.

The table is renamed by the migration itself (`AlterModelTable` as a database-only
operation); this moves the model's content type, so its permissions, the roles that hold
them and the admin's history follow the model to its new app.
"""

from django.db import migrations


def move_content_types(old_app, new_app, models):
    """A RunPython operation that re-labels `models`' content types from `old_app` to
    `new_app` (and back when unapplied). On a fresh database there is nothing to move:
    content types are made after the migrations."""

    def relabel(source, target):
        def run(apps, schema_editor):
            content_type = apps.get_model("contenttypes", "ContentType")
            rows = content_type.objects.using(schema_editor.connection.alias)
            for model in models:
                if not rows.filter(app_label=target, model=model).exists():
                    rows.filter(app_label=source, model=model).update(app_label=target)

        return run

    return migrations.RunPython(relabel(old_app, new_app), relabel(new_app, old_app))
