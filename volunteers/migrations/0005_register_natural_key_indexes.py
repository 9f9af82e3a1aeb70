# Indexes on the natural keys the registers look records up by (issue #18).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0004_activation_token_hash")]

    operations = [
        migrations.AddIndex(
            model_name="volunteerapplication",
            index=models.Index(fields=["program", "iin"], name="volunteers_application_iin"),
        ),
    ]
