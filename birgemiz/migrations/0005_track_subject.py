# Step 2 of 3 of moving tracks and subjects into the core: the models enter this app's
# state on the tables courses 0004 renamed; their constraints take this app's prefix.

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("birgemiz", "0004_audit_outlives_programme"),
        ("courses", "0004_track_subject_tables_to_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Track",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("code", models.SlugField(help_text="Stable short name, e.g. english.", verbose_name="code")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        ("name_kk", models.CharField(max_length=200, verbose_name="name (Kazakh)")),
                        ("name_ru", models.CharField(blank=True, max_length=200, verbose_name="name (Russian)")),
                        ("planned_hours", models.DecimalField(decimal_places=1, default=Decimal("48"), max_digits=6, verbose_name="planned hours")),
                        ("planned_students", models.PositiveIntegerField(default=0, verbose_name="planned students")),
                        ("planned_volunteers", models.PositiveIntegerField(default=0, verbose_name="planned volunteers")),
                        ("group_capacity", models.PositiveSmallIntegerField(default=20, validators=[django.core.validators.MinValueValidator(1)], verbose_name="students per volunteer")),
                        ("activity", models.ForeignKey(blank=True, help_text="The activity of the report that runs this track.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="tracks", to="birgemiz.activity", verbose_name="activity")),
                        ("program", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="tracks", to="birgemiz.program", verbose_name="programme")),
                    ],
                    options={
                        "verbose_name": "track",
                        "verbose_name_plural": "tracks",
                        "ordering": ["program", "order", "id"],
                        "constraints": [
                            models.UniqueConstraint(fields=("program", "code"), name="courses_track_unique_code"),
                            models.CheckConstraint(condition=models.Q(("planned_hours__gt", 0)), name="courses_track_hours_positive"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Subject",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                        ("name_kk", models.CharField(max_length=200, verbose_name="name (Kazakh)")),
                        ("name_ru", models.CharField(blank=True, max_length=200, verbose_name="name (Russian)")),
                        ("track", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="subjects", to="birgemiz.track", verbose_name="track")),
                    ],
                    options={
                        "verbose_name": "subject",
                        "verbose_name_plural": "subjects",
                        "ordering": ["track", "order", "id"],
                        "constraints": [
                            models.UniqueConstraint(fields=("track", "name_kk"), name="courses_subject_unique_name"),
                        ],
                    },
                ),
            ],
        ),
        migrations.RemoveConstraint(model_name="track", name="courses_track_unique_code"),
        migrations.RemoveConstraint(model_name="track", name="courses_track_hours_positive"),
        migrations.RemoveConstraint(model_name="subject", name="courses_subject_unique_name"),
        migrations.AddConstraint(
            model_name="track",
            constraint=models.UniqueConstraint(fields=("program", "code"), name="birgemiz_track_unique_code"),
        ),
        migrations.AddConstraint(
            model_name="track",
            constraint=models.CheckConstraint(condition=models.Q(("planned_hours__gt", 0)), name="birgemiz_track_hours_positive"),
        ),
        migrations.AddConstraint(
            model_name="subject",
            constraint=models.UniqueConstraint(fields=("track", "name_kk"), name="birgemiz_subject_unique_name"),
        ),
    ]
