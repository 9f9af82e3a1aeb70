"""Pre/post test results, ҰБТ outcomes, contests and olympiad places."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from birgemiz.audit import audited
from birgemiz.models import Activity, Program, TimeStamped


class TestKind(models.TextChoices):
    PRE = "pre", _("pre-test")
    POST = "post", _("post-test")


@audited("program_id")
class TestResult(TimeStamped):
    """A pre- or post-test score in percent, of a student (or a volunteer in training)."""

    class Source(models.TextChoices):
        TYPED = "typed", _("typed")
        ONLINE = "online", _("online test")
        IMPORT = "import", _("imported")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="test_results", verbose_name=_("programme")
    )
    track = models.ForeignKey(
        "courses.Track",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="test_results",
        verbose_name=_("track"),
    )
    student = models.ForeignKey(
        "courses.Student",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="test_results",
        verbose_name=_("student"),
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="test_results",
        verbose_name=_("volunteer"),
    )
    kind = models.CharField(_("kind"), max_length=4, choices=TestKind.choices)
    score = models.DecimalField(
        _("score, %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.TYPED
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        ordering = ["program", "track", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="assessments_score_0_100"
            ),
            models.CheckConstraint(
                condition=(Q(student__isnull=False) & Q(volunteer__isnull=True))
                | (Q(student__isnull=True) & Q(volunteer__isnull=False)),
                name="assessments_result_of_student_or_volunteer",
            ),
            models.UniqueConstraint(
                fields=["student", "track", "kind"],
                condition=Q(student__isnull=False),
                name="assessments_one_result_per_student_track_kind",
            ),
            models.UniqueConstraint(
                fields=["volunteer", "kind"],
                condition=Q(volunteer__isnull=False),
                name="assessments_one_result_per_volunteer_kind",
            ),
        ]
        indexes = [models.Index(fields=["program", "track", "kind"], name="assessments_result_track")]

    def __str__(self):
        who = self.student or self.volunteer
        return f"{who} {self.get_kind_display()}: {self.score}%"


@audited("student.program_id")
class UntOutcome(TimeStamped):
    """The student's ҰБТ (national test): taken, score, state grant won."""

    student = models.OneToOneField(
        "courses.Student", on_delete=models.CASCADE, related_name="unt", verbose_name=_("student")
    )
    score = models.PositiveSmallIntegerField(
        _("ҰБТ score"), null=True, blank=True, validators=[MaxValueValidator(140)]
    )
    grant_won = models.BooleanField(_("state grant won"), default=False)

    class Meta:
        verbose_name = _("ҰБТ outcome")
        verbose_name_plural = _("ҰБТ outcomes")
        ordering = ["student"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=140), name="assessments_unt_score_0_140"
            )
        ]

    def __str__(self):
        return f"{self.student}: {self.score or '—'}"


class Contest(TimeStamped):
    class Level(models.TextChoices):
        PROGRAM = "program", _("within the programme")
        DISTRICT = "district", _("district")
        REGION = "region", _("region")
        REPUBLIC = "republic", _("republic")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="contests", verbose_name=_("programme")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contests",
        verbose_name=_("activity"),
    )
    track = models.ForeignKey(
        "courses.Track",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contests",
        verbose_name=_("track"),
    )
    title = models.CharField(_("title"), max_length=300)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.PROGRAM)
    date = models.DateField(_("date"), null=True, blank=True)
    organized_by_program = models.BooleanField(_("organised by the programme"), default=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["program", "date", "id"]

    def __str__(self):
        return self.title


class ContestEntry(TimeStamped):
    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="entries", verbose_name=_("contest")
    )
    student = models.ForeignKey(
        "courses.Student",
        on_delete=models.CASCADE,
        related_name="contest_entries",
        verbose_name=_("student"),
    )
    place = models.PositiveSmallIntegerField(
        _("place"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    nomination = models.CharField(_("nomination"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        ordering = ["contest", "place", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "student", "nomination"], name="assessments_entry_unique"
            ),
            models.CheckConstraint(
                condition=Q(place__isnull=True) | Q(place__gte=1), name="assessments_place_positive"
            ),
        ]

    def __str__(self):
        return f"{self.student} — {self.contest}: {self.place or '—'}"
