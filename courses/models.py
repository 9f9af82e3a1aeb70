"""Students, course groups, enrollments, lessons and attendance (tracks and subjects are
the programme's structure: `birgemiz.models`)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from birgemiz.audit import audited
from birgemiz.models import Lang, Program, School, Sex, SocialStatus, Subject, TimeStamped, Track
from birgemiz.numbers import show_number
from birgemiz.validators import IinMatchesPerson, validate_iin


@audited("program_id")
class Student(IinMatchesPerson, TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="students", verbose_name=_("programme")
    )
    code = models.CharField(
        _("student code"),
        max_length=30,
        help_text=_("Stable code within the programme; used to match re-imports."),
    )
    last_name = models.CharField(pgettext_lazy("person", "last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    iin = models.CharField(
        _("IIN"), max_length=12, blank=True, validators=[validate_iin], help_text=_("12 digits.")
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(8), MaxValueValidator(11)]
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="students", verbose_name=_("school")
    )
    language = models.CharField(
        _("language of instruction"), max_length=2, choices=Lang.choices, default=Lang.KK
    )
    low_income = models.BooleanField(_("low-income family"), default=False)
    disability = models.BooleanField(_("disability"), default=False)
    social_status = models.CharField(
        _("social status"),
        max_length=20,
        choices=SocialStatus.choices,
        default=SocialStatus.OTHER,
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    parent_consent = models.BooleanField(
        _("parent's consent to personal data processing"), default=False
    )

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="courses_student_unique_code"),
            models.UniqueConstraint(
                fields=["program", "iin"],
                condition=~Q(iin=""),
                name="courses_student_unique_iin",
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=8) & Q(grade__lte=11), name="courses_student_grade_8_11"
            ),
        ]
        indexes = [models.Index(fields=["program", "last_name"], name="courses_student_name")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class CourseGroup(TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="groups", verbose_name=_("programme")
    )
    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="groups", verbose_name=_("track")
    )
    subject = models.ForeignKey(
        Subject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("subject"),
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.PROTECT,
        related_name="groups",
        verbose_name=_("volunteer"),
    )
    name = models.CharField(_("name"), max_length=200)
    schedule = models.CharField(
        _("schedule"), max_length=200, blank=True, help_text=_("E.g. Tue, Thu 16:00 on Zoom.")
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=25)

    class Meta:
        verbose_name = _("course group")
        verbose_name_plural = _("course groups")
        ordering = ["program", "track__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="courses_group_unique_name"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="courses_group_capacity_positive"),
        ]

    def __str__(self):
        return self.name


@audited("group.program_id")
class Enrollment(TimeStamped):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("enrolment status", "active")
        COMPLETED = "completed", _("completed")
        DROPPED = "dropped", _("dropped out")

    group = models.ForeignKey(
        CourseGroup, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("group")
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("student")
    )
    status = models.CharField(
        pgettext_lazy("workflow status", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.ACTIVE,
    )
    enrolled_on = models.DateField(_("enrolled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["group", "student__last_name", "student__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "student"], name="courses_enrollment_unique")
        ]

    def __str__(self):
        return f"{self.student} → {self.group}"


class Platform(models.TextChoices):
    ZOOM = "zoom", "Zoom"
    WHATSAPP = "whatsapp", "WhatsApp"
    YOUTUBE = "youtube", "YouTube"
    MEET = "meet", "Google Meet"
    IN_PERSON = "in_person", _("in person")
    OTHER = "other", _("other")


@audited("group.program_id")
class Lesson(TimeStamped):
    """A lesson (сабақ) a volunteer gave to a group; counts once confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    group = models.ForeignKey(
        CourseGroup, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("group")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("8"))],
        help_text=_("0.5 to 8, in half-hour steps."),
    )
    topic = models.CharField(_("topic"), max_length=300)
    platform = models.CharField(
        _("platform"), max_length=20, choices=Platform.choices, default=Platform.ZOOM
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        pgettext_lazy("workflow status", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
    )
    reject_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=Decimal("0.5")) & Q(hours__lte=Decimal("8")),
                name="courses_lesson_hours_0_5_to_8",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="courses_lesson_rejection_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status"], name="courses_lesson_group_status"),
            # Newest first is how every list shows lessons (admin, portal, coordinator).
            models.Index(fields=["-date", "-id"], name="courses_lesson_recent"),
            # The lessons register's natural key.
            models.Index(fields=["group", "date", "topic"], name="courses_lesson_key"),
        ]

    def __str__(self):
        return gettext("%(group)s, %(date)s (%(hours)s h)") % {
            "group": self.group,
            "date": f"{self.date:%d.%m.%Y}",
            "hours": show_number(Decimal(self.hours or 0)),
        }


@audited("lesson.group.program_id")
class Attendance(models.Model):
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("lesson")
    )
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("student")
    )
    present = models.BooleanField(pgettext_lazy("attendance", "present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["lesson", "student"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "student"], name="courses_attendance_unique")
        ]

    def __str__(self):
        return f"{self.student} @ {self.lesson}: {'+' if self.present else '-'}"
