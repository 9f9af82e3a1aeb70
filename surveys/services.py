"""The one write path for survey responses and for turning respondents into students.

The public form, the admin and any importer call `response_submit`; the enrolment
tool previews with `enrolment_plan` and writes with `enrolment_apply`, which go
through `courses.services.student_save` / `enrollment_create`.
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from birgemiz.models import Track
from birgemiz.services import clean_and_save
from courses.models import CourseGroup, Enrollment, Student
from courses.services import enrollment_create, student_save
from volunteers.models import Volunteer

from .models import Answer, Question, SurveyResponse

IDENTITY_SALT = "birgemiz.surveys.identity"


def _norm(text):
    return " ".join((text or "").split()).casefold()


def identity_key(*, iin="", last_name="", first_name="", school_id=None, birth_date=None):
    """A keyed hash that says "the same student" without storing who it is.

    The IIN when given, otherwise name + school + birth date. Keyed with the
    SECRET_KEY so the hash of an IIN cannot be looked up by brute force.
    """
    iin = (iin or "").strip()
    if iin:
        raw = f"iin:{iin}"
    else:
        raw = f"nsb:{_norm(last_name)}|{_norm(first_name)}|{school_id or ''}|{birth_date or ''}"
    return salted_hmac(IDENTITY_SALT, raw, algorithm="sha256").hexdigest()


def response_is_duplicate(*, survey, iin="", last_name="", first_name="", school=None, birth_date=None):
    keys = {
        identity_key(
            last_name=last_name,
            first_name=first_name,
            school_id=getattr(school, "pk", None),
            birth_date=birth_date,
        )
    }
    if iin:
        keys.add(identity_key(iin=iin))
    query = Q(identity_key__in=keys)
    if iin:
        query |= Q(iin=iin)
    if school is not None and birth_date is not None:
        # An earlier response given with an IIN still counts for the name path.
        query |= Q(
            last_name__iexact=last_name.strip(),
            first_name__iexact=first_name.strip(),
            school=school,
            birth_date=birth_date,
        )
    return survey.responses.filter(query).exists()


class _Duplicate(Exception):
    """A second response of the same student: nothing is written."""


def response_submit(*, survey, person, answers, language=""):
    """Save one response with its answers; None when the student has already answered.

    A second response is not an error anyone may see: the public form is open to all,
    and «already received» would tell a stranger that a given IIN (or name, school and
    birth date) has answered. So nothing is written and the caller thanks them as for
    the first one; only one response per student is counted.

    `person`: last_name, first_name, middle_name, iin, sex, birth_date, grade,
    school, district, phone, consent. `answers`: {Question: value}, where value is
    a Choice (single), a list of Choices (multiple), a str (text), a Decimal
    (number), a District or a School.
    """
    try:
        return _response_create(survey=survey, person=person, answers=answers, language=language)
    except _Duplicate:
        return None


def _response_create(*, survey, person, answers, language):
    iin = (person.get("iin") or "").strip()
    school = person.get("school")
    district = person.get("district") or (school.district if school is not None else None)
    if response_is_duplicate(
        survey=survey,
        iin=iin,
        last_name=person["last_name"],
        first_name=person["first_name"],
        school=school,
        birth_date=person.get("birth_date"),
    ):
        raise _Duplicate
    response = SurveyResponse(
        survey=survey,
        code=secrets.token_hex(6).upper(),
        last_name=person["last_name"].strip(),
        first_name=person["first_name"].strip(),
        middle_name=(person.get("middle_name") or "").strip(),
        iin=iin,
        sex=person.get("sex") or "",
        birth_date=person.get("birth_date"),
        grade=person.get("grade"),
        district=district,
        school=school,
        phone=(person.get("phone") or "").strip(),
        language=language if language in ("kk", "ru") else "",
        consent=bool(person.get("consent")),
        identity_key=identity_key(
            iin=iin,
            last_name=person["last_name"],
            first_name=person["first_name"],
            school_id=getattr(school, "pk", None),
            birth_date=person.get("birth_date"),
        ),
    )
    try:
        with transaction.atomic():
            clean_and_save(response)
            rows = []
            for question, value in answers.items():
                rows.extend(_answer_rows(response, question, value))
            for row in rows:
                row.full_clean(exclude=["response"])
            Answer.objects.bulk_create(rows)
    except ValidationError as exc:
        if "__all__" in getattr(exc, "message_dict", {}) and any(
            "identity" in m or "already exists" in m for m in exc.message_dict["__all__"]
        ):
            raise _Duplicate from None
        raise
    except IntegrityError:  # two submissions racing: the constraint decides
        raise _Duplicate from None
    return response


def _answer_rows(response, question, value):
    if value in (None, "", []):
        return []
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        return [Answer(response=response, question=question, choice=value)]
    if kind == Question.Kind.MULTIPLE:
        return [Answer(response=response, question=question, choice=c) for c in value]
    if kind == Question.Kind.NUMBER:
        return [Answer(response=response, question=question, number=Decimal(value))]
    if kind in (Question.Kind.DISTRICT, Question.Kind.SCHOOL):
        return [Answer(response=response, question=question, text=str(value))]
    return [Answer(response=response, question=question, text=str(value).strip())]


# ---------------------------------------------------------------- enrolment


class Action:
    ENROL = "enrol"
    ALREADY = "already"
    NO_PLACE = "no_place"
    MISSING = "missing"


@dataclass
class Slot:
    """A volunteer's group in a track, existing or to be created."""

    track: Track
    volunteer: Volunteer
    group: CourseGroup | None
    taken: int
    limit: int
    added: int = 0

    @property
    def free(self):
        return self.limit - self.taken - self.added

    @property
    def name(self):
        return self.group.name if self.group else new_group_name(self.track, self.volunteer)

    @property
    def is_new(self):
        return self.group is None


@dataclass
class PlanRow:
    response: SurveyResponse
    track: Track
    action: str
    student: Student | None = None
    slot: Slot | None = None
    missing: list = field(default_factory=list)

    @property
    def creates_student(self):
        return self.action == Action.ENROL and self.student is None


@dataclass
class EnrolmentPlan:
    rows: list
    slots: list

    @property
    def to_enrol(self):
        return [r for r in self.rows if r.action == Action.ENROL]

    @property
    def new_students(self):
        return len({r.response.pk for r in self.rows if r.creates_student})

    @property
    def matched_students(self):
        return len({r.student.pk for r in self.to_enrol if r.student is not None})

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def already_count(self):
        return self.count(Action.ALREADY)


def new_group_name(track, volunteer):
    return f"{track.name_kk} — {volunteer.last_name} {volunteer.first_name}"[:200]


def requested_tracks(response, only_track=None):
    seen = []
    for answer in response.answers.all():
        track = answer.choice.track if answer.choice_id and answer.choice.track_id else None
        if track is not None and track not in seen and (only_track is None or track.pk == only_track.pk):
            seen.append(track)
    return seen


def _match_students(program, responses):
    iins = {r.iin for r in responses if r.iin}
    names = {_norm(r.last_name) for r in responses}
    found = Student.objects.filter(program=program).filter(
        Q(iin__in=iins)
        | Q(pk__in=[r.student_id for r in responses if r.student_id])
        | Q(last_name__in={r.last_name.strip() for r in responses})
    )
    by_pk, by_iin, by_name = {}, {}, {}
    for student in found:
        by_pk[student.pk] = student
        if student.iin:
            by_iin[student.iin] = student
        if _norm(student.last_name) in names:
            key = (_norm(student.last_name), _norm(student.first_name), student.school_id, student.birth_date)
            by_name[key] = student
    matched = {}
    for r in responses:
        student = by_pk.get(r.student_id) or (by_iin.get(r.iin) if r.iin else None)
        if student is None:
            student = by_name.get((_norm(r.last_name), _norm(r.first_name), r.school_id, r.birth_date))
        matched[r.pk] = student
    return matched


def _slots_for(program, tracks):
    volunteers = list(
        Volunteer.objects.filter(program=program, track__in=tracks)
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .order_by("last_name", "first_name", "id")
    )
    groups = (
        CourseGroup.objects.filter(program=program, track__in=tracks)
        .select_related("track")
        .order_by("name", "id")
    )
    taken = {}
    for row in (
        Enrollment.objects.filter(group__program=program, group__track__in=tracks)
        .exclude(status=Enrollment.Status.DROPPED)
        .values_list("group_id", flat=True)
    ):
        taken[row] = taken.get(row, 0) + 1
    first_group = {}
    volunteer_taken = {}
    for group in groups:
        key = (group.volunteer_id, group.track_id)
        first_group.setdefault(key, group)
        volunteer_taken[key] = volunteer_taken.get(key, 0) + taken.get(group.pk, 0)
    track_by_pk = {t.pk: t for t in tracks}
    slots = {t.pk: [] for t in tracks}
    for volunteer in volunteers:
        track = track_by_pk[volunteer.track_id]
        key = (volunteer.pk, track.pk)
        group = first_group.get(key)
        limit = track.group_capacity
        used = volunteer_taken.get(key, 0)
        if group is not None:
            # The group's own capacity can be lower than the per-volunteer limit.
            limit = min(limit, used + max(group.capacity - taken.get(group.pk, 0), 0))
        slots[track.pk].append(Slot(track=track, volunteer=volunteer, group=group, taken=used, limit=limit))
    return slots


def enrolment_plan(*, survey, responses, only_track=None):
    """What applying would do: who is matched or created, which group each fills.

    Groups are filled in volunteer order, each up to the track's students-per-volunteer
    capacity; a volunteer without a group of the track gets a new one.
    """
    program = survey.program
    responses = list(responses)
    wanted = {r.pk: requested_tracks(r, only_track) for r in responses}
    tracks = sorted({t for ts in wanted.values() for t in ts}, key=lambda t: (t.order, t.pk))
    slots = _slots_for(program, tracks)
    matched = _match_students(program, responses)
    enrolled = set(
        Enrollment.objects.filter(student__in=[s for s in matched.values() if s is not None])
        .exclude(status=Enrollment.Status.DROPPED)
        .values_list("student_id", "group__track_id")
    )
    rows = []
    for response in responses:
        student = matched[response.pk]
        missing = []
        if student is None:
            if response.school_id is None:
                missing.append(_("school"))
            if not response.sex:
                missing.append(_("sex"))
            if response.grade is None or not 8 <= response.grade <= 11:
                missing.append(_("grade 8–11"))
        for track in wanted[response.pk]:
            if missing:
                rows.append(PlanRow(response, track, Action.MISSING, missing=missing))
                continue
            if student is not None and (student.pk, track.pk) in enrolled:
                rows.append(PlanRow(response, track, Action.ALREADY, student=student))
                continue
            slot = next((s for s in slots[track.pk] if s.free > 0), None)
            if slot is None:
                rows.append(PlanRow(response, track, Action.NO_PLACE, student=student))
                continue
            slot.added += 1
            rows.append(PlanRow(response, track, Action.ENROL, student=student, slot=slot))
    all_slots = [s for t in tracks for s in slots[t.pk] if s.added or s.group is not None]
    return EnrolmentPlan(rows=rows, slots=all_slots)


def _unique_group_name(program, base):
    name, n = base, 1
    while CourseGroup.objects.filter(program=program, name=name).exists():
        n += 1
        name = f"{base[:190]} ({n})"
    return name


def _student_from_response(program, response):
    return Student(
        program=program,
        code=f"SV-{response.code}"[:30],
        last_name=response.last_name,
        first_name=response.first_name,
        middle_name=response.middle_name,
        iin=response.iin,
        sex=response.sex,
        birth_date=response.birth_date,
        grade=response.grade,
        school=response.school,
        language=response.language or "kk",
        phone=response.phone,
        parent_consent=response.consent,
    )


def enrolment_apply(*, survey, responses, only_track=None, today=None):
    """Carry out the plan: create or match students and enrol them; returns the plan."""
    today = today or timezone.localdate()
    program = survey.program
    with transaction.atomic():
        plan = enrolment_plan(survey=survey, responses=responses, only_track=only_track)
        created = {}
        for slot in plan.slots:
            if slot.is_new and slot.added:
                group = CourseGroup(
                    program=program,
                    track=slot.track,
                    volunteer=slot.volunteer,
                    name=_unique_group_name(program, new_group_name(slot.track, slot.volunteer)),
                    capacity=slot.track.group_capacity,
                )
                slot.group = clean_and_save(group)
        for row in plan.to_enrol:
            student = row.student or created.get(row.response.pk)
            if student is None:
                student = student_save(student=_student_from_response(program, row.response))
                created[row.response.pk] = student
            row.student = student
            if row.response.student_id != student.pk:
                row.response.student = student
                row.response.save(update_fields=["student", "updated_at"])
            enrollment_create(group=row.slot.group, student=student, enrolled_on=today)
    return plan
