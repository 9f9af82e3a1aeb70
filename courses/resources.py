"""Spreadsheet registers of the courses app: students, enrollments, lessons with attendance.

Writes go through `courses.services` (student_save, enrollment_create, lesson_log,
lesson_update), so an import obeys the same rules as the forms.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from birgemiz.registers import register
from birgemiz.registers.bulk import BulkImportMixin, audit_rows, bulk_save, insert
from birgemiz.registers.resource import Lookup
from birgemiz.registers.widgets import LookupWidget, TextWidget, norm
from birgemiz.resources import ProgrammeResource
from birgemiz.validators import make_iin

from .models import Attendance, CourseGroup, Enrollment, Lesson, Student
from .services import student_save, validate_enrollment_capacity, validate_lesson_fields


class CourseResource(ProgrammeResource):
    """A register that also names course groups and students (by code or IIN)."""

    def lookup_group(self, text, row):
        groups = self.cached(
            "group",
            lambda: self.index(
                CourseGroup.objects.filter(program=self.program).select_related("program"), "name"
            ),
        )
        return self.one(groups.get(norm(text)), text, gettext_lazy("group"))

    def render_group(self, value):
        return value.name

    def lookup_student(self, text, row):
        students = self.cached(
            "student", lambda: self.index(Student.objects.filter(program=self.program), "code", "iin")
        )
        return self.one(students.get(norm(text)), text, gettext_lazy("student"))

    def render_student(self, value):
        return value.code

    def example_group(self):
        return CourseGroup.objects.filter(program=self.program).order_by("name").first()

    def example_student(self):
        group = self.example_group()
        enrolled = (
            Student.objects.filter(enrollments__group=group).order_by("code").first() if group else None
        )
        return enrolled or Student.objects.filter(program=self.program).order_by("code").first()


@register
class StudentResource(BulkImportMixin, CourseResource):
    """Students, a thousand rows at a time (`BulkImportMixin`): the rules of `student_save`
    (the model's `full_clean`) once per row, then bulk writes with their audit entries.

    A row is matched by IIN, then by code; a new student with an IIN and no code gets the
    programme's next free code (S00001, S00002, …)."""

    name = "students"
    verbose_name = gettext_lazy("students")
    natural_keys = (("iin",), ("code",))
    required = ("last_name", "first_name", "sex", "grade", "school")
    school = Lookup("school", "school")
    # Exported beside the school and read to tell apart schools of the same name.
    district = fields.Field(
        attribute="school__district", column_name="district", widget=LookupWidget("district"), readonly=True
    )
    labels = {"district": gettext_lazy("district")}
    aliases = {"code": ("оқушы коды", "код ученика", "код", "коды", "code")}
    example = {
        "code": "S00001",
        "last_name": "Серікова",
        "first_name": "Айгерім",
        "middle_name": "Болатқызы",
        "iin": make_iin(datetime.date(2005, 5, 1), "F", 1),
        "sex": "F",
        "birth_date": "01.05.2005",
        "grade": 10,
        "school": "№1 орта мектеп",
        "district": "Бөрлі",
        "language": "kk",
        "low_income": "жоқ",
        "disability": "жоқ",
        "social_status": "child",
        "phone": "+77011234567",
        "parent_consent": "иә",
    }

    class Meta:
        model = Student
        fields = (
            "code",
            "last_name",
            "first_name",
            "middle_name",
            "iin",
            "sex",
            "birth_date",
            "grade",
            "school",
            "district",
            "language",
            "low_income",
            "disability",
            "social_status",
            "phone",
            "parent_consent",
        )
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().select_related("school__district").order_by("code")

    def example_adjust(self, example):
        example["code"] = ""  # a new student with an IIN and no code: the code is assigned
        return example

    def save(self, instance, is_create):
        student_save(student=instance)

    def bulk_prepare(self, number, instance, original, row, errors, state):
        if instance.code:
            return errors
        if original is not None:
            instance.code = original.code  # an empty code cell keeps the stored code
        elif instance.iin:
            instance.code = self._next_code(state)
        elif "code" not in errors:
            errors["code"] = [_("Fill in the student code or the IIN (then the code is assigned).")]
        return errors

    def _next_code(self, state):
        """The programme's next free code S00001…: above every stored and every code of the file."""
        if "next_code" not in state:
            numbers = [
                int(code[1:])
                for code in Student.objects.filter(program=self.program, code__startswith="S").values_list(
                    "code", flat=True
                )
                if code[1:].isdigit()
            ]
            state["next_code"] = max(numbers, default=0) + 1
        while True:
            code = f"S{state['next_code']:05d}"
            state["next_code"] += 1
            if (("code",), (norm(code),)) not in state["seen"] and norm(code) not in state["reserved"]:
                return code

    def _bulk_existing(self, cleaned, state):
        # The codes the chunk writes itself are not assigned to its rows without a code.
        reserved = state.setdefault("reserved", set())
        reserved.update(norm(v["code"]) for _n, v, _e in cleaned if v.get("code"))
        return super()._bulk_existing(cleaned, state)


@register
class CourseGroupResource(BulkImportMixin, CourseResource):
    """Course groups: track, subject, volunteer (by e-mail), capacity and schedule."""

    name = "course-groups"
    verbose_name = gettext_lazy("course groups")
    natural_keys = (("name",),)
    required = ("name", "track", "volunteer")
    track = Lookup("track", "track")
    subject = Lookup("subject", "subject")
    volunteer = Lookup("volunteer", "volunteer")
    labels = {"name": gettext_lazy("group"), "volunteer": gettext_lazy("volunteer's e-mail")}
    aliases = {
        "name": ("топ", "группа", "group", "топтың атауы", "название группы"),
        "volunteer": (
            "волонтер",
            "волонтёр",
            "volunteer",
            "e-mail",
            "email",
            "волонтердің e-mail",
            "e-mail волонтёра",
        ),
        "capacity": ("орын саны", "мест", "вместимость"),
        "schedule": ("кесте", "расписание"),
    }
    example = {
        "name": "Ағылшын-1",
        "track": "english",
        "subject": "",
        "volunteer": "aigul@example.kz",
        "capacity": 25,
        "schedule": "сс, бс 16:00, Zoom",
    }

    class Meta:
        model = CourseGroup
        fields = ("name", "track", "subject", "volunteer", "capacity", "schedule")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().select_related("track", "subject", "volunteer").order_by("name")

    def example_volunteer(self):
        from volunteers.models import Volunteer

        return Volunteer.objects.filter(program=self.program).order_by("pk").first()

    def example_adjust(self, example):
        volunteer = self.example_volunteer()
        if volunteer is not None and volunteer.track_id:
            example["track"] = volunteer.track.code
        taken = set(CourseGroup.objects.filter(program=self.program).values_list("name", flat=True))
        stem, number = example["name"].rsplit("-", 1)[0], 1
        while f"{stem}-{number}" in taken:
            number += 1
        example["name"] = f"{stem}-{number}"
        return example

    def lookup_subject(self, text, row):
        from birgemiz.models import Subject

        subjects = self.cached(
            "subject",
            lambda: self.index(
                Subject.objects.filter(track__program=self.program).select_related("track"),
                "name_kk",
                "name_ru",
            ),
        )
        matches = subjects.get(norm(text), [])
        track_text = norm(row.get("track") or "")
        if track_text:
            matches = [
                s for s in matches if track_text in (norm(s.track.code), norm(s.track.name_kk))
            ] or matches
        return self.one(matches, text, gettext_lazy("subject"))

    def render_subject(self, value):
        return value.name_kk

    def lookup_volunteer(self, text, row):
        from volunteers.models import Volunteer

        volunteers = self.cached(
            "volunteer", lambda: self.index(Volunteer.objects.filter(program=self.program), "email")
        )
        return self.one(volunteers.get(norm(text)), text, gettext_lazy("volunteer"))

    def render_volunteer(self, value):
        return value.email

    def check_rules(self, instance):
        if instance.subject_id and instance.track_id and instance.subject.track_id != instance.track_id:
            raise ValidationError(
                {
                    "subject": _(
                        "The subject «%(subject)s» is not of the track «%(track)s»: "
                        "choose one of its subjects."
                    )
                    % {"subject": instance.subject.name_kk, "track": instance.track.code}
                }
            )

    def bulk_on_change(self, instance, original, changes):
        if "capacity" in changes:
            taken = original.enrollments.exclude(status=Enrollment.Status.DROPPED).count()
            if instance.capacity < taken:
                raise ValidationError(
                    {
                        "capacity": _(
                            "Group «%(group)s» has %(taken)s students: its capacity cannot be below that. "
                            "Move or drop students first."
                        )
                        % {"group": original.name, "taken": taken}
                    }
                )
        return changes


@register
class EnrollmentResource(BulkImportMixin, CourseResource):
    name = "enrollments"
    verbose_name = gettext_lazy("enrollments")
    program_path = "group__program"
    natural_keys = (("student", "group"),)
    required = ("student", "group")
    student = Lookup("student", "student")
    group = Lookup("group", "group")
    student_name = fields.Field(
        attribute="student__full_name", column_name="student_name", readonly=True, widget=TextWidget()
    )
    readonly_columns = ("student_name",)
    labels = {
        "student": gettext_lazy("student code"),
        "group": gettext_lazy("group"),
        "student_name": gettext_lazy("student's full name"),
    }
    example = {
        "student": "S00001",
        "group": "Ағылшын-1",
        "student_name": "Серікова Айгерім",
        "status": "active",
        "enrolled_on": "01.06.2020",
    }

    class Meta:
        model = Enrollment
        fields = ("student", "student_name", "group", "status", "enrolled_on")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().select_related("student", "group").order_by("group__name", "student__code")

    def bulk_prepare(self, number, instance, original, row, errors, state):
        """The capacity rule of `enrollment_create`, counting the file's own new rows."""
        if original is not None or "group" in errors or instance.group_id is None:
            return errors
        if instance.status == Enrollment.Status.DROPPED:
            return errors
        if "taken" not in state:
            state["taken"] = dict(
                Enrollment.objects.filter(group__program=self.program)
                .exclude(status=Enrollment.Status.DROPPED)
                .values("group_id")
                .annotate(n=Count("id"))
                .values_list("group_id", "n")
            )
        taken = state["taken"].get(instance.group_id, 0)
        try:
            validate_enrollment_capacity(group=instance.group, taken=taken)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
            return errors
        state["taken"][instance.group_id] = taken + 1
        return errors


SPLIT_CODES = re.compile(r"[,;\n]+")


@register
class LessonResource(BulkImportMixin, CourseResource):
    """Lessons with their attendance: the rules of `lesson_log` / `lesson_update`
    (`validate_lesson_fields`; a confirmed lesson is not changed, a corrected rejected one
    goes back to pending), then the lessons and every attendance row in bulk, each audited."""

    name = "lessons"
    verbose_name = gettext_lazy("lessons with attendance")
    program_path = "group__program"
    natural_keys = (("group", "date", "topic"),)
    required = ("group", "date", "hours", "topic")
    group = Lookup("group", "group")
    absent = fields.Field(column_name="absent", widget=TextWidget())
    readonly_columns = ("status",)
    labels = {"absent": gettext_lazy("absent students (codes)")}
    aliases = {"absent": ("келмегендер", "отсутствовали", "absent")}
    example = {
        "group": "Ағылшын-1",
        "date": "02.06.2020",
        "hours": 2,
        "topic": "Present Simple",
        "platform": "Zoom",
        "notes": "",
        "status": "",
        "absent": "S00001, S00002",
    }

    class Meta:
        model = Lesson
        fields = ("group", "date", "hours", "topic", "platform", "notes", "status", "absent")
        export_order = fields

    def export_queryset(self):
        return (
            self.get_queryset()
            .select_related("group")
            .prefetch_related("attendance__student")
            .order_by("group__name", "date", "id")
        )

    def example_adjust(self, example):
        example["date"] = self.program.start.strftime("%d.%m.%Y")
        group = self.example_group()
        codes = []
        if group is not None:
            codes = sorted(s.code for s in self._enrolled(group.pk).values())[:2]
        example["absent"] = ", ".join(codes)
        return example

    def dehydrate_absent(self, lesson):
        return ", ".join(sorted(a.student.code for a in lesson.attendance.all() if not a.present))

    def _enrolled(self, group_id):
        """{code casefolded: student} of a group's enrolled (not dropped) students."""
        enrolled = self._lookups.setdefault("enrolled", {})
        if group_id not in enrolled:
            self._read_enrolled([group_id])
        return enrolled[group_id]

    def _read_enrolled(self, group_ids):
        """The enrolled students of those of `group_ids` not read yet: one query per 500
        groups (a file's chunk names its groups at once), only the groups the file names."""
        enrolled = self._lookups.setdefault("enrolled", {})
        wanted = sorted({g for g in group_ids if g not in enrolled})
        for start in range(0, len(wanted), 500):
            part = wanted[start : start + 500]
            for group_id in part:
                enrolled[group_id] = {}
            enrollments = (
                Enrollment.objects.filter(group_id__in=part, group__program=self.program)
                .exclude(status=Enrollment.Status.DROPPED)
                .select_related("student")
            )
            for enrollment in enrollments:
                enrolled[enrollment.group_id][enrollment.student.code.casefold()] = enrollment.student

    def parse_absent(self, group, text):
        codes = [c.strip() for c in SPLIT_CODES.split(str(text or "")) if c.strip()]
        enrolled = self._enrolled(group.pk)
        unknown = [c for c in codes if c.casefold() not in enrolled]
        if unknown:
            raise ValueError(
                _("Not students of group %(group)s: %(codes)s.")
                % {"group": group.name, "codes": ", ".join(unknown)}
            )
        return {enrolled[c.casefold()].pk for c in codes}

    def check_rules(self, instance):
        if instance.group_id and instance.date and instance.hours is not None:
            validate_lesson_fields(
                program=instance.group.program, date=instance.date, hours=Decimal(instance.hours)
            )

    # ------------------------------------------------------------ the batched path

    def _bulk_existing(self, cleaned, state):
        found = super()._bulk_existing(cleaned, state)
        self._read_enrolled(v["group"].pk for _n, v, _e in cleaned if v.get("group") is not None)
        lesson_ids = [r.pk for records in found.values() for r in records.values()]
        # {lesson id: {student id: (attendance id, present)}}: plain values, not an
        # Attendance instance for each of the chunk's 10 000 rows.
        self._attendance = {}
        rows = Attendance.objects.filter(lesson_id__in=lesson_ids).values_list(
            "lesson_id", "student_id", "pk", "present"
        )
        for lesson_id, student_id, pk, present in rows:
            self._attendance.setdefault(lesson_id, {})[student_id] = (pk, present)
        return found

    def bulk_prepare(self, number, instance, original, row, errors, state):
        if original is None:
            instance.logged_by = self.user
        if "absent" in row and instance.group_id and "group" not in errors:
            try:
                instance._absent_ids = self.parse_absent(instance.group, row["absent"])
            except ValueError as exc:
                errors["absent"] = [str(exc)]
        return errors

    def bulk_other_changes(self, instance, original):
        if not hasattr(instance, "_absent_ids"):
            return False
        stored = self._attendance.get(original.pk, {})
        return {pk for pk, (_id, present) in stored.items() if not present} != instance._absent_ids

    def bulk_on_change(self, instance, original, changes):
        if original.status == Lesson.Status.CONFIRMED:
            raise ValidationError(_("A confirmed lesson cannot be changed. Ask your coordinator."))
        if original.status == Lesson.Status.REJECTED:
            instance.status = Lesson.Status.PENDING
            instance.reviewed_by = None
            instance.reviewed_at = None
            changes["status"] = [original.status, instance.status]
            if original.reviewed_by_id is not None:
                changes["reviewed_by_id"] = [original.reviewed_by_id, None]
            if original.reviewed_at is not None:
                changes["reviewed_at"] = [str(original.reviewed_at), None]
        return changes

    def bulk_write(self, created, updated):
        super().bulk_write(created, [(i, c) for i, c in updated if c])
        new_rows, changed = [], []  # new rows as (lesson, student, present)
        for lesson in created:
            absent = getattr(lesson, "_absent_ids", set())
            for student in self._enrolled(lesson.group_id).values():
                new_rows.append((lesson, student, student.pk not in absent))
        for lesson, _changes in updated:
            if not hasattr(lesson, "_absent_ids"):
                continue
            stored = self._attendance.get(lesson.pk, {})
            for student in self._enrolled(lesson.group_id).values():
                present = student.pk not in lesson._absent_ids
                pk, was = stored.get(student.pk, (None, None))
                if pk is None:
                    new_rows.append((lesson, student, present))
                elif was != present:
                    row = Attendance(pk=pk, lesson=lesson, student=student, present=present)
                    row._state.adding = False
                    changed.append((row, {"present": [was, present]}))
        program_id = self.audit_program_id()
        bulk_save(Attendance, program_id, [], changed, batch_size=self.chunk_size)
        if new_rows:
            # Plain rows, not 200 000 Attendance instances (`insert`); the keys come back.
            pks = insert(
                Attendance,
                ("lesson_id", "student_id", "present"),
                [(lesson.pk, student.pk, bool(present)) for lesson, student, present in new_rows],
                returning=True,
                ready=("lesson_id", "student_id", "present"),  # keys and flags, as the database takes them
            )
            # One entry per attendance row, as the signals write them (`Attendance.__str__`);
            # the lesson's label (a translated date and hours) made once per lesson, the
            # student's once per student.
            lesson_labels, student_labels = {}, {}
            entries = []
            for pk, (lesson, student, present) in zip(pks, new_rows, strict=True):
                lesson_label = lesson_labels.get(lesson.pk)
                if lesson_label is None:
                    lesson_label = lesson_labels[lesson.pk] = str(lesson)
                student_label = student_labels.get(student.pk)
                if student_label is None:
                    student_label = student_labels[student.pk] = str(student)
                entries.append(
                    (
                        pk,
                        f"{student_label} @ {lesson_label}: {'+' if present else '-'}",
                        {
                            "lesson_id": [None, lesson.pk],
                            "student_id": [None, student.pk],
                            "present": [None, present],
                        },
                    )
                )
            audit_rows(Attendance, program_id, "create", entries)
