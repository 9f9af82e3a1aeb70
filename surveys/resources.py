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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from birgemiz.audit import record_bulk
from birgemiz.models import pick_lang
from birgemiz.registers import register
from birgemiz.registers.engine import duplicate_message
from birgemiz.registers.resource import Lookup, RegisterResource
from birgemiz.registers.widgets import DecimalWidget, TextWidget, as_text, norm

from .models import Answer, Question, Survey, SurveyResponse
from .services import identity_key

CHUNK = 1000
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
class SurveyResponseResource(RegisterResource):
    name = "survey-responses"
    verbose_name = gettext_lazy("survey responses")
    program_path = "survey__program"
    natural_keys = (("iin",), ("code",))
    required = ("code", "last_name", "first_name")
    fast_path = True
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

    def example_row(self):
        return [self.example.get(key, "") for key in self.column_keys()]

    # ------------------------------------------------------------ lookups

    def lookup_survey(self, text, row):
        surveys = self.cached(
            "survey", lambda: self.index(Survey.objects.filter(program=self.program), "code")
        )
        return self.one(surveys.get(norm(text)), text, _("survey"))

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
            try:
                values[key] = self.fields[key].clean(row)
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
                existing = by_identity.get((survey.pk, identity_key(iin=iin)))
            by_this_code = by_code.get((survey.pk, norm(values.get("code", ""))))
            if existing is not None and by_this_code is not None and existing.pk != by_this_code.pk:
                errors.setdefault("iin", []).append(
                    _("This IIN belongs to response %(other)s, not %(code)s.")
                    % {"other": existing.code, "code": values.get("code", "")}
                )
            existing = existing or by_this_code
            response = _copy(existing) if existing is not None else SurveyResponse(survey=survey)
            for key, value in values.items():
                if key == "survey":
                    continue
                if key in ("district", "school", "student"):
                    setattr(response, f"{key}_id", value.pk if value is not None else None)
                    if value is not None:
                        setattr(response, key, value)
                else:
                    setattr(response, key, value)
            if response.district_id is None and response.school_id is not None:
                response.district_id = response.school.district_id
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
            if values.get("iin"):
                identities.add(identity_key(iin=values["iin"]))
            identities.add(
                identity_key(
                    last_name=values.get("last_name", ""),
                    first_name=values.get("first_name", ""),
                    school_id=getattr(values.get("school"), "pk", None),
                    birth_date=values.get("birth_date"),
                )
            )
        if not survey_ids:
            return {}, {}
        base = SurveyResponse.objects.filter(survey_id__in=survey_ids).prefetch_related("answers")
        by_code = {(r.survey_id, norm(r.code)): r for r in base.filter(code__in=codes)}
        by_identity = {(r.survey_id, r.identity_key): r for r in base.filter(identity_key__in=identities)}
        return by_code, by_identity

    def _write(self, created, updated, now):
        program_id = self.program.pk if self.program else None
        if created:
            responses = SurveyResponse.objects.bulk_create([r for r, _a in created], batch_size=CHUNK)
            rows = []
            for response, (_r, answers) in zip(responses, created, strict=True):
                for question_answers in answers.values():
                    for answer in question_answers:
                        answer.response_id = response.pk
                        rows.append(answer)
            Answer.objects.bulk_create(rows, batch_size=CHUNK)
            record_bulk(SurveyResponse, program_id, "create", responses, note="import")
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
                    for question_answers in answers.values():
                        for answer in question_answers:
                            answer.response_id = response.pk
                            rows.append(answer)
                Answer.objects.bulk_create(rows, batch_size=CHUNK)
            record_bulk(SurveyResponse, program_id, "update", [r for r, *_rest in updated], note="import")


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


def _answer_key(answer):
    return (answer.choice_id, answer.text or "", str(answer.number) if answer.number is not None else "")


def _answers_changed(existing, answers):
    current = {}
    for answer in existing.answers.all():
        current.setdefault(answer.question_id, set()).add(_answer_key(answer))
    for question, new in answers.items():
        if current.get(question.pk, set()) != {_answer_key(a) for a in new}:
            return True
    return False


def parse_answers(question, value):
    """Unsaved Answers for one cell; ValueError with a readable reason."""
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
        return [Answer(question=question, choice=c) for c in picked]
    if kind == Question.Kind.NUMBER:
        return [Answer(question=question, number=DecimalWidget().clean(value))]
    return [Answer(question=question, text=as_text(value))]


def render_answers(question, answers):
    if question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        return "; ".join(pick_lang(a.choice, "text") for a in answers if a.choice is not None)
    if question.kind == Question.Kind.NUMBER:
        return DecimalWidget().render(answers[0].number) if answers else None
    return "; ".join(a.text for a in answers)
