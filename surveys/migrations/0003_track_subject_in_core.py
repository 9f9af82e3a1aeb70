# Step 2 of 3 of moving tracks and subjects into the core (see courses 0004): this app's
# foreign keys now name birgemiz.Track / birgemiz.Subject. State only: the database
# columns already point at the renamed tables.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("birgemiz", "0005_track_subject"),
        ("surveys", "0002_response_language_consent"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="choice",
                    name="subject",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="birgemiz.subject", verbose_name="subject"),
                ),
                migrations.AlterField(
                    model_name="choice",
                    name="track",
                    field=models.ForeignKey(blank=True, help_text="The track this choice asks for, for interest analysis and enrolment.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="birgemiz.track", verbose_name="track"),
                ),
            ],
        ),
    ]
