# Step 2 of 3 of moving tracks and subjects into the core (see courses 0004): this app's
# foreign keys now name birgemiz.Track / birgemiz.Subject. State only: the database
# columns already point at the renamed tables.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("birgemiz", "0005_track_subject"),
        ("assessments", "0003_online_tests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contest",
                    name="track",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="contests", to="birgemiz.track", verbose_name="track"),
                ),
                migrations.AlterField(
                    model_name="quiz",
                    name="subject",
                    field=models.ForeignKey(blank=True, help_text="Only for tracks with subjects; empty means every group of the track.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="quizzes", to="birgemiz.subject", verbose_name="subject"),
                ),
                migrations.AlterField(
                    model_name="quiz",
                    name="track",
                    field=models.ForeignKey(blank=True, help_text="Required for students' tests; optional for volunteer training.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="quizzes", to="birgemiz.track", verbose_name="track"),
                ),
                migrations.AlterField(
                    model_name="quizattempt",
                    name="track",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="birgemiz.track", verbose_name="track"),
                ),
                migrations.AlterField(
                    model_name="testresult",
                    name="track",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="test_results", to="birgemiz.track", verbose_name="track"),
                ),
            ],
        ),
    ]
