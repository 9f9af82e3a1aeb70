"""Spreadsheet registers of the courses app: students, enrollments, lessons with attendance.

Writes go through `courses.services` (student_save, enrollment_create, lesson_log,
lesson_update), so an import obeys the same rules as the forms.
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from birgemiz.registers import register
from birgemiz.registers.bulk import BulkImportMixin
from birgemiz.registers.resource import Lookup
from birgemiz.registers.widgets import LookupWidget, TextWidget, norm
from birgemiz.resources import ProgrammeResource
from birgemiz.services import clean_and_save
from birgemiz.validators import make_iin

from .models import CourseGroup, Enrollment, Lesson, Student
from .services import enrollment_create, lesson_log, lesson_update, student_save, validate_lesson_fields


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


@register
class StudentResource(BulkImportMixin, CourseResource):
    """Students, a thousand rows at a time (`BulkImportMixin`): the rules of `student_save`
    (the model's `full_clean`) once per row, then bulk writes with their audit entries."""

    name = "students"
    verbose_name = gettext_lazy("students")
    natural_keys = (("iin",), ("code",))
    required = ("code", "last_name", "first_name", "sex", "grade", "school")
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

    def save(self, instance, is_create):
        student_save(student=instance)


@register
class EnrollmentResource(CourseResource):
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

    def save(self, instance, is_create):
        if not is_create:
            with transaction.atomic():
                clean_and_save(instance)
            return
        with transaction.atomic():
            created = enrollment_create(
                group=instance.group, student=instance.student, enrolled_on=instance.enrolled_on
            )
            if created.status != instance.status:
                created.status = instance.status
                clean_and_save(created)
        instance.pk = created.pk


SPLIT_CODES = re.compile(r"[,;\n]+")


@register
class LessonResource(CourseResource):
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

    def dehydrate_absent(self, lesson):
        return ", ".join(sorted(a.student.code for a in lesson.attendance.all() if not a.present))

    def _enrolled(self, group):
        def build():
            return {
                code.casefold(): pk
                for pk, code in Student.objects.filter(enrollments__group=group)
                .exclude(enrollments__status=Enrollment.Status.DROPPED)
                .values_list("pk", "code")
            }

        return self.cached(("enrolled", group.pk), build)

    def parse_absent(self, group, text):
        codes = [c.strip() for c in SPLIT_CODES.split(str(text or "")) if c.strip()]
        enrolled = self._enrolled(group)
        unknown = [c for c in codes if c.casefold() not in enrolled]
        if unknown:
            raise ValueError(
                _("Not students of group %(group)s: %(codes)s.")
                % {"group": group.name, "codes": ", ".join(unknown)}
            )
        return {enrolled[c.casefold()] for c in codes}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if "absent" in row and instance.group_id:
            try:
                instance._absent_ids = self.parse_absent(instance.group, row["absent"])
            except ValueError as exc:
                errors["absent"] = [str(exc)]
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        if hasattr(instance, "_absent_ids"):
            before = set(original.attendance.filter(present=False).values_list("student_id", flat=True))
            return before == instance._absent_ids
        return True

    def check_rules(self, instance):
        if instance.group_id and instance.date and instance.hours is not None:
            validate_lesson_fields(
                program=instance.group.program, date=instance.date, hours=Decimal(instance.hours)
            )

    def save(self, instance, is_create):
        present = None
        if hasattr(instance, "_absent_ids"):
            present = set(self._enrolled(instance.group).values()) - instance._absent_ids
        if is_create:
            lesson = lesson_log(
                group=instance.group,
                user=self.user,
                date=instance.date,
                hours=instance.hours,
                topic=instance.topic,
                platform=instance.platform,
                notes=instance.notes,
                present_ids=present,
            )
            instance.pk = lesson.pk
        else:
            lesson_update(lesson=instance, user=self.user, present_ids=present)
