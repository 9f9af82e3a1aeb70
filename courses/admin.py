"""The back office for tracks, students, groups, enrollments, lessons and attendance.

Writes go through `courses.services` (students, enrollments, lessons, their
confirmation), so a rule is enforced once for the admin, the portal and imports.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from birgemiz.access import editable_programs_for
from birgemiz.admin_base import (
    AuditLinkMixin,
    ProgramScopedAdmin,
    ScopedInline,
    autocomplete_if_registered,
    register_scope,
)
from birgemiz.admin_filters import KazakhRelatedOnlyFilter

from . import services
from .models import Attendance, CourseGroup, Enrollment, Lesson, Student

register_scope(Enrollment, "group__program")
register_scope(Lesson, "group__program")
register_scope(Attendance, "lesson__group__program")

# Choices in Kazakh alphabetical order (birgemiz.admin_filters).
RelatedOnly = KazakhRelatedOnlyFilter


def _adopt(obj, saved):
    """Make the admin's object the row a service created, so the admin's inlines,
    log entry and redirect use it."""
    obj.__dict__.update(saved.__dict__)


def _errors_text(error):
    return " ".join(str(m) for m in error.messages)


# ---------------------------------------------------------------- students


@admin.register(Student)
class StudentAdmin(AuditLinkMixin, ProgramScopedAdmin):
    list_display = [
        "full_name", "code", "grade", "sex", "school", "language", "low_income", "parent_consent", "program"
    ]
    list_display_links = ["full_name", "code"]
    list_filter = [
        "grade", "sex", "language", "low_income", "disability", "parent_consent",
        ("school__district", RelatedOnly), ("program", RelatedOnly),
    ]
    list_select_related = ["school", "school__district", "program"]
    search_fields = ["last_name", "first_name", "middle_name", "code", "=iin", "phone"]
    autocomplete_fields = ["school"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    def save_model(self, request, obj, form, change):
        # The same scope check as the base class, before the service writes.
        if not editable_programs_for(request.user).filter(pk=obj.program_id).exists():
            raise PermissionDenied
        services.student_save(student=obj)


# ---------------------------------------------------------------- groups and enrollments


class EnrollmentInlineFormSet(forms.BaseInlineFormSet):
    """The group's capacity and programme, as `enrollment_create` checks them."""

    def clean(self):
        super().clean()
        group = self.instance
        if not getattr(group, "program_id", None):
            return
        taken = 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            student = data.get("student")
            if student is not None and student.program_id != group.program_id:
                form.add_error("student", _("The student belongs to another programme."))
            if data.get("status", Enrollment.Status.ACTIVE) != Enrollment.Status.DROPPED:
                taken += 1
        capacity = group.capacity or 0
        if capacity and taken > capacity:
            raise ValidationError(
                _("Group %(group)s is full (%(capacity)s students).")
                % {"group": group.name, "capacity": capacity}
            )


class EnrollmentInline(ScopedInline, admin.TabularInline):
    model = Enrollment
    formset = EnrollmentInlineFormSet
    parent_program_path = "program"
    extra = 0
    fields = ["student", "status", "enrolled_on"]
    autocomplete_fields = ["student"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("student")


@admin.register(CourseGroup)
class CourseGroupAdmin(ProgramScopedAdmin):
    list_display = ["name", "track", "subject", "volunteer", "schedule", "enrolled", "capacity", "program"]
    list_filter = [("track", RelatedOnly), ("subject", RelatedOnly), ("program", RelatedOnly)]
    list_select_related = ["track", "subject", "volunteer", "program"]
    search_fields = ["name", "volunteer__last_name", "volunteer__first_name", "schedule"]
    inlines = [EnrollmentInline]

    def get_autocomplete_fields(self, request):
        # Volunteers are registered by the volunteers app, which may not be installed yet.
        return autocomplete_if_registered(self, ["volunteer"])

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            # A correlated count, evaluated for the page's rows only; a joined Count()
            # would group every enrollment of every group before paginating.
            .annotate(
                _enrolled=Coalesce(
                    Subquery(
                        Enrollment.objects.filter(group=OuterRef("pk"))
                        .exclude(status=Enrollment.Status.DROPPED)
                        .order_by()
                        .values("group")
                        .annotate(n=Count("pk"))
                        .values("n")[:1]
                    ),
                    0,
                )
            )
        )

    @admin.display(description=_("enrolled"), ordering="_enrolled")
    def enrolled(self, obj):
        return obj._enrolled


class EnrollmentForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        group, student = data.get("group"), data.get("student")
        if group and student and student.program_id != group.program_id:
            self.add_error("student", _("The student belongs to another programme."))
        if group and not self.instance.pk:
            taken = group.enrollments.exclude(status=Enrollment.Status.DROPPED).count()
            if taken >= group.capacity:
                self.add_error(
                    "group",
                    _("Group %(group)s is full (%(capacity)s students).")
                    % {"group": group.name, "capacity": group.capacity},
                )
        return data


@admin.register(Enrollment)
class EnrollmentAdmin(AuditLinkMixin, ProgramScopedAdmin):
    # Newest first by primary key: no sort through joins over big tables.
    ordering = ["-id"]
    program_path = "group__program"
    form = EnrollmentForm
    list_display = ["student", "group", "status", "enrolled_on", "program_code"]
    list_filter = ["status", ("group__track", RelatedOnly), ("group__program", RelatedOnly)]
    list_select_related = ["student", "group", "group__program"]
    search_fields = ["student__last_name", "student__first_name", "student__code", "group__name"]
    autocomplete_fields = ["group", "student"]
    date_hierarchy = "enrolled_on"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    @admin.display(description=_("programme"), ordering="group__program__code")
    def program_code(self, obj):
        return obj.group.program.code

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        status = obj.status
        saved = services.enrollment_create(
            group=obj.group, student=obj.student, enrolled_on=obj.enrolled_on
        )
        if saved.status != status:
            saved.status = status
            saved.save(update_fields=["status", "updated_at"])
        _adopt(obj, saved)


# ---------------------------------------------------------------- lessons and attendance


class AttendanceInline(ScopedInline, admin.TabularInline):
    """Attendance rows are written for every enrolled student when a lesson is
    logged; here they are only ticked present or absent."""

    model = Attendance
    parent_program_path = "group__program"
    extra = 0
    fields = ["student", "present"]
    readonly_fields = ["student"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("student")

    def has_add_permission(self, request, obj=None):
        return False


class LessonForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        lesson = self.instance
        if lesson.pk and lesson.status != Lesson.Status.PENDING:
            raise ValidationError(_("Only lessons waiting for confirmation can be changed."))
        group = data.get("group")
        if group is not None:
            try:
                services.validate_lesson_fields(
                    program=group.program, date=data.get("date"), hours=data.get("hours")
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for rejection"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("The volunteer sees this reason and can log the lesson again."),
    )


@admin.register(Lesson)
class LessonAdmin(AuditLinkMixin, ProgramScopedAdmin):
    program_path = "group__program"
    form = LessonForm
    list_display = ["date", "group", "track", "volunteer", "hours", "topic", "platform", "status"]
    list_display_links = ["date", "group"]
    list_filter = [
        # No volunteer filter: it would list every volunteer in the sidebar; search finds one.
        "status", ("group__track", RelatedOnly), "platform", ("group__program", RelatedOnly),
    ]
    list_select_related = ["group", "group__track", "group__volunteer"]
    search_fields = ["topic", "group__name", "group__volunteer__last_name"]
    date_hierarchy = "date"
    autocomplete_fields = ["group"]
    readonly_fields = ["status", "reject_reason", "logged_by", "reviewed_by", "reviewed_at"]
    fields = [
        "group", "date", "hours", "topic", "platform", "notes",
        "status", "reject_reason", "logged_by", "reviewed_by", "reviewed_at",
    ]
    inlines = [AttendanceInline]
    actions = ["confirm_lessons", "reject_lessons"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_readonly_fields(self, request, obj=None):
        # A reviewed lesson is history: only a pending one may be edited (lesson_update).
        if obj is not None and obj.status != Lesson.Status.PENDING:
            return [*self.fields, *super().get_readonly_fields(request, obj)]
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("track"), ordering="group__track__order")
    def track(self, obj):
        return obj.group.track

    @admin.display(description=_("volunteer"), ordering="group__volunteer__last_name")
    def volunteer(self, obj):
        return obj.group.volunteer

    def save_model(self, request, obj, form, change):
        if change:
            services.lesson_update(lesson=obj, user=request.user)
            return
        saved = services.lesson_log(
            group=obj.group,
            user=request.user,
            date=obj.date,
            hours=obj.hours,
            topic=obj.topic,
            platform=obj.platform,
            notes=obj.notes,
        )
        _adopt(obj, saved)

    def _reviewable(self, request, queryset):
        return queryset.filter(group__program__in=editable_programs_for(request.user)).select_related(
            "group__program"
        )

    @admin.action(description=_("Confirm selected lessons"), permissions=["change"])
    def confirm_lessons(self, request, queryset):
        done = 0
        for lesson in self._reviewable(request, queryset):
            try:
                services.lesson_confirm(lesson=lesson, user=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{lesson}: {_errors_text(error)}", messages.ERROR)
        self.message_user(
            request,
            ngettext("%(count)d lesson confirmed.", "%(count)d lessons confirmed.", done) % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject selected lessons"), permissions=["change"])
    def reject_lessons(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            reason = form.cleaned_data["reason"]
            for lesson in self._reviewable(request, queryset):
                try:
                    services.lesson_reject(lesson=lesson, user=request.user, reason=reason)
                    done += 1
                except ValidationError as error:
                    self.message_user(request, f"{lesson}: {_errors_text(error)}", messages.ERROR)
            self.message_user(
                request,
                ngettext("%(count)d lesson rejected.", "%(count)d lessons rejected.", done) % {"count": done},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject selected lessons"),
            "opts": self.model._meta,
            "lessons": queryset.select_related("group"),
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "action": "reject_lessons",
        }
        return TemplateResponse(request, "courses/admin/lesson_reject.html", context)


@admin.register(Attendance)
class AttendanceAdmin(AuditLinkMixin, ProgramScopedAdmin):
    # Newest first by primary key: no sort through joins over big tables.
    ordering = ["-id"]
    program_path = "lesson__group__program"
    list_display = ["lesson", "student", "present"]
    # No group filter or date hierarchy: both read every attendance row to build their
    # choices. Find a group's rows by searching its name, or open the lesson.
    list_filter = ["present", ("lesson__group__program", RelatedOnly)]
    list_select_related = ["lesson", "lesson__group", "student"]
    search_fields = ["student__last_name", "student__first_name", "student__code", "lesson__group__name"]
    autocomplete_fields = ["lesson", "student"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)
