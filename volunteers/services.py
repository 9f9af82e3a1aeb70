"""The one write path for applications, council scores and decisions, volunteer
accounts and training events. Views and the admin call these; training tests,
certificates and awards read test results and live in `assessments`."""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz import roles
from birgemiz.invitations import username_for
from birgemiz.services import clean_and_save, require

from . import codes
from .models import (
    ActivationToken,
    ApplicationScore,
    Volunteer,
    VolunteerApplication,
    hash_token,
)

ACTIVATION_DAYS = 14


# ---------------------------------------------------------------- applications


def application_submit(*, program, data):
    """Save a public application. `data` holds the model fields (track, district as objects)."""
    require(
        bool(data.get("consent")),
        "consent",
        _("Consent to personal data processing is required."),
        code="consent",
    )
    email = data["email"].strip().lower()
    iin = (data.get("iin") or "").strip()
    if VolunteerApplication.objects.filter(program=program, email__iexact=email).exists() or (
        iin and VolunteerApplication.objects.filter(program=program, iin=iin).exists()
    ):
        raise ValidationError(
            _("An application with this e-mail or IIN has already been received for this programme."),
            code="duplicate",
        )
    application = VolunteerApplication(program=program, **{**data, "email": email, "iin": iin})
    try:
        with transaction.atomic():
            return clean_and_save(application)
    except IntegrityError:
        raise ValidationError(
            _("An application with this e-mail has already been received."), code="duplicate"
        ) from None


def application_scores_set(*, application, member, scores):
    """A council member's scores for one application: {criterion: 1..5} for every criterion."""
    require(
        member.program_id == application.program_id,
        "member",
        _("The council member belongs to another programme."),
    )
    require(
        application.decision
        in (VolunteerApplication.Decision.PENDING, VolunteerApplication.Decision.RESERVE),
        "application",
        _("The council has already decided on this application."),
        code="decided",
    )
    criteria = list(application.program.criteria.all())
    require(bool(criteria), "criterion", _("The programme has no selection criteria yet."))
    missing = [c for c in criteria if c not in scores]
    require(not missing, "score", _("Score every criterion."), code="incomplete")
    with transaction.atomic():
        existing = {s.criterion_id: s for s in application.scores.filter(member=member)}
        for criterion in criteria:
            row = existing.get(criterion.pk) or ApplicationScore(
                application=application, member=member, criterion=criterion
            )
            row.score = int(scores[criterion])
            clean_and_save(row)
    return application


# ---------------------------------------------------------------- meetings and decisions


def meeting_save(*, meeting, attendees=None):
    with transaction.atomic():
        clean_and_save(meeting)
        if attendees is not None:
            meeting.attendees.set(attendees)
    return meeting


def volunteer_from_application(*, application, user=None):
    """The Volunteer for a selected application, with an inactive account and an activation link.

    A link made here is left on `volunteer.issued_link` (see `activation_link_issue`):
    its secret exists nowhere else, so the caller shows it once or loses it."""
    if application.volunteer_id:
        volunteer = application.volunteer
        if volunteer.status == Volunteer.Status.WITHDRAWN:
            volunteer.status = Volunteer.Status.SELECTED
            clean_and_save(volunteer)
    else:
        volunteer = Volunteer.objects.filter(
            program=application.program, email__iexact=application.email
        ).first()
        if volunteer is None:
            volunteer = Volunteer(
                program=application.program,
                last_name=application.last_name,
                first_name=application.first_name,
                middle_name=application.middle_name,
                email=application.email,
                iin=application.iin,
                sex=application.sex,
                birth_date=application.birth_date,
                phone=application.phone,
                district=application.district,
                occupation=application.occupation,
                education=application.education,
                social_status=application.social_status,
                track=application.track,
                status=Volunteer.Status.SELECTED,
            )
            clean_and_save(volunteer)
        application.volunteer = volunteer
        application.save(update_fields=["volunteer", "updated_at"])
    if volunteer.user_id is None:
        account = get_user_model()(
            username=username_for(volunteer.email),
            email=volunteer.email,
            first_name=volunteer.first_name[:150],
            last_name=volunteer.last_name[:150],
            is_active=False,
        )
        account.set_unusable_password()
        account.save()
        account.groups.add(Group.objects.get_or_create(name=roles.VOLUNTEER)[0])
        volunteer.user = account
        volunteer.save(update_fields=["user", "updated_at"])
        volunteer.issued_link = activation_link_issue(volunteer=volunteer, created_by=user)
    return volunteer


def application_decide(*, application, decision, meeting, user=None):
    """Record the council's decision taken at `meeting`; selecting creates the volunteer
    (and, for a new account, an activation link left on `application.issued_link`)."""
    require(decision in VolunteerApplication.Decision.values, "decision", _("Unknown decision."))
    require(
        meeting is None or meeting.program_id == application.program_id,
        "meeting",
        _("The meeting belongs to another programme."),
    )
    with transaction.atomic():
        application.decision = decision
        application.decided_at = meeting if decision != VolunteerApplication.Decision.PENDING else None
        clean_and_save(application)
        if decision == VolunteerApplication.Decision.SELECTED:
            volunteer = volunteer_from_application(application=application, user=user)
            application.issued_link = getattr(volunteer, "issued_link", None)
        elif application.volunteer_id:
            volunteer = application.volunteer
            volunteer.status = Volunteer.Status.WITHDRAWN
            volunteer.save(update_fields=["status", "updated_at"])
            activation_links_revoke(volunteer=volunteer)
    return application


# ---------------------------------------------------------------- accounts


def activation_link_issue(*, volunteer, created_by=None, now=None):
    """A new one-time link for the volunteer's own account, not yet activated; earlier
    unused links stop working.

    Only the hash of the secret is stored; the returned token carries the secret as
    `token.secret` for the one page that shows it.
    The account is always the volunteer's own and never a staff or superuser account,
    so a link can only ever open the account it was made for."""
    now = now or timezone.now()
    require(volunteer.user_id is not None, "user", _("The volunteer has no account."))
    account = volunteer.user
    require(
        not (account.is_staff or account.is_superuser),
        "user",
        _("Activation links are only for volunteers' own accounts."),
        code="staff",
    )
    require(
        not account.has_usable_password(),
        "user",
        _("The account has already been activated."),
        code="activated",
    )
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        ActivationToken.objects.filter(volunteer=volunteer, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        token = ActivationToken(
            user=account,
            volunteer=volunteer,
            token_hash=hash_token(secret),
            expires_at=now + datetime.timedelta(days=ACTIVATION_DAYS),
            created_by=created_by,
        )
        clean_and_save(token)
    token.secret = secret
    return token


def activation_links_revoke(*, volunteer, now=None):
    """Every unused link of the volunteer stops working."""
    now = now or timezone.now()
    return ActivationToken.objects.filter(
        volunteer=volunteer, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now, updated_at=now)


def account_activate(*, token, password, now=None):
    """Set the password once (validated by the caller's SetPasswordForm) and open the account."""
    now = now or timezone.now()
    with transaction.atomic():
        token = (
            ActivationToken.objects.select_for_update(of=("self",))
            .select_related("user", "volunteer")
            .get(pk=token.pk)
        )
        require(token.is_usable(now), "token", _("This link has expired or was already used."), code="used")
        user = token.user
        # The link opens only the account of its own volunteer, never a staff account.
        require(
            token.volunteer.user_id == user.pk and not (user.is_staff or user.is_superuser),
            "token",
            _("This link has expired or was already used."),
            code="used",
        )
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        token.used_at = now
        token.save(update_fields=["used_at", "updated_at"])
    return user


# ---------------------------------------------------------------- training


def training_event_save(*, event):
    with transaction.atomic():
        return clean_and_save(event)


# ---------------------------------------------------------------- certificates (issued in assessments.awards)


def new_certificate_code():
    # Short and case-free, to be typed from paper (volunteers.codes).
    return codes.new_code()
