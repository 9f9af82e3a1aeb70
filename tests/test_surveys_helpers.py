"""Builders shared by the survey, application, council, training and certificate tests
(kept here, not in factories.py, so parallel helpers never edit the same file)."""

import datetime
import io

from birgemiz.validators import make_iin
from surveys.models import Question

from .factories import (
    ChoiceFactory,
    DistrictFactory,
    QuestionFactory,
    SchoolFactory,
    SubjectFactory,
    SurveyFactory,
    TrackFactory,
)

BIRTH = datetime.date(2006, 4, 12)


def valid_iin(serial=1, sex="F", birth=BIRTH):
    return make_iin(birth, sex, serial)


def bad_iin():
    iin = valid_iin()
    return iin[:11] + str((int(iin[11]) + 1) % 10)


def needs_survey(program, code="bko-2020-needs"):
    """A survey like the demo's: interest per track (multiple), a ҰБТ subject (single),
    a comment (text) and hours per week (number); two districts with two schools each."""
    districts = [DistrictFactory(region=program.region) for _ in range(2)]
    schools = [SchoolFactory(district=d) for d in districts for _ in range(2)]
    english = program.tracks.filter(code="english").first() or TrackFactory(
        program=program, code="english", name_kk="Ағылшын тілі", name_ru="Английский язык"
    )
    unt = program.tracks.filter(code="unt").first() or TrackFactory(
        program=program, code="unt", name_kk="ҰБТ-ға дайындық", name_ru="Подготовка к ЕНТ"
    )
    math = unt.subjects.filter(name_kk="Математика").first() or SubjectFactory(
        track=unt, name_kk="Математика", name_ru="Математика"
    )
    survey = SurveyFactory(program=program, code=code, title_kk="Қажеттіліктер", title_ru="Потребности")
    interest = QuestionFactory(
        survey=survey,
        code="tracks",
        kind=Question.Kind.MULTIPLE,
        order=1,
        text_kk="Қай курсқа қатысқыңыз келеді?",
        text_ru="На какой курс вы хотите?",
    )
    ChoiceFactory(
        question=interest,
        value="english",
        text_kk="Ағылшын тілі",
        text_ru="Английский",
        track=english,
        order=1,
    )
    ChoiceFactory(question=interest, value="unt", text_kk="ҰБТ", text_ru="ЕНТ", track=unt, order=2)
    subject = QuestionFactory(
        survey=survey,
        code="subject",
        kind=Question.Kind.SINGLE,
        order=2,
        required=False,
        text_kk="ҰБТ пәні",
        text_ru="Предмет ЕНТ",
    )
    ChoiceFactory(
        question=subject, value="math", text_kk="Математика", text_ru="Математика", track=unt, subject=math
    )
    QuestionFactory(
        survey=survey,
        code="comment",
        kind=Question.Kind.TEXT,
        order=3,
        required=False,
        text_kk="Пікіріңіз",
        text_ru="Ваш комментарий",
    )
    QuestionFactory(
        survey=survey,
        code="hours",
        kind=Question.Kind.NUMBER,
        order=4,
        required=False,
        text_kk="Аптасына неше сағат?",
        text_ru="Сколько часов в неделю?",
    )
    return {
        "survey": survey,
        "districts": districts,
        "schools": schools,
        "english": english,
        "unt": unt,
        "math": math,
    }


def survey_post(school_obj, **overrides):
    data = {
        "last_name": "Серікова",
        "first_name": "Аружан",
        "middle_name": "",
        "iin": "",
        "birth_date": BIRTH.isoformat(),
        "sex": "F",
        "grade": "10",
        "school": str(school_obj.pk),
        "phone": "+7 701 000 00 00",
        "q_tracks": ["english", "unt"],
        "q_subject": "math",
        "q_comment": "Көбірек сабақ",
        "q_hours": "4",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def pdf_file(name="minutes.pdf"):
    f = io.BytesIO(b"%PDF-1.4\n% minutes\n")
    f.name = name
    return f
