"""Volunteers, their applications and the expert council, trainers, training and awards."""

import hashlib

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birgemiz.audit import audited
from birgemiz.models import District, Lang, Program, Sex, SocialStatus, TimeStamped, pick_lang
from birgemiz.validators import IinMatchesPerson, validate_iin


class Volunteer(IinMatchesPerson, TimeStamped):
    class Status(models.TextChoices):
        SELECTED = "selected", _("selected")
        TRAINED = "trained", _("trained")
        ACTIVE = "active", _("teaching")
        AWARDED = "awarded", _("awarded")
        WITHDRAWN = "withdrawn", _("withdrawn")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="volunteers", verbose_name=_("programme")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
        verbose_name=_("user account"),
    )
    last_name = models.CharField(pgettext_lazy("person", "last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), help_text=_("Identifies the volunteer in imports."))
    iin = models.CharField(_("IIN"), max_length=12, blank=True, validators=[validate_iin])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    education = models.CharField(_("education"), max_length=200, blank=True)
    social_status = models.CharField(
        _("social status"), max_length=20, choices=SocialStatus.choices, default=SocialStatus.YOUTH
    )
    disability = models.BooleanField(_("disability"), default=False)
    track = models.ForeignKey(
        "birgemiz.Track",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("track"),
    )
    status = models.CharField(
        pgettext_lazy("workflow status", "status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SELECTED,
    )

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "email"], name="volunteers_volunteer_unique_email"),
            models.UniqueConstraint(
                fields=["program", "iin"], condition=~Q(iin=""), name="volunteers_volunteer_unique_iin"
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class SelectionCriterion(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("programme")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")
        ordering = ["program", "order", "id"]

    def __str__(self):
        return pick_lang(self, "name")


class CouncilMember(TimeStamped):
    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        MEMBER = "member", _("member")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="council", verbose_name=_("programme")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_seats",
        verbose_name=_("user account"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    workplace_position = models.CharField(_("workplace and position"), max_length=400, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["program", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user"],
                condition=Q(user__isnull=False),
                name="volunteers_council_one_seat_per_user",
            )
        ]

    def __str__(self):
        return self.full_name


class CouncilMeeting(TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="council_meetings", verbose_name=_("programme")
    )
    number = models.PositiveSmallIntegerField(pgettext_lazy("sequence number", "number"))
    date = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"))
    decisions = models.TextField(_("decisions"), blank=True)
    attendees = models.ManyToManyField(
        CouncilMember, blank=True, related_name="meetings", verbose_name=_("attended")
    )
    minutes = models.FileField(
        _("minutes file"),
        upload_to="council-minutes/%Y/",
        blank=True,
    )

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="volunteers_meeting_unique_number")
        ]

    def __str__(self):
        return f"№{self.number} {self.date:%d.%m.%Y}"


class VolunteerApplication(IinMatchesPerson, TimeStamped):
    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        SELECTED = "selected", _("selected")
        RESERVE = "reserve", _("reserve")
        REJECTED = "rejected", _("rejected")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="applications", verbose_name=_("programme")
    )
    last_name = models.CharField(pgettext_lazy("person", "last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    iin = models.CharField(_("IIN"), max_length=12, blank=True, validators=[validate_iin])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    education = models.CharField(_("education"), max_length=200, blank=True)
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    social_status = models.CharField(
        _("social status"), max_length=20, choices=SocialStatus.choices, default=SocialStatus.YOUTH
    )
    track = models.ForeignKey(
        "birgemiz.Track", on_delete=models.PROTECT, related_name="applications", verbose_name=_("track")
    )
    subjects = models.CharField(_("subjects"), max_length=300, blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    consent = models.BooleanField(_("consent to personal data processing"), default=False)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decided_at = models.ForeignKey(
        CouncilMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_applications",
        verbose_name=_("decided at meeting"),
    )
    volunteer = models.OneToOneField(
        Volunteer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("volunteer"),
    )

    class Meta:
        verbose_name = _("volunteer application")
        verbose_name_plural = _("volunteer applications")
        ordering = ["program", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "email"], name="volunteers_application_unique_email"),
            models.CheckConstraint(condition=Q(consent=True), name="volunteers_application_has_consent"),
        ]
        # The applications register matches by IIN first (then by e-mail, unique above).
        indexes = [models.Index(fields=["program", "iin"], name="volunteers_application_iin")]

    def __str__(self):
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


class ApplicationScore(TimeStamped):
    application = models.ForeignKey(
        VolunteerApplication, on_delete=models.CASCADE, related_name="scores", verbose_name=_("application")
    )
    member = models.ForeignKey(
        CouncilMember, on_delete=models.CASCADE, related_name="scores", verbose_name=_("council member")
    )
    criterion = models.ForeignKey(
        SelectionCriterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 to 5.")
    )

    class Meta:
        verbose_name = _("application score")
        verbose_name_plural = _("application scores")
        ordering = ["application", "member", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member", "criterion"], name="volunteers_score_unique"
            ),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="volunteers_score_1_5"),
        ]

    def __str__(self):
        return f"{self.application} / {self.member}: {self.score}"


class Trainer(TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="trainers", verbose_name=_("programme")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    workplace_position = models.CharField(_("workplace and position"), max_length=400, blank=True)
    tracks = models.ManyToManyField(
        "birgemiz.Track", blank=True, related_name="trainers", verbose_name=_("tracks")
    )

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        ordering = ["program", "id"]

    def __str__(self):
        return self.full_name


class TrainingEvent(TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("programme")
    )
    track = models.ForeignKey(
        "birgemiz.Track",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
        verbose_name=_("track"),
        help_text=_("Empty for a training common to every track."),
    )
    trainer = models.ForeignKey(
        Trainer, on_delete=models.PROTECT, related_name="events", verbose_name=_("trainer")
    )
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    platform = models.CharField(_("platform"), max_length=100, blank=True)
    pre_test_url = models.URLField(
        _("pre-test link"),
        max_length=500,
        blank=True,
        help_text=_("Online test the volunteers take before the training."),
    )
    post_test_url = models.URLField(
        _("post-test link"),
        max_length=500,
        blank=True,
        help_text=_("Online test the volunteers take after the training."),
    )
    attendees = models.ManyToManyField(
        Volunteer, blank=True, related_name="trainings", verbose_name=_("attended")
    )

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["program", "date", "id"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.title}"


class Award(TimeStamped):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="awards", verbose_name=_("programme")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="awards", verbose_name=_("volunteer")
    )
    title = models.CharField(_("title"), max_length=300)
    awarded_on = models.DateField(_("awarded on"))
    meeting = models.ForeignKey(
        CouncilMeeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("decided at meeting"),
    )
    certificate_code = models.CharField(_("certificate code"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["program", "awarded_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "volunteer", "title"], name="volunteers_award_unique")
        ]

    def __str__(self):
        return f"{self.volunteer}: {self.title}"


audited("program_id")(Volunteer)


class Certificate(TimeStamped):
    """A certificate (training completed, or an award) with an unguessable public code."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("training completed")
        AWARD = "award", _("award")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("programme")
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("volunteer")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    award = models.OneToOneField(
        Award,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate",
        verbose_name=_("award"),
    )
    code = models.CharField(
        pgettext_lazy("identifier", "code"),
        max_length=40,
        unique=True,
        help_text=_("Public verification code: /verify/CODE/"),
    )
    language = models.CharField(_("language"), max_length=2, choices=Lang.choices, default=Lang.KK)
    issued_on = models.DateField(_("issued on"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["program", "-issued_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "kind"],
                condition=Q(kind="training"),
                name="volunteers_certificate_one_training_per_volunteer",
            ),
            models.CheckConstraint(
                condition=(Q(kind="award") & Q(award__isnull=False))
                | (Q(kind="training") & Q(award__isnull=True)),
                name="volunteers_certificate_award_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.volunteer} ({self.get_kind_display()})"


def hash_token(raw):
    """What is stored of a link's secret: its SHA-256. The raw value exists only in the
    link given to the person (and on the page that showed it once)."""
    return hashlib.sha256((raw or "").encode()).hexdigest()


class ActivationToken(TimeStamped):
    """A one-time, expiring link that lets a selected volunteer set the password of
    their new account. Only the hash of its secret is stored; once issued nothing of it
    can be changed (a wrong one is revoked and a new one issued)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activation_tokens",
        verbose_name=_("user account"),
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="activation_tokens", verbose_name=_("volunteer")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("activation link")
        verbose_name_plural = _("activation links")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.volunteer} ({self.expires_at:%d.%m.%Y})"

    def is_usable(self, now=None):
        from django.utils import timezone

        return self.used_at is None and self.expires_at > (now or timezone.now())

    @classmethod
    def find(cls, raw):
        """The link whose secret is `raw`, or None."""
        if not raw or len(raw) > 100:
            return None
        return cls.objects.select_related("user", "volunteer").filter(token_hash=hash_token(raw)).first()
