"""A lesson names itself in the page's language, hours with the locale's decimal comma:
«Ағылшын-1, 01.06.2020 (1,5 сағ.)», never «(2.0 h)» (the lesson-confirmed message uses it)."""

from decimal import Decimal

import pytest
from django.utils import translation

from .factories import CourseGroupFactory, LessonFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "hours", "shown"),
    [
        ("kk", Decimal("2.0"), "Ағылшын-1, 01.06.2020 (2 сағ.)"),
        ("kk", Decimal("1.5"), "Ағылшын-1, 01.06.2020 (1,5 сағ.)"),
        ("ru", Decimal("2.0"), "Ағылшын-1, 01.06.2020 (2 ч)"),
        ("ru", Decimal("1.5"), "Ағылшын-1, 01.06.2020 (1,5 ч)"),
    ],
)
def test_a_lesson_names_itself_in_the_language(language, hours, shown):
    lesson = LessonFactory(group=CourseGroupFactory(name="Ағылшын-1"), hours=hours)
    lesson.refresh_from_db()
    with translation.override(language):
        assert str(lesson) == shown
