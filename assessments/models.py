"""Pre/post test results, ҰБТ outcomes, contests and olympiad places."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birgemiz.audit import audited
from birgemiz.models import Activity, Program, TimeStamped, pick_lang


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
        "birgemiz.Track",
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
        "birgemiz.Track",
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
        pgettext_lazy("contest rank", "place"), null=True, blank=True, validators=[MinValueValidator(1)]
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


# ---------------------------------------------------------------- online tests
#
# A `Quiz` is an online test of a track (or of volunteer training); each person who
# takes it gets a `QuizAttempt` reached through a personal unguessable token. Saved
# answers are `QuizAnswer` rows; the submitted score lands in `TestResult`, or in a
# `ScoreConflict` when a person already typed a different score for the same test.


class Quiz(TimeStamped):
    """An online test: a bank of questions for one track (and subject), or for volunteers."""

    class Audience(models.TextChoices):
        STUDENTS = "students", _("students")
        VOLUNTEERS = "volunteers", _("volunteers (training)")

    class Use(models.TextChoices):
        PRE = "pre", _("pre-test only")
        POST = "post", _("post-test only")
        BOTH = "both", _("pre-test and post-test")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="quizzes", verbose_name=_("programme")
    )
    audience = models.CharField(
        _("taken by"), max_length=10, choices=Audience.choices, default=Audience.STUDENTS
    )
    track = models.ForeignKey(
        "birgemiz.Track",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("track"),
        help_text=_("Required for students' tests; optional for volunteer training."),
    )
    subject = models.ForeignKey(
        "birgemiz.Subject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("subject"),
        help_text=_("Only for tracks with subjects; empty means every group of the track."),
    )
    use = models.CharField(
        _("used as"),
        max_length=4,
        choices=Use.choices,
        default=Use.BOTH,
        help_text=_("The same form before and after the course, or a parallel form for one of them."),
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    intro_kk = models.TextField(_("instructions (Kazakh)"), blank=True)
    intro_ru = models.TextField(_("instructions (Russian)"), blank=True)
    is_open = models.BooleanField(
        _("accepting answers"),
        default=True,
        help_text=_("Untick to stop every link of this test from accepting answers."),
    )

    class Meta:
        verbose_name = _("online test")
        verbose_name_plural = _("online tests")
        ordering = ["program", "track__order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(audience="students") | Q(track__isnull=False),
                name="assessments_quiz_students_need_track",
            ),
            models.CheckConstraint(
                condition=Q(subject__isnull=True) | Q(track__isnull=False),
                name="assessments_quiz_subject_needs_track",
            ),
        ]

    def __str__(self):
        return pick_lang(self, "title")

    @property
    def title(self):
        return pick_lang(self, "title")

    @property
    def intro(self):
        return pick_lang(self, "intro")

    def serves(self, kind):
        return self.use == self.Use.BOTH or self.use == kind

    def clean(self):
        errors = {}
        if self.track_id and self.program_id and self.track.program_id != self.program_id:
            errors["track"] = _("The track belongs to another programme.")
        if self.subject_id and self.subject.track_id != self.track_id:
            errors["subject"] = _("The subject belongs to another track.")
        if self.audience == self.Audience.STUDENTS and not self.track_id:
            errors["track"] = _("A students' test needs a track.")
        if errors:
            raise ValidationError(errors)


class QuizQuestion(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        NUMBER = "number", _("short numeric answer")

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("online test")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text_kk = models.TextField(_("text (Kazakh)"))
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    topic = models.CharField(
        _("topic"),
        max_length=200,
        blank=True,
        help_text=_("Questions with the same topic are compared together before and after the course."),
    )
    points = models.PositiveSmallIntegerField(
        _("points"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    answer_number = models.DecimalField(
        _("correct number"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("For a numeric question."),
    )
    tolerance = models.DecimalField(
        _("tolerance"),
        max_digits=14,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text=_("A numeric answer this close to the correct number counts as correct."),
    )

    class Meta:
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")
        ordering = ["quiz", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gte=1) & Q(points__lte=100), name="assessments_question_points_1_100"
            ),
            models.CheckConstraint(
                condition=~Q(kind="number") | Q(answer_number__isnull=False),
                name="assessments_question_number_has_answer",
            ),
            models.CheckConstraint(
                condition=Q(tolerance__gte=0), name="assessments_question_tolerance_not_negative"
            ),
        ]

    def __str__(self):
        text = pick_lang(self, "text")
        return f"{self.order}. {text[:80]}"

    @property
    def text(self):
        return pick_lang(self, "text")

    def clean(self):
        if self.kind == self.Kind.NUMBER and self.answer_number is None:
            raise ValidationError({"answer_number": _("A numeric question needs the correct number.")})


class QuizChoice(models.Model):
    question = models.ForeignKey(
        QuizQuestion, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_kk = models.CharField(_("text (Kazakh)"), max_length=500)
    text_ru = models.CharField(_("text (Russian)"), max_length=500, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["question", "order", "id"]

    def __str__(self):
        return pick_lang(self, "text")

    @property
    def text(self):
        return pick_lang(self, "text")


class QuizAttempt(TimeStamped):
    """One person's sitting of one test as a pre- or post-test, opened by a personal token."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="quiz_attempts", verbose_name=_("programme")
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("online test")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=TestKind.choices)
    # Copied from the test so that the database can hold "one pre-test per student and track".
    track = models.ForeignKey(
        "birgemiz.Track",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("track"),
    )
    student = models.ForeignKey(
        "courses.Student",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quiz_attempts",
        verbose_name=_("student"),
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quiz_attempts",
        verbose_name=_("volunteer"),
    )
    group = models.ForeignKey(
        "courses.CourseGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quiz_attempts",
        verbose_name=_("group"),
        help_text=_("The group whose volunteer shares the link."),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("test link", "issued by"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        _("score, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    result = models.ForeignKey(
        TestResult,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attempts",
        verbose_name=_("test result"),
    )

    class Meta:
        verbose_name = _("test attempt")
        verbose_name_plural = _("test attempts")
        ordering = ["program", "quiz", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(student__isnull=False) & Q(volunteer__isnull=True))
                | (Q(student__isnull=True) & Q(volunteer__isnull=False)),
                name="assessments_attempt_of_student_or_volunteer",
            ),
            models.UniqueConstraint(
                fields=["student", "track", "kind"],
                condition=Q(student__isnull=False),
                name="assessments_attempt_one_per_student_track_kind",
            ),
            models.UniqueConstraint(
                fields=["volunteer", "kind"],
                condition=Q(volunteer__isnull=False),
                name="assessments_attempt_one_per_volunteer_kind",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(score__isnull=False),
                name="assessments_attempt_submitted_has_score",
            ),
        ]
        indexes = [models.Index(fields=["quiz", "kind", "submitted_at"], name="assessments_attempt_quiz")]

    def __str__(self):
        return f"{self.student or self.volunteer} — {self.quiz} ({self.get_kind_display()})"

    @property
    def person(self):
        return self.student or self.volunteer

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class QuizAnswer(models.Model):
    attempt = models.ForeignKey(
        QuizAttempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("test attempt")
    )
    question = models.ForeignKey(
        QuizQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    choices = models.ManyToManyField(
        QuizChoice, blank=True, related_name="answers", verbose_name=_("chosen options")
    )
    number = models.DecimalField(
        pgettext_lazy("numeric answer", "number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)
    is_correct = models.BooleanField(_("fully correct"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("saved answer")
        verbose_name_plural = _("saved answers")
        ordering = ["attempt", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="assessments_answer_unique")
        ]

    def __str__(self):
        return f"{self.attempt_id} / {self.question_id}"


@audited("program_id")
class ScoreConflict(TimeStamped):
    """An online score that met a score someone had already typed for the same test."""

    class Status(models.TextChoices):
        OPEN = "open", _("to resolve")
        KEPT_TYPED = "kept_typed", _("typed score kept")
        TOOK_ONLINE = "took_online", _("online score taken")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="score_conflicts", verbose_name=_("programme")
    )
    attempt = models.OneToOneField(
        QuizAttempt, on_delete=models.CASCADE, related_name="conflict", verbose_name=_("test attempt")
    )
    result = models.ForeignKey(
        TestResult, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("test result")
    )
    typed_score = models.DecimalField(_("typed score, %"), max_digits=5, decimal_places=2)
    online_score = models.DecimalField(_("online score, %"), max_digits=5, decimal_places=2)
    status = models.CharField(
        pgettext_lazy("processing state", "status"),
        max_length=12,
        choices=Status.choices,
        default=Status.OPEN,
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("score conflict")
        verbose_name_plural = _("score conflicts")
        ordering = ["program", "status", "-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(resolved_at__isnull=False),
                name="assessments_conflict_resolved_has_time",
            )
        ]

    def __str__(self):
        return f"{self.attempt.person}: {self.typed_score}% / {self.online_score}%"
