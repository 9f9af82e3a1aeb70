# A school's language of instruction, a column of the schools register (issue #13).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("birgemiz", "0011_register_natural_key_indexes")]

    operations = [
        migrations.AddField(
            model_name="school",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("kk", "Kazakh"), ("ru", "Russian"), ("kk-ru", "Kazakh and Russian")],
                max_length=5,
                verbose_name="language of instruction",
            ),
        ),
    ]
