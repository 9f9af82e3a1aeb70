# Indexes on the natural keys the registers look records up by (issue #18).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("courses", "0005_track_subject_leave_courses")]

    operations = [
        migrations.AddIndex(
            model_name="lesson",
            index=models.Index(fields=["group", "date", "topic"], name="courses_lesson_key"),
        ),
    ]
