"""Questions of an online test from an XLSX sheet: every row is checked, and a file with
any bad row writes nothing. Errors name the row and the column.

The first row holds the column names (any order, case ignored):

    kind | points | topic | text_kk | text_ru | correct | tolerance | a_kk | a_ru | b_kk | b_ru | … | h_ru

- kind: single, multiple or number;
- correct: the letters of the correct options ("B", "A,C") or, for a number question,
  the number ("12", "3,5"); tolerance: for number questions only (default 0);
- options a..h: Kazakh text (required for each option used) and Russian text.
"""

import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from birgemiz.numbers import read_integer
from birgemiz.registers.reader import FileError, check_xlsx
from birgemiz.services import clean_and_save

from .models import QuizChoice, QuizQuestion
from .quiz_services import parse_number

LETTERS = "abcdefgh"
REQUIRED = ("kind", "points", "text_kk", "correct")
COLUMNS = ["kind", "points", "topic", "text_kk", "text_ru", "correct", "tolerance"] + [
    f"{letter}_{lang}" for letter in LETTERS for lang in ("kk", "ru")
]
KIND_ALIASES = {
    "single": QuizQuestion.Kind.SINGLE,
    "multiple": QuizQuestion.Kind.MULTIPLE,
    "number": QuizQuestion.Kind.NUMBER,
    "numeric": QuizQuestion.Kind.NUMBER,
}
MAX_ROWS = 500
# Checked before openpyxl reads anything: 500 questions fit in far less.
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 10 * 1024 * 1024


@dataclass
class RowError:
    row: int
    column: str
    message: str


class ImportFailed(Exception):
    def __init__(self, errors):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_limits(file):
    """Refuse a file that unpacks past the limits or declares too many rows, before parsing."""
    try:
        check_xlsx(
            file,
            max_rows=MAX_ROWS,
            max_bytes=MAX_UNCOMPRESSED_BYTES,
            max_shared_strings=MAX_SHARED_STRINGS_BYTES,
        )
    except FileError as exc:
        raise ImportFailed([RowError(0, "", str(exc))]) from None


def _read_rows(file):
    check_limits(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise ImportFailed([RowError(0, "", _("This is not an XLSX file."))]) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ImportFailed([RowError(1, "", _("The sheet is empty."))])
    names = [_text(h).lower() for h in header]
    errors = [RowError(1, name, _("Unknown column.")) for name in names if name and name not in COLUMNS]
    errors += [RowError(1, name, _("Required column is missing.")) for name in REQUIRED if name not in names]
    if errors:
        raise ImportFailed(errors)
    data = []
    for number, values in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:  # stop reading at the limit, whatever the file declares
            raise ImportFailed([RowError(0, "", _("At most %(n)s questions per file.") % {"n": MAX_ROWS})])
        record = {name: _text(v) for name, v in zip(names, values, strict=False) if name}
        if not any(record.values()):
            continue
        data.append((number, record))
    if len(data) > MAX_ROWS:
        raise ImportFailed([RowError(0, "", _("At most %(n)s questions per file.") % {"n": MAX_ROWS})])
    if not data:
        raise ImportFailed([RowError(2, "", _("The sheet has no questions."))])
    return data


def _parse_row(number, record):
    """(question fields, options) of one row, or a list of RowError."""
    errors = []

    def error(column, message):
        errors.append(RowError(number, column, message))

    kind = KIND_ALIASES.get(record.get("kind", "").lower())
    if kind is None:
        error("kind", _("Use single, multiple or number."))
    points = read_integer(record.get("points", ""))
    if points is None or not 1 <= points <= 100:
        error("points", _("A whole number from 1 to 100."))
    text_kk = record.get("text_kk", "")
    if not text_kk:
        error("text_kk", _("The question text in Kazakh is required."))
    options = []
    for letter in LETTERS:
        kk = record.get(f"{letter}_kk", "")
        ru = record.get(f"{letter}_ru", "")
        if ru and not kk:
            error(f"{letter}_kk", _("The option has a Russian text but no Kazakh text."))
        if kk:
            options.append((letter, kk, ru))
    used = [letter for letter, _kk, _ru in options]
    if used != list(LETTERS[: len(used)]):
        error("a_kk", _("Fill options from a without gaps."))
    correct = record.get("correct", "")
    answer_number = None
    tolerance = Decimal("0")
    right = set()
    if kind == QuizQuestion.Kind.NUMBER:
        if options:
            error("a_kk", _("A number question has no options."))
        try:
            answer_number = parse_number(correct)
        except ValidationError:
            error("correct", _("The correct answer of a number question is a number."))
        if record.get("tolerance"):
            try:
                tolerance = parse_number(record["tolerance"])
                if tolerance < 0:
                    raise ValidationError("negative")
            except ValidationError:
                error("tolerance", _("The tolerance is a number, zero or more."))
    elif kind is not None:
        if record.get("tolerance"):
            error("tolerance", _("Only number questions have a tolerance."))
        if len(options) < 2:
            error("b_kk", _("A choice question needs at least two options."))
        letters = [
            p.strip().lower() for p in correct.replace(";", ",").replace(" ", ",").split(",") if p.strip()
        ]
        if not letters:
            error("correct", _("Give the letter of the correct option."))
        for letter in letters:
            if letter not in used:
                error("correct", _("There is no option %(letter)s.") % {"letter": letter.upper()})
        right = set(letters)
        if kind == QuizQuestion.Kind.SINGLE and len(right) > 1:
            error("correct", _("A single-choice question has exactly one correct option."))
    if errors:
        return errors
    question = {
        "kind": kind,
        "points": points,
        "topic": record.get("topic", "")[:200],
        "text_kk": text_kk,
        "text_ru": record.get("text_ru", ""),
        "answer_number": answer_number,
        "tolerance": tolerance,
    }
    choices = [(kk, ru, letter in right) for letter, kk, ru in options]
    return question, choices


def _number(value):
    return None if value is None else Decimal(value).normalize()


def _signature(fields, choices):
    return (
        fields["kind"],
        int(fields["points"]),
        (fields.get("topic") or "").strip(),
        fields["text_kk"].strip(),
        (fields.get("text_ru") or "").strip(),
        _number(fields.get("answer_number")),
        _number(fields.get("tolerance")),
        tuple((kk.strip(), (ru or "").strip(), bool(ok)) for kk, ru, ok in choices),
    )


def _signatures(quiz):
    signatures = set()
    for question in quiz.questions.prefetch_related("choices"):
        fields = {
            "kind": question.kind,
            "points": question.points,
            "topic": question.topic,
            "text_kk": question.text_kk,
            "text_ru": question.text_ru,
            "answer_number": question.answer_number,
            "tolerance": question.tolerance,
        }
        choices = [(c.text_kk, c.text_ru, c.is_correct) for c in question.choices.order_by("order", "id")]
        signatures.add(_signature(fields, choices))
    return signatures


def quiz_questions_import(*, quiz, file, replace=False, check=None):
    """Add (or, with `replace`, replace) the test's questions from an XLSX file.
    Returns the number of questions written (0 for a file already imported); raises
    ImportFailed with every error.
    `check()` (a job's cancel) is called before anything is written."""
    if quiz.attempts.filter(submitted_at__isnull=False).exists():
        raise ImportFailed([RowError(0, "", _("The test has already been taken; its questions are locked."))])
    data = _read_rows(file)
    parsed = []
    errors = []
    for number, record in data:
        result = _parse_row(number, record)
        if isinstance(result, list):
            errors.extend(result)
        else:
            parsed.append(result)
    if errors:
        raise ImportFailed(errors)
    if check is not None:
        check()
    with transaction.atomic():
        if replace:
            if quiz.attempts.filter(answers__isnull=False).exists():
                raise ImportFailed(
                    [RowError(0, "", _("Someone has started the test; questions can only be added."))]
                )
            quiz.questions.all().delete()
        else:
            # The same file imported again adds nothing: a question already in the test
            # (same texts, kind, points, answer and options) is left as it is.
            have = _signatures(quiz)
            parsed = [(f, c) for f, c in parsed if _signature(f, c) not in have]
        start = (quiz.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        for offset, (fields, choices) in enumerate(parsed):
            question = clean_and_save(QuizQuestion(quiz=quiz, order=start + offset, **fields))
            for order, (kk, ru, ok) in enumerate(choices, start=1):
                clean_and_save(
                    QuizChoice(question=question, order=order, text_kk=kk, text_ru=ru, is_correct=ok)
                )
    return len(parsed)


def template_workbook():
    """An empty sheet with the column names and two example rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "questions"
    sheet.append(COLUMNS)
    sheet.append(
        [
            "single",
            1,
            "Present Simple",
            "She ___ to school every day.",
            "She ___ to school every day.",
            "b",
            "",
            "go",
            "go",
            "goes",
            "goes",
            "going",
            "going",
        ]
    )
    sheet.append(["number", 2, "Арифметика", "12 × 3 = ?", "12 × 3 = ?", "36", "0"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
