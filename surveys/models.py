"""Needs surveys: questions, choices, responses and answers."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birgemiz.models import District, Lang, Program, School, Sex, TimeStamped, pick_lang
from birgemiz.validators import IinMatchesPerson, validate_iin


class Survey(TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("programme")
    )
    code = models.SlugField(
        pgettext_lazy("identifier", "code"), unique=True, help_text=_("Public link: /s/CODE/")
    )
    title_kk = models.CharField(_("title (Kazakh)"), max_length=300)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    intro_kk = models.TextField(_("introduction (Kazakh)"), blank=True)
    intro_ru = models.TextField(_("introduction (Russian)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    opens = models.DateField(_("opens"), null=True, blank=True)
    closes = models.DateField(_("closes"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["program", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__isnull=True)
                | models.Q(opens__isnull=True)
                | models.Q(closes__gte=models.F("opens")),
                name="surveys_survey_closes_after_opens",
            )
        ]

    def __str__(self):
        return pick_lang(self, "title")

    @property
    def title(self):
        return pick_lang(self, "title")


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        TEXT = "text", _("text")
        NUMBER = "number", pgettext_lazy("numeric answer", "number")
        DISTRICT = "district", _("district picker")
        SCHOOL = "school", _("school picker")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(pgettext_lazy("identifier", "code"), help_text=_("Column name in exports."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text_kk = models.CharField(_("question (Kazakh)"), max_length=500)
    text_ru = models.CharField(_("question (Russian)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="surveys_question_unique_code")
        ]

    def __str__(self):
        return pick_lang(self, "text")

    @property
    def text(self):
        return pick_lang(self, "text")


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    value = models.SlugField(_("value"))
    text_kk = models.CharField(_("text (Kazakh)"), max_length=300)
    text_ru = models.CharField(_("text (Russian)"), max_length=300, blank=True)
    track = models.ForeignKey(
        "birgemiz.Track",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("track"),
        help_text=_("The track this choice asks for, for interest analysis and enrolment."),
    )
    subject = models.ForeignKey(
        "birgemiz.Subject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("subject"),
    )

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="surveys_choice_unique_value")
        ]

    def __str__(self):
        return pick_lang(self, "text")

    @property
    def text(self):
        return pick_lang(self, "text")


class SurveyResponse(IinMatchesPerson, TimeStamped):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    code = models.CharField(
        _("response code"), max_length=30, help_text=_("Stable code; used to match re-imports.")
    )
    last_name = models.CharField(pgettext_lazy("person", "last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, validators=[validate_iin])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("school")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("form language"),
        max_length=2,
        choices=Lang.choices,
        blank=True,
        help_text=_("The language the respondent filled the form in."),
    )
    consent = models.BooleanField(
        _("consent to personal data processing"),
        default=False,
        help_text=_("Given by the respondent (or a parent) on the public form."),
    )
    identity_key = models.CharField(
        _("identity key"),
        max_length=64,
        help_text=_("Hash of the IIN, or of name + school + birth date: one response per student."),
    )
    student = models.ForeignKey(
        "courses.Student",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("student"),
    )

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["survey", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="surveys_response_unique_code"),
            models.UniqueConstraint(
                fields=["survey", "identity_key"], name="surveys_response_one_per_student"
            ),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | (models.Q(grade__gte=1) & models.Q(grade__lte=11)),
                name="surveys_response_grade_1_11",
            ),
        ]
        indexes = [models.Index(fields=["survey", "district"], name="surveys_response_district")]

    def __str__(self):
        return f"{self.code} {self.last_name} {self.first_name}"


class Answer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    choice = models.ForeignKey(
        Choice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
        verbose_name=_("choice"),
    )
    text = models.TextField(_("text"), blank=True)
    number = models.DecimalField(
        pgettext_lazy("numeric answer", "number"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "choice"], name="surveys_answer_unique_choice"
            )
        ]

    def __str__(self):
        return f"{self.question.code}: {self.choice or self.text or self.number}"
