# Indexes on the natural keys the registers look records up by (issue #18).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("birgemiz", "0010_invitations")]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["program", "date", "place"], name="birgemiz_meeting_key"),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(fields=["program", "url"], name="birgemiz_publication_url"),
        ),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["program", "outlet", "title", "date"], name="birgemiz_publication_key"
            ),
        ),
        migrations.AddIndex(
            model_name="indicator",
            index=models.Index(fields=["activity", "name_kk"], name="birgemiz_indicator_key"),
        ),
    ]
