"""`generate_programs`: realistic, deterministic synthetic programmes, never mixed with real ones."""

import hashlib
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from assessments.models import TestResult as Result  # as TestResult, pytest would try to collect it
from birgemiz.models import Indicator, Program, Publication
from courses.models import Attendance, Enrollment, Lesson, Student
from demo.synthetic.plan import synthetic_target
from surveys.models import SurveyResponse
from volunteers.models import Volunteer

from .factories import ProgramFactory

pytestmark = pytest.mark.django_db


def generate(**options):
    call_command("generate_programs", regions=2, scale=0.05, stdout=open("/dev/null", "w"), **options)


def digest():
    """A fingerprint of the generated content, independent of primary keys and timestamps.
    Every ordering is total: PostgreSQL returns ties in any order."""
    parts = [
        list(Program.objects.order_by("code").values_list("code", "grant_amount", "region__code")),
        list(
            Student.objects.order_by("program__code", "code").values_list(
                "program__code", "code", "last_name", "first_name", "sex", "birth_date", "grade",
                "school__name", "low_income",
            )
        ),
        list(Volunteer.objects.order_by("email").values_list("email", "last_name", "track__code")),
        list(
            Result.objects.order_by("program__code", "student__code", "kind").values_list(
                "program__code", "student__code", "track__code", "kind", "score"
            )
        ),
        list(
            Enrollment.objects.order_by("group__program__code", "student__code", "group__name").values_list(
                "student__code", "group__name", "status", "enrolled_on"
            )
        ),
        sorted(Lesson.objects.values_list("group__program__code", "group__name", "date", "status")),
        Attendance.objects.filter(present=True).count(),
        list(
            Indicator.objects.order_by(
                "activity__task__program__code",
                "activity__task__number",
                "activity__number",
                "order",
                "name_kk",
            ).values_list("name_kk", "fact_value", "metric")
        ),
        sorted(Publication.objects.values_list("program__code", "title", "date")),
        SurveyResponse.objects.count(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def test_it_generates_programmes_of_every_kind_of_record():
    generate()
    programs = Program.objects.order_by("code")
    assert [p.code for p in programs] == ["syn-akmola-2020", "syn-bko-2020"]
    assert all(p.is_synthetic for p in programs)
    for p in programs:
        assert p.students.count() > 50
        assert p.volunteers.count() >= 5
        assert p.tracks.count() == 5
        assert Lesson.objects.filter(group__program=p).exists()
        assert Attendance.objects.filter(lesson__group__program=p).exists()
        assert Result.objects.filter(program=p, kind="post").exists()
        assert SurveyResponse.objects.filter(survey__program=p).count() > 100
        assert Indicator.objects.filter(activity__task__program=p).count() == 88
    # Real place names, in both languages.
    assert programs[1].region.name_kk == "Батыс Қазақстан облысы"
    assert programs[1].region.name_ru == "Западно-Казахстанская область"
    assert programs[1].region.districts.filter(name_kk="Бөкей ордасы ауданы").exists()


def test_it_reads_the_seed_plans_as_minimums_or_text():
    at_least, per_unit, text = (
        Indicator.Comparator.AT_LEAST,
        Indicator.Comparator.PER_UNIT,
        Indicator.Comparator.TEXT,
    )
    assert synthetic_target("Кемінде 10") == (at_least, 10)
    assert synthetic_target("250") == (at_least, 250)
    assert synthetic_target("1 (кемінде 5 адам)") == (at_least, 1)
    assert synthetic_target("Әр кездесуден кемінде 5") == (per_unit, 5)
    assert synthetic_target("Кемінде 3%") == (text, 3)
    assert synthetic_target("1 БАҚ мақала") == (text, 1)
    assert synthetic_target("Парақшаның Скрины 1") == (text, 1)
    assert synthetic_target("Кемінде 2,5") == (at_least, Decimal("2.5"))


def test_it_is_deterministic():
    generate()
    first = digest()
    generate()  # replaces its own programmes
    assert Program.objects.count() == 2
    assert digest() == first


def test_another_seed_gives_other_data():
    generate()
    first = digest()
    generate(seed=7)
    assert digest() != first


def test_it_refuses_a_database_with_real_programmes():
    ProgramFactory(code="bko-2020")
    with pytest.raises(CommandError, match="bko-2020.*--allow-mixed"):
        generate()
    assert not Program.objects.filter(is_synthetic=True).exists()


def test_it_mixes_when_told_to():
    real = ProgramFactory(code="bko-2020")
    generate(allow_mixed=True)
    assert Program.objects.filter(is_synthetic=True).count() == 2
    assert Program.objects.filter(pk=real.pk).exists()


def test_it_rejects_a_bad_region_count():
    with pytest.raises(CommandError):
        call_command("generate_programs", regions=21, scale=0.05)


def test_it_exits_non_zero_from_the_command_line(capsys):

    ProgramFactory(code="bko-2020")
    # As from the command line (a subprocess would not see the test database).
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()["generate_programs"], "generate_programs")
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(["manage.py", "generate_programs", "--regions", "1", "--scale", "0.05"])
    assert exit_info.value.code == 1
    assert "--allow-mixed" in capsys.readouterr().err
