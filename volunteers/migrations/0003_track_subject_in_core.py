# Step 2 of 3 of moving tracks and subjects into the core (see courses 0004): this app's
# foreign keys now name birgemiz.Track / birgemiz.Subject. State only: the database
# columns already point at the renamed tables.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("birgemiz", "0005_track_subject"),
        ("volunteers", "0002_certificates_activation_test_links"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="trainer",
                    name="tracks",
                    field=models.ManyToManyField(blank=True, related_name="trainers", to="birgemiz.track", verbose_name="tracks"),
                ),
                migrations.AlterField(
                    model_name="trainingevent",
                    name="track",
                    field=models.ForeignKey(blank=True, help_text="Empty for a training common to every track.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="trainings", to="birgemiz.track", verbose_name="track"),
                ),
                migrations.AlterField(
                    model_name="volunteer",
                    name="track",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="volunteers", to="birgemiz.track", verbose_name="track"),
                ),
                migrations.AlterField(
                    model_name="volunteerapplication",
                    name="track",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="applications", to="birgemiz.track", verbose_name="track"),
                ),
            ],
        ),
    ]
