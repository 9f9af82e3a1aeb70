"""Scope: every query starts from what the user may see.

`programs_for(user)` is the root of every coordinator/officer lookup;
`program_for(user, code)` fetches one programme through it (404 outside).
`manageable_users(editor)` is the root of every field that points at an account.
What each role may request, view by view, is the table in `access_table.py`.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from . import roles
from .models import Organization, Program


def programs_for(user):
    """Programmes the user may read: all for superusers and officers, their
    organisation's for coordinators, their own for volunteers and council members."""
    if not user.is_authenticated:
        return Program.objects.none()
    if roles.reads_every_programme(user):
        return Program.objects.all()
    if roles.is_coordinator(user):
        return Program.objects.filter(organization__members=user)
    if roles.is_volunteer(user):
        return Program.objects.filter(volunteers__user=user)
    if roles.is_council(user):
        return Program.objects.filter(council__user=user).distinct()
    return Program.objects.none()


def editable_programs_for(user):
    """Programmes the user may change: superusers' all, coordinators' own organisation's."""
    if not user.is_authenticated:
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    if roles.is_coordinator(user):
        return Program.objects.filter(organization__members=user)
    return Program.objects.none()


def program_for(user, code, write=False):
    """One programme by code through the user's scope: 404 outside it, 403 when the
    user can read it but asked to write."""
    try:
        program = programs_for(user).get(code=code)
    except Program.DoesNotExist:
        raise Http404("No such programme") from None
    if write and not editable_programs_for(user).filter(pk=program.pk).exists():
        raise PermissionDenied
    return program


def can_edit(user, program):
    return editable_programs_for(user).filter(pk=program.pk).exists()


def is_staff_reader(user):
    """Coordinators (and superusers) manage programmes, grant officers and the operator read them."""
    return user.is_authenticated and (
        roles.is_coordinator(user) or roles.is_officer(user) or roles.is_operator(user)
    )


def may_download_evidence(user):
    """Evidence files (participant lists, letters, photos) are for the staff who keep or
    check the programme: coordinators, officers, the operator. Volunteers and council
    members see no evidence, whatever their programme."""
    return is_staff_reader(user)


def may_export_rows(user):
    """Row-by-row exports carry IINs, phones and minors' birth dates: only those who
    keep the data (coordinators, superusers) take them. Officers and the operator read
    the pages and download reports and aggregates."""
    return user.is_authenticated and (user.is_superuser or (
        roles.is_coordinator(user) and not roles.only_reads(user)
    ))


# ---------------------------------------------------------------- accounts


def manageable_users(editor):
    """The accounts `editor` may point a record at (Volunteer.user, CouncilMember.user,
    Organization.members, any other user field of the admin).

    - a superuser: every account;
    - the operator: accounts that coordinate, or may coordinate, an organisation (the
      coordinator group), never superusers, officers or operators;
    - a coordinator: accounts tied to their organisation's programmes (its coordinators,
      its programmes' volunteers and council members), never superusers, officers,
      operators or accounts that belong to another organisation's staff;
    - anyone else: none.
    """
    users = get_user_model()._default_manager.all()
    if not editor.is_authenticated:
        return users.none()
    if editor.is_superuser:
        return users
    privileged = users.filter(
        Q(is_superuser=True) | Q(groups__name__in=(roles.OFFICER, roles.OPERATOR))
    ).values("pk")
    if roles.is_operator(editor):
        return users.filter(groups__name=roles.COORDINATOR).exclude(pk__in=privileged).distinct()
    if not roles.is_coordinator(editor) or roles.only_reads(editor):
        return users.none()
    own_orgs = Organization.objects.filter(members=editor).values("pk")
    tied = users.filter(
        Q(organizations__in=own_orgs)
        | Q(volunteer__program__organization__in=own_orgs)
        | Q(council_seats__program__organization__in=own_orgs)
    ).values("pk")
    foreign_staff = (
        Organization.members.through.objects.exclude(organization__in=own_orgs).values("user_id")
    )
    return users.filter(pk__in=tied).exclude(pk__in=privileged).exclude(pk__in=foreign_staff)


def may_see_account_links(user, program):
    """Activation (and invitation) links open an account: only those who may write the
    programme see or make them."""
    return can_edit(user, program)


def staff_program(request, code, write=False):
    """The programme by code for the staff pages: a coordinator of its organisation
    (write) or a grant officer (read). Volunteers and council members belong to a
    programme too, but these pages are not theirs: 404, as outside the scope."""
    if not is_staff_reader(request.user):
        raise Http404("No such programme")
    return program_for(request.user, code, write=write)
