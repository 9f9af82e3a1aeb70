"""`load_demo` never reaches a real deployment's data: it refuses with DEBUG off, refuses
beside programmes people made (unless --force), never changes an existing user's password,
and its --reset deletes only the demo's own programme, with the deletions in the audit trail."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from birgemiz.models import AuditEntry, Program
from courses.models import Attendance, Student
from demo.bko2020 import DEMO_PASSWORD
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def load(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.DEBUG = True


def test_it_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        load()
    assert not Program.objects.exists()
    assert not User.objects.filter(username="coordinator").exists()


def test_it_refuses_beside_a_programme_people_made_and_loads_with_force(media):
    real = factories.ProgramFactory(code="akm-2021")
    with pytest.raises(CommandError, match="akm-2021"):
        load()
    assert list(Program.objects.values_list("code", flat=True)) == ["akm-2021"]
    assert not User.objects.filter(username="volunteer").exists()

    load("--force")
    assert Program.objects.get(code="bko-2020").is_demo
    real.refresh_from_db()
    assert not real.is_demo


def test_it_never_touches_a_programme_coded_like_the_demo_that_it_did_not_write(media):
    factories.ProgramFactory(code="bko-2020")
    with pytest.raises(CommandError, match="not written by load_demo"):
        load("--reset", "--force")
    assert Program.objects.get(code="bko-2020").title_kk


def test_it_keeps_the_password_and_groups_of_a_user_that_exists(media):
    user = User.objects.create_user("coordinator", password="a-real-persons-secret-1", is_staff=False)
    out = load()
    user.refresh_from_db()
    assert user.check_password("a-real-persons-secret-1")
    assert not user.is_staff and not user.groups.exists()
    assert "keep the password they had: coordinator" in out
    # the users it created itself get the demo password
    assert User.objects.get(username="volunteer").check_password(DEMO_PASSWORD)


def test_reset_deletes_only_its_own_programme_and_the_trail_sees_every_row(media):
    load()
    demo = Program.objects.get(code="bko-2020")
    real = factories.ProgramFactory(code="akm-2021")
    student = factories.StudentFactory(program=real)
    attendance_ids = {
        str(pk) for pk in Attendance.objects.filter(lesson__group__program=demo).values_list("pk", flat=True)
    }
    student_ids = {str(pk) for pk in Student.objects.filter(program=demo).values_list("pk", flat=True)}
    assert len(attendance_ids) > 1000

    load("--reset", "--force")

    assert Program.objects.filter(pk=real.pk).exists() and Student.objects.filter(pk=student.pk).exists()
    assert not Program.objects.filter(pk=demo.pk).exists()
    deleted = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE, program_id=demo.pk, source="demo")
    assert (
        set(deleted.filter(model="courses.attendance").values_list("object_id", flat=True)) == attendance_ids
    )
    assert set(deleted.filter(model="courses.student").values_list("object_id", flat=True)) == student_ids
    entry = deleted.filter(model="courses.student").first()
    assert entry.changes["last_name"][1] is None and entry.changes["last_name"][0]
