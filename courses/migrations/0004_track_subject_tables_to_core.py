# Tracks and subjects are the programme's structure and move to the core app
# (birgemiz). Step 1 of 3: rename their tables, keeping every row; the models move in
# birgemiz 0005 and leave this app's state in courses 0005. It runs after every earlier
# migration of every app, so a fresh database takes the same path as an existing one.

from django.db import migrations

from birgemiz.model_moves import move_content_types


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0003_lesson_recent_index"),
        ("birgemiz", "0004_audit_outlives_programme"),
        ("volunteers", "0002_certificates_activation_test_links"),
        ("assessments", "0003_online_tests"),
        ("surveys", "0002_response_language_consent"),
        ("reporting", "0001_issued_report"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable("subject", "birgemiz_subject"),
        migrations.AlterModelTable("track", "birgemiz_track"),
        move_content_types("courses", "birgemiz", ["track", "subject"]),
    ]
