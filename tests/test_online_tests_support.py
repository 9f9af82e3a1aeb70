"""Builders shared by the online-test test files (no tests here)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from .factories import QuizChoiceFactory, QuizFactory, QuizQuestionFactory


def open_program(program, days=30):
    """The conftest programme ended in 2020; its links would be expired today."""
    program.end = timezone.localdate() + datetime.timedelta(days=days)
    program.save(update_fields=["end"])
    return program


def build_quiz(program, track, *, use="both", topics=("Grammar", "Vocabulary", "Numbers"), **kwargs):
    """Three questions: single choice (2 points), multiple choice (3 points, right options
    A and C), a number (1 point, 36 within 0.5). Returns (quiz, {name: question}, {name: choice})."""
    quiz = QuizFactory(program=program, track=track, use=use, **kwargs)
    single = QuizQuestionFactory(quiz=quiz, order=1, kind="single", points=2, topic=topics[0],
                                 text_kk="She ___ to school.", text_ru="She ___ to school.")
    s_right = QuizChoiceFactory(question=single, order=1, text_kk="goes", is_correct=True)
    s_wrong = QuizChoiceFactory(question=single, order=2, text_kk="go")
    multiple = QuizQuestionFactory(quiz=quiz, order=2, kind="multiple", points=3, topic=topics[1],
                                   text_kk="Which are fruits?", text_ru="Что из этого фрукты?")
    m_a = QuizChoiceFactory(question=multiple, order=1, text_kk="apple", is_correct=True)
    m_b = QuizChoiceFactory(question=multiple, order=2, text_kk="chair")
    m_c = QuizChoiceFactory(question=multiple, order=3, text_kk="pear", is_correct=True)
    m_d = QuizChoiceFactory(question=multiple, order=4, text_kk="table")
    number = QuizQuestionFactory(quiz=quiz, order=3, kind="number", points=1, topic=topics[2],
                                 text_kk="12 × 3 = ?", answer_number=Decimal("36"), tolerance=Decimal("0.5"))
    questions = {"single": single, "multiple": multiple, "number": number}
    choices = {"s_right": s_right, "s_wrong": s_wrong, "m_a": m_a, "m_b": m_b, "m_c": m_c, "m_d": m_d}
    return quiz, questions, choices
