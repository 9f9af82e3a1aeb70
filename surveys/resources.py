"""Spreadsheet register of survey responses, with one column per question.

Survey exports run to tens of thousands of rows, so this register has a validated
fast path instead of django-import-export's row-by-row saves: rows are cleaned by
the same widgets, each response is checked with `full_clean()` (IIN checksum,
grade, lengths), duplicates are found in the file (code, identity) and against the
database (one response per student, by `surveys.services.identity_key`, as the
public form), a thousand rows at a time. Nothing is written until the whole file
is known to be good; then the rows go in with bulk inserts inside the caller's
transaction, and the audit trail gets one entry per written response (with no
personal data in it). Memory stays flat: only the chunk's objects and the keys
seen so far (short strings) are held.
"""

import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from birgemiz.models import pick_lang
from birgemiz.registers import register
from birgemiz.registers.bulk import audit_rows, insert
from birgemiz.registers.engine import duplicate_message
from birgemiz.registers.resource import Lookup
from birgemiz.registers.widgets import DecimalWidget, TextWidget, as_text, norm
from courses.resources import CourseResource

from .models import Answer, Question, Survey, SurveyResponse
from .services import identity_key

CHUNK = 1000
IDENTITY_INPUTS = ("iin", "last_name", "first_name", "school", "birth_date")
SPLIT_CHOICES = re.compile(r"[;\n]+")
PERSON_FIELDS = (
    "code",
    "last_name",
    "first_name",
    "middle_name",
    "iin",
    "sex",
    "birth_date",
    "grade",
    "district",
    "school",
    "phone",
    "language",
    "consent",
    "student",
)


@register
class SurveyResponseResource(CourseResource):
    name = "survey-responses"
    verbose_name = gettext_lazy("survey responses")
    program_path = "survey__program"
    natural_keys = (("iin",), ("code",))
    required = ("code", "last_name", "first_name")
    survey = Lookup("survey", "survey")
    district = Lookup("district", "district")
    school = Lookup("school", "school")
    student = Lookup("student", "student")
    labels = {"survey": gettext_lazy("survey code"), "student": gettext_lazy("student code")}
    aliases = {"code": ("жауап коды", "код ответа", "response code")}
    example = {
        "survey": "needs-2020",
        "code": "R000001",
        "last_name": "Серікова",
        "first_name": "Айгерім",
        "middle_name": "",
        "iin": "",
        "sex": "F",
        "birth_date": "01.05.2005",
        "grade": 10,
        "district": "Бөрлі",
        "school": "№1 орта мектеп",
        "phone": "",
        "language": "kk",
        "consent": "иә",
        "student": "",
    }

    class Meta:
        model = SurveyResponse
        fields = ("survey",) + PERSON_FIELDS
        export_order = fields

    def __init__(self, program=None, user=None, **kwargs):
        super().__init__(program=program, user=user, **kwargs)
        self.questions = {}
        if program is not None:
            for question in (
                Question.objects.filter(survey__program=program)
                .select_related("survey")
                .prefetch_related("choices")
                .order_by("survey__code", "order", "id")
            ):
                key = f"q{question.pk}"
                self.questions[key] = question
                self.fields[key] = fields.Field(column_name=key, widget=TextWidget())
                self.aliases = {
                    **self.aliases,
                    key: (question.code, question.text_kk, question.text_ru or ""),
                }

    def label(self, key):
        question = self.questions.get(key)
        if question is not None:
            return pick_lang(question, "text") or question.code
        return super().label(key)

    def example_survey(self):
        return Survey.objects.filter(program=self.program).order_by("code").first()

    # ------------------------------------------------------------ lookups

    def lookup_survey(self, text, row):
        surveys = self.cached(
            "survey", lambda: self.index(Survey.objects.filter(program=self.program), "code")
        )
        return self.one(surveys.get(norm(text)), text, gettext_lazy("survey"))

    def render_survey(self, value):
        return value.code

    def default_survey(self):
        def build():
            surveys = list(Survey.objects.filter(program=self.program)[:2])
            return surveys[0] if len(surveys) == 1 else None

        return self.cached("default_survey", build)

    # ------------------------------------------------------------ export

    def export_queryset(self):
        return (
            self.get_queryset()
            .select_related("survey", "district", "school__district", "student")
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("choice")))
            .order_by("survey__code", "code")
        )

    def export_field(self, field, instance, **kwargs):
        question = self.questions.get(field.column_name)
        if question is None:
            return super().export_field(field, instance, **kwargs)
        answers = [a for a in instance.answers.all() if a.question_id == question.pk]
        return render_answers(question, answers)

    # ------------------------------------------------------------ import (fast path)

    def import_rows(self, rows, report, columns, dry_run=False, progress=None):
        state = {"codes": {}, "identities": {}, "processed": 0}
        chunk = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= CHUNK:
                self._chunk(chunk, report, columns, state, dry_run)
                chunk = []
                if progress is not None:
                    progress(state["processed"])
        if chunk:
            self._chunk(chunk, report, columns, state, dry_run)
            if progress is not None:
                progress(state["processed"])

    def _clean_row(self, number, row, report, columns):
        """An unsaved response, its answers {question: [Answer]} and whether it had errors."""
        errors = {}
        values = {}
        for key in PERSON_FIELDS + ("survey",):
            if key not in row:
                continue
            field = self.fields[key]
            try:
                value = field.widget.clean(row[key], row=row)
                if value in ("", None) and field.default is not NOT_PROVIDED:
                    value = field.default
                values[key] = value
            except ValueError as exc:
                errors[key] = [str(exc)]
        survey = values.get("survey") or (None if "survey" in errors else self.default_survey())
        if survey is None and "survey" not in errors:
            errors["survey"] = [_("Fill in the survey code: this programme has several surveys.")]
        answers = {}
        for key, question in self.questions.items():
            if key not in row or row[key] in (None, ""):
                continue
            if survey is not None and question.survey_id != survey.pk:
                errors[key] = [_("This question is not in survey %(survey)s.") % {"survey": survey.code}]
                continue
            try:
                answers[question] = parse_answers(question, row[key])
            except ValueError as exc:
                errors[key] = [str(exc)]
        values["_name_key"] = identity_key(
            last_name=values.get("last_name", ""),
            first_name=values.get("first_name", ""),
            school_id=getattr(values.get("school"), "pk", None),
            birth_date=values.get("birth_date"),
        )
        values["_iin_key"] = identity_key(iin=values["iin"]) if values.get("iin") else ""
        return values, survey, answers, errors

    def _report(self, number, errors, report, columns):
        for key, messages in errors.items():
            column = columns.display(self, self.column_for_error(key) if key != NON_FIELD_ERRORS else "")
            for message in messages:
                report.add_error(number, column, message)

    def _chunk(self, chunk, report, columns, state, dry_run):
        cleaned = []
        for number, row in chunk:
            state["processed"] += 1
            values, survey, answers, errors = self._clean_row(number, row, report, columns)
            cleaned.append((number, values, survey, answers, errors))
        by_code, by_identity = self._existing(cleaned)
        now = timezone.now()
        created, updated = [], []
        for number, values, survey, answers, errors in cleaned:
            if survey is None:
                self._report(number, errors, report, columns)
                continue
            iin = values.get("iin") or ""
            existing = None
            if iin:
                existing = by_identity.get((survey.pk, values["_iin_key"]))
            by_this_code = by_code.get((survey.pk, norm(values.get("code", ""))))
            if existing is not None and by_this_code is not None and existing.pk != by_this_code.pk:
                errors.setdefault("iin", []).append(
                    _("This IIN belongs to response %(other)s, not %(code)s.")
                    % {"other": existing.code, "code": values.get("code", "")}
                )
            existing = existing or by_this_code
            response = _copy(existing) if existing is not None else SurveyResponse(survey_id=survey.pk)
            for key, value in values.items():
                if key == "survey" or key.startswith("_"):
                    continue
                if key in ("district", "school", "student"):
                    # The id only: the related-object descriptor costs more than the rest of the row.
                    setattr(response, f"{key}_id", value.pk if value is not None else None)
                    if key == "school" and value is not None and response.district_id is None:
                        response.district_id = value.district_id
                else:
                    setattr(response, key, value)
            if all(k in values for k in IDENTITY_INPUTS):
                response.identity_key = values["_iin_key"] or values["_name_key"]
            else:  # a partial file: the rest comes from the stored response
                response.identity_key = identity_key(
                    iin=response.iin,
                    last_name=response.last_name,
                    first_name=response.first_name,
                    school_id=response.school_id,
                    birth_date=response.birth_date,
                )
            try:
                # Foreign keys came from the lookups above: skip full_clean's query per key.
                response.full_clean(
                    exclude=list(errors) + ["survey", "district", "school", "student"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            if response.grade is not None and not 1 <= response.grade <= 11 and "grade" not in errors:
                errors["grade"] = [_("A grade is from 1 to 11.")]
            code_key = (survey.pk, norm(response.code))
            identity = (survey.pk, response.identity_key)
            first = state["codes"].get(code_key) or state["identities"].get(identity)
            if first is not None:
                errors = {NON_FIELD_ERRORS: [duplicate_message(first)]}
            else:
                state["codes"][code_key] = number
                state["identities"][identity] = number
                holder = by_identity.get(identity)
                if holder is not None and (existing is None or holder.pk != existing.pk):
                    errors.setdefault(NON_FIELD_ERRORS, []).append(
                        _("A response from this student is already recorded (code %(code)s).")
                        % {"code": holder.code}
                    )
            if errors:
                self._report(number, errors, report, columns)
                continue
            if existing is None:
                report.new += 1
                created.append((response, answers))
            else:
                changed = [f for f in _compared_fields() if getattr(response, f) != getattr(existing, f)]
                if changed and response.identity_key != existing.identity_key:
                    changed.append("identity_key")
                answers_changed = _answers_changed(existing, answers)
                if not changed and not answers_changed:
                    report.unchanged += 1
                    continue
                report.updated += 1
                response.updated_at = now
                updated.append((response, changed, answers_changed, answers))
        if dry_run or not report.ok:
            return  # nothing is written for a preview or once any row is bad
        self._write(created, updated, now)

    def _existing(self, cleaned):
        codes, identities = set(), set()
        survey_ids = set()
        for _number, values, survey, _answers, _errors in cleaned:
            if survey is None:
                continue
            survey_ids.add(survey.pk)
            if values.get("code"):
                codes.add(values["code"])
            if values["_iin_key"]:
                identities.add(values["_iin_key"])
            identities.add(values["_name_key"])
        if not survey_ids:
            return {}, {}
        base = SurveyResponse.objects.filter(survey_id__in=survey_ids).prefetch_related("answers")
        by_code = {(r.survey_id, norm(r.code)): r for r in base.filter(code__in=codes)}
        by_identity = {(r.survey_id, r.identity_key): r for r in base.filter(identity_key__in=identities)}
        return by_code, by_identity

    def _write(self, created, updated, now):
        program_id = self.program.pk if self.program else None
        if created:
            responses = [r for r, _a in created]
            for response in responses:
                response.created_at = response.updated_at = now
            _insert(SurveyResponse, [_values(r) for r in responses], RESPONSE_COLUMNS)
            ids = {
                (survey_id, code): pk
                for pk, survey_id, code in SurveyResponse.objects.filter(
                    survey_id__in={r.survey_id for r in responses}, code__in=[r.code for r in responses]
                ).values_list("pk", "survey_id", "code")
            }
            rows = []
            for response, answers in created:
                response.pk = ids[(response.survey_id, response.code)]
                rows.extend(_answer_values(response.pk, answers))
            _insert(Answer, rows, ANSWER_COLUMNS)
            audit_rows(
                SurveyResponse, program_id, "create", [(r.pk, r, {"note": "import"}) for r in responses]
            )
        if updated:
            by_fields = {}
            for response, changed, _answers_changed, _answers in updated:
                by_fields.setdefault(tuple(sorted(changed)) + ("updated_at",), []).append(response)
            for field_names, responses in by_fields.items():
                SurveyResponse.objects.bulk_update(responses, list(field_names), batch_size=CHUNK)
            rewrite = [(r, a) for r, _c, changed_answers, a in updated if changed_answers]
            if rewrite:
                Answer.objects.filter(
                    response_id__in=[r.pk for r, _a in rewrite],
                    question_id__in={q.pk for _r, a in rewrite for q in a},
                ).delete()
                rows = []
                for response, answers in rewrite:
                    rows.extend(_answer_values(response.pk, answers))
                _insert(Answer, rows, ANSWER_COLUMNS)
            audit_rows(
                SurveyResponse, program_id, "update", [(r.pk, r, {"note": "import"}) for r, *_rest in updated]
            )


def _compared_fields():
    return (
        "code",
        "last_name",
        "first_name",
        "middle_name",
        "iin",
        "sex",
        "birth_date",
        "grade",
        "district_id",
        "school_id",
        "phone",
        "language",
        "consent",
        "student_id",
    )


def _copy(response):
    copy = SurveyResponse()
    copy.__dict__.update({k: v for k, v in response.__dict__.items() if k != "_state"})
    copy._state.adding = False
    copy._state.db = response._state.db
    copy._prefetched_objects_cache = {}
    return copy


def _answer_key(choice_id, text, number):
    return (choice_id, text or "", str(number.normalize()) if number is not None else "")


def _answers_changed(existing, answers):
    current = {}
    for answer in existing.answers.all():
        key = _answer_key(answer.choice_id, answer.text, answer.number)
        current.setdefault(answer.question_id, set()).add(key)
    for question, new in answers.items():
        if current.get(question.pk, set()) != {_answer_key(*a) for a in new}:
            return True
    return False


def _answer_values(response_id, answers):
    return [
        (response_id, question.pk, choice_id, text, number)
        for question, cells in answers.items()
        for choice_id, text, number in cells
    ]


ANSWER_COLUMNS = ("response_id", "question_id", "choice_id", "text", "number")
RESPONSE_COLUMNS = tuple(f.attname for f in SurveyResponse._meta.concrete_fields if not f.primary_key)


def _values(response):
    return tuple(getattr(response, name) for name in RESPONSE_COLUMNS)


def _insert(model, rows, columns):
    """INSERT the rows a thousand at a time (`birgemiz.registers.bulk.insert`: executemany on
    SQLite, COPY on PostgreSQL). bulk_create assembles SQL per row and field, which for 50 000
    responses costs more than checking them; the values still go through each field's
    get_db_prep_save, as in save(), so any database backend gets what it expects."""
    insert(model, columns, rows)


def parse_answers(question, value):
    """(choice id, text, number) for each answer in one cell; ValueError with a readable reason.

    Plain tuples, not Answer objects: building model instances for 150 000 answers that a
    preview only compares would cost more than the rest of the check."""
    kind = question.kind
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        choices = getattr(question, "_choice_map", None)
        if choices is None:
            choices = {}
            for choice in question.choices.all():
                for text in (choice.value, choice.text_kk, choice.text_ru):
                    if text:
                        choices.setdefault(norm(text), choice)
            question._choice_map = choices
        text = as_text(value)
        whole = choices.get(norm(text))
        parts = [text] if whole is not None or kind == Question.Kind.SINGLE else SPLIT_CHOICES.split(text)
        picked = []
        for part in parts:
            part = part.strip()
            if not part:
                continue
            choice = choices.get(norm(part))
            if choice is None:
                raise ValueError(_("«%(value)s» is not a choice of this question.") % {"value": part})
            if choice not in picked:
                picked.append(choice)
        return [(c.pk, "", None) for c in picked]
    if kind == Question.Kind.NUMBER:
        return [(None, "", DecimalWidget().clean(value))]
    return [(None, as_text(value), None)]


def render_answers(question, answers):
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return "; ".join(pick_lang(a.choice, "text") for a in answers if a.choice is not None)
    if question.kind == Question.Kind.NUMBER:
        return DecimalWidget().render(answers[0].number) if answers else None
    return "; ".join(a.text for a in answers)
