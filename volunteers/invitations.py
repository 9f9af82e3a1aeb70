"""The two invited roles tied to this app's records: a volunteer (by the e-mail of their
volunteer record) and a council member (a seat of the programme's council, made when the
coordinator invites someone not yet on it)."""

from django.utils.translation import gettext as _

from birgemiz.invitations import register_role
from birgemiz.models import Invitation
from birgemiz.services import require

from .models import CouncilMember, Volunteer


def _volunteer(invitation):
    qs = Volunteer.objects.filter(program=invitation.program)
    if invitation.subject_id:
        return qs.filter(pk=invitation.subject_id).first()
    return qs.filter(email__iexact=invitation.email).order_by("pk").first()


def volunteer_check(invitation):
    volunteer = _volunteer(invitation)
    require(
        volunteer is not None,
        "email",
        _(
            "No volunteer of this programme has this e-mail. Add the volunteer (or import the "
            "volunteers register) with this e-mail first, then invite them."
        ),
        code="no_volunteer",
    )
    require(
        volunteer.user_id is None or not volunteer.user.has_usable_password(),
        "email",
        _("This volunteer already has an account with a password."),
        code="has_account",
    )
    invitation.subject_id = volunteer.pk


def volunteer_account(invitation):
    volunteer = _volunteer(invitation)
    user = volunteer.user if volunteer else None
    if user is not None and not (user.is_staff or user.is_superuser) and not user.has_usable_password():
        return user
    return None


def volunteer_link(invitation, user):
    volunteer = _volunteer(invitation)
    require(
        volunteer is not None, "token", _("The volunteer record of this invitation is gone."), code="gone"
    )
    if volunteer.user_id != user.pk:
        volunteer.user = user
        volunteer.save(update_fields=["user", "updated_at"])


def council_check(invitation):
    if invitation.subject_id:
        seat = CouncilMember.objects.filter(program=invitation.program, pk=invitation.subject_id).first()
        require(seat is not None, "full_name", _("This council seat is not in the programme."))
        return
    require(
        bool(invitation.full_name),
        "full_name",
        _("Type the council member's full name, as the report will print it."),
        code="no_name",
    )
    seat = (
        CouncilMember.objects.filter(
            program=invitation.program, user__isnull=True, full_name__iexact=invitation.full_name
        )
        .order_by("pk")
        .first()
    )
    if seat is not None:
        invitation.subject_id = seat.pk


def council_link(invitation, user):
    seat = None
    if invitation.subject_id:
        seat = CouncilMember.objects.filter(pk=invitation.subject_id, program=invitation.program).first()
    if seat is None:
        seat = CouncilMember(
            program=invitation.program, full_name=invitation.full_name or user.get_full_name()
        )
    seat.user = user
    seat.save()


def register():
    register_role(
        Invitation.Role.VOLUNTEER, check=volunteer_check, account=volunteer_account, link=volunteer_link
    )
    register_role(
        Invitation.Role.COUNCIL, check=council_check, account=lambda invitation: None, link=council_link
    )
