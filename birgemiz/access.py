"""Scope: every query starts from what the user may see.

`programs_for(user)` is the root of every coordinator/officer lookup;
`program_for(user, code)` fetches one programme through it (404 outside).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import roles
from .models import Program


def programs_for(user):
    """Programmes the user may read: all for superusers and officers, their
    organisation's for coordinators, their own for volunteers and council members."""
    if not user.is_authenticated:
        return Program.objects.none()
    if user.is_superuser or roles.is_officer(user):
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
    """Coordinators (and superusers) manage programmes, grant officers read them."""
    return user.is_authenticated and (roles.is_coordinator(user) or roles.is_officer(user))


def staff_program(request, code, write=False):
    """The programme by code for the staff pages: a coordinator of its organisation
    (write) or a grant officer (read). Volunteers and council members belong to a
    programme too, but these pages are not theirs: 404, as outside the scope."""
    if not is_staff_reader(request.user):
        raise Http404("No such programme")
    return program_for(request.user, code, write=write)
