# The import job, moved here from the core app (birgemiz 0006 renamed its table).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("birgemiz", "0006_import_job_to_registers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportJob",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("register", models.CharField(max_length=40, verbose_name="register")),
                        ("file", models.FileField(blank=True, upload_to="imports/%Y/%m/", verbose_name="file")),
                        ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                        ("phase", models.CharField(choices=[("preview", "preview"), ("import", "import")], default="preview", max_length=10, verbose_name="phase")),
                        ("status", models.CharField(choices=[("queued", "waiting"), ("running", "running"), ("done", "done"), ("failed", "failed")], default="queued", max_length=10, verbose_name="status")),
                        ("report", models.JSONField(blank=True, default=dict, verbose_name="result")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")),
                        ("program", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="import_jobs", to="birgemiz.program", verbose_name="programme")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="started by")),
                    ],
                    options={
                        "verbose_name": "spreadsheet import",
                        "verbose_name_plural": "spreadsheet imports",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
        ),
    ]
