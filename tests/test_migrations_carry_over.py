"""Moving models between apps keeps every row: tracks and subjects into the core
(courses 0004 – 0005, birgemiz 0005) and the import job into the registers app
(birgemiz 0006, registers 0001).

The database is taken back to the schema before the moves, filled through the
historical models, then migrated forward; the rows, the foreign keys pointing at them
and the permissions held through their content types must all still be there.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("birgemiz", "0004_audit_outlives_programme"),
    ("courses", "0003_lesson_recent_index"),
    ("volunteers", "0002_certificates_activation_test_links"),
    ("assessments", "0003_online_tests"),
    ("surveys", "0002_response_language_consent"),
    ("reporting", "0001_issued_report"),
    ("registers", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1]]).apps


def _fill_old_schema(apps):
    region = apps.get_model("birgemiz", "Region").objects.create(code="r", name_kk="Облыс")
    district = apps.get_model("birgemiz", "District").objects.create(region=region, name_kk="Аудан")
    org = apps.get_model("birgemiz", "Organization").objects.create(name_kk="ҚБ")
    program = apps.get_model("birgemiz", "Program").objects.create(
        organization=org,
        code="old-2020",
        title_kk="Бағдарлама",
        topic_kk="Тақырып",
        grant_amount=1,
        start=datetime.date(2020, 3, 1),
        end=datetime.date(2020, 11, 30),
        region=region,
    )
    track = apps.get_model("courses", "Track").objects.create(
        program=program, code="english", name_kk="Ағылшын тілі", planned_hours=Decimal("48")
    )
    subject = apps.get_model("courses", "Subject").objects.create(track=track, name_kk="Грамматика")
    volunteer = apps.get_model("volunteers", "Volunteer").objects.create(
        program=program, last_name="Ахметова", first_name="Әлия", email="a@example.kz", sex="F",
        district=district, track=track,
    )
    apps.get_model("courses", "CourseGroup").objects.create(
        program=program, track=track, subject=subject, volunteer=volunteer, name="EN-1"
    )
    apps.get_model("birgemiz", "ImportJob").objects.create(
        program=program, register="students", original_name="students.xlsx"
    )
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.create(name="track editors")
    for app_label, model in (("courses", "track"), ("courses", "subject"), ("birgemiz", "importjob")):
        ct, _ = content_type.objects.get_or_create(app_label=app_label, model=model)
        perm, _ = permission.objects.get_or_create(
            content_type=ct, codename=f"change_{model}", defaults={"name": f"Can change {model}"}
        )
        group.permissions.add(perm)
    return program.pk, track.pk, subject.pk


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_it_moves_tracks_subjects_and_import_jobs_keeping_their_rows():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        program_id, track_id, subject_id = _fill_old_schema(_migrate(BEFORE))
        apps = _migrate(latest)
    finally:
        _migrate(latest)

    track = apps.get_model("birgemiz", "Track").objects.get(pk=track_id)
    assert (track.program_id, track.code, track.name_kk) == (program_id, "english", "Ағылшын тілі")
    assert apps.get_model("birgemiz", "Subject").objects.get(pk=subject_id).track_id == track_id
    group = apps.get_model("courses", "CourseGroup").objects.get(name="EN-1")
    assert (group.track_id, group.subject_id) == (track_id, subject_id)
    assert apps.get_model("volunteers", "Volunteer").objects.get().track_id == track_id
    job = apps.get_model("registers", "ImportJob").objects.get()
    assert (job.program_id, job.original_name) == (program_id, "students.xlsx")

    # The foreign keys still hold in the database: the track cannot go while a group uses it.
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert {"birgemiz_track", "birgemiz_subject", "registers_importjob"} <= set(tables)
    assert not {"courses_track", "courses_subject", "birgemiz_importjob"} & set(tables)

    held = set(
        apps.get_model("auth", "Group")
        .objects.get(name="track editors")
        .permissions.values_list("content_type__app_label", "codename")
    )
    assert held == {
        ("birgemiz", "change_track"),
        ("birgemiz", "change_subject"),
        ("registers", "change_importjob"),
    }
