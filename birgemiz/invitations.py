"""Invitations: the service behind every account but the first operator's.

Who may invite whom:
- the operator (or a superuser): coordinators of any grantee organisation, grant officers
  and other operators;
- a coordinator: coordinators of their own organisation, and the council members and
  volunteers of their own programmes.

An invitation is one-time and expires after `INVITATION_DAYS`; only the hash of its
secret is stored. A later invitation to the same person for the same place replaces an
earlier unused one. The letter goes through Django's e-mail framework (the project's
queued backend: the worker delivers it). Accepting creates the account (or, for a
volunteer chosen by the council, opens the account made for them), puts it in the
role's group and ties it to its organisation or record.

Roles tied to records of other apps (a volunteer, a council seat) are registered by
those apps with `register_role`, so the core imports none of them.
"""

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import access, roles
from .models import Invitation
from .models.invitations import hash_secret
from .services import clean_and_save, require

INVITATION_DAYS = 7
STAFF_ROLES = {Invitation.Role.COORDINATOR, Invitation.Role.OFFICER, Invitation.Role.OPERATOR}


@dataclass
class RoleHooks:
    # Finds the record the account will be tied to; sets invitation.subject_id or raises
    # ValidationError naming what to do first.
    check: Callable
    # The account made for the person already (a selected volunteer's), or None.
    account: Callable
    # Ties the new account to its record.
    link: Callable


_HOOKS = {}


def register_role(role, *, check, account, link):
    _HOOKS[role] = RoleHooks(check=check, account=account, link=link)


def roles_for(user):
    """The roles `user` may invite people to."""
    if not user.is_authenticated:
        return []
    if user.is_superuser or roles.is_operator(user):
        return [Invitation.Role.COORDINATOR, Invitation.Role.OFFICER, Invitation.Role.OPERATOR]
    if roles.is_coordinator(user):
        return [Invitation.Role.COORDINATOR, Invitation.Role.COUNCIL, Invitation.Role.VOLUNTEER]
    return []


def may_invite(user, *, role, organization=None, program=None):
    if role not in roles_for(user):
        return False
    if user.is_superuser or roles.is_operator(user):
        return True
    if role == Invitation.Role.COORDINATOR:
        return organization is not None and user.organizations.filter(pk=organization.pk).exists()
    return program is not None and access.can_edit(user, program)


def check(invitation, user):
    role = invitation.role
    require(bool(invitation.email), "email", _("Type the person's e-mail address."))
    if role == Invitation.Role.COORDINATOR:
        require(
            invitation.organization_id is not None,
            "organization",
            _("Choose the organisation the coordinator will work for."),
        )
    if role in (Invitation.Role.COUNCIL, Invitation.Role.VOLUNTEER):
        require(invitation.program_id is not None, "program", _("Choose the programme."))
        invitation.organization = invitation.program.organization
    elif role != Invitation.Role.COORDINATOR:
        invitation.organization = invitation.program = None
    require(
        may_invite(user, role=role, organization=invitation.organization, program=invitation.program),
        "role",
        _("You may not invite people to this role or place."),
        code="forbidden",
    )
    hooks = _HOOKS.get(role)
    if hooks is not None:
        hooks.check(invitation)


def invitation_send(
    *,
    invited_by,
    role,
    email,
    base_url,
    organization=None,
    program=None,
    full_name="",
    language="kk",
    subject_id=None,
    now=None,
):
    """Create an invitation and send its letter; return it with the secret as `.secret`
    (for the one page that may show the link, e.g. when e-mail is not set up)."""
    now = now or timezone.now()
    invitation = Invitation(
        email=email.strip().lower(),
        full_name=full_name.strip(),
        role=role,
        organization=organization,
        program=program,
        language=language,
        subject_id=subject_id,
        invited_by=invited_by if getattr(invited_by, "pk", None) else None,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    secret = secrets.token_urlsafe(32)
    invitation.token_hash = hash_secret(secret)
    with transaction.atomic():
        if invited_by is not None:
            check(invitation, invited_by)
        _earlier(invitation).filter(expires_at__gt=now).update(revoked_at=now)
        clean_and_save(invitation)
        link = base_url.rstrip("/") + reverse("invitation", args=[secret])
        # The letter is a queued job: written in this transaction, it goes or stays with it.
        _send_letter(invitation, link)
    invitation.secret = secret
    invitation.link = link
    return invitation


def _earlier(invitation):
    return Invitation.objects.filter(
        email=invitation.email,
        role=invitation.role,
        organization=invitation.organization,
        program=invitation.program,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )


def _send_letter(invitation, link):
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "link": link,
            "days": INVITATION_DAYS,
            "role": invitation.get_role_display(),
            "place": invitation.program or invitation.organization or "",
        }
        subject = _("Birgemiz: you are invited as %(role)s") % {"role": context["role"]}
        body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [invitation.email])


def invitation_revoke(*, invitation, now=None):
    now = now or timezone.now()
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = now
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_resend(*, invitation, invited_by, base_url):
    """A new link for the same person and place; the old one stops working."""
    return invitation_send(
        invited_by=invited_by,
        role=invitation.role,
        email=invitation.email,
        base_url=base_url,
        organization=invitation.organization,
        program=invitation.program,
        full_name=invitation.full_name,
        language=invitation.language,
        subject_id=invitation.subject_id,
    )


def existing_account(invitation):
    """An account with the invitation's e-mail that has a password: its owner accepts by
    logging in, not by making a second account."""
    User = get_user_model()
    for user in User.objects.filter(email__iexact=invitation.email, is_active=True).order_by("pk"):
        if user.has_usable_password():
            return user
    return None


def username_for(email):
    """A free username made of the e-mail (the one place accounts get their names)."""
    User = get_user_model()
    base = email.lower()[:140]
    name, n = base, 1
    while User.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def invitation_accept(*, invitation, password=None, user=None, now=None):
    """Accept: with `password`, for a new account (or the one made for a selected
    volunteer); with `user`, for the logged-in owner of an account with this e-mail."""
    now = now or timezone.now()
    User = get_user_model()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization", "program")
            .get(pk=invitation.pk)
        )
        require(
            invitation.is_usable(now),
            "token",
            _("This invitation has expired or was already used."),
            code="used",
        )
        hooks = _HOOKS.get(invitation.role)
        if user is None:
            user = hooks.account(invitation) if hooks else None
            if user is None:
                user = User(username=username_for(invitation.email), email=invitation.email)
            require(password is not None, "password", _("Choose a password."))
            user.set_password(password)
        else:
            require(
                user.email.lower() == invitation.email,
                "token",
                _("This invitation is for another e-mail address."),
                code="other",
            )
        names = invitation.full_name.split()
        if names and not (user.first_name or user.last_name):
            user.last_name, user.first_name = names[0], " ".join(names[1:])
        user.is_active = True
        if invitation.role in STAFF_ROLES:
            user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get_or_create(name=invitation.role)[0])
        if invitation.role == Invitation.Role.COORDINATOR:
            invitation.organization.members.add(user)
        if hooks is not None:
            hooks.link(invitation, user)
        invitation.accepted_at = now
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
    return user


def home_for(invitation):
    """Where the new account goes first."""
    return {
        Invitation.Role.VOLUNTEER: "/portal/",
        Invitation.Role.COUNCIL: "/council/",
        Invitation.Role.OFFICER: "/dashboard/",
    }.get(invitation.role, "/admin/")
