# The spreadsheet registers become their own app (label "registers"): the import job's
# table is renamed here and the model leaves this app's state; registers 0001 takes it.

from django.db import migrations

from birgemiz.model_moves import move_content_types


class Migration(migrations.Migration):

    dependencies = [
        ("birgemiz", "0005_track_subject"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("importjob", "registers_importjob")],
            state_operations=[migrations.DeleteModel("ImportJob")],
        ),
        move_content_types("birgemiz", "registers", ["importjob"]),
    ]
