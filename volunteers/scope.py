"""Scope helpers for the coordinator pages of surveys and volunteers.

Coordinators of the organisation manage, grant officers read; volunteers and
council members never reach these pages (404, as for any programme outside scope).
"""

from django.http import Http404

from birgemiz import roles
from birgemiz.access import program_for


def is_staff_reader(user):
    return user.is_superuser or roles.is_coordinator(user) or roles.is_officer(user)


def staff_program(request, code, write=False):
    """The programme by code for a coordinator (write) or officer (read); 404 otherwise."""
    if not is_staff_reader(request.user):
        raise Http404("No such programme")
    return program_for(request.user, code, write=write)
