# Step 3 of 3 of moving tracks and subjects into the core (see courses 0004): groups point
# at birgemiz.Track / birgemiz.Subject and the models leave this app's state. State only:
# the tables were renamed in courses 0004 and every row stays.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0004_track_subject_tables_to_core"),
        ("birgemiz", "0005_track_subject"),
        ("assessments", "0004_track_subject_in_core"),
        ("surveys", "0003_track_subject_in_core"),
        ("volunteers", "0003_track_subject_in_core"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="coursegroup",
                    name="subject",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="groups", to="birgemiz.subject", verbose_name="subject"),
                ),
                migrations.AlterField(
                    model_name="coursegroup",
                    name="track",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="groups", to="birgemiz.track", verbose_name="track"),
                ),
                migrations.DeleteModel(name="Subject"),
                migrations.DeleteModel(name="Track"),
            ],
        ),
    ]
