"""Roles are auth groups (created by a migration) plus the records that tie a user to
a programme: organisation membership for coordinators, `Volunteer.user` for
volunteers, `CouncilMember.user` for council members. Grant officers see every
programme and change nothing.
"""

COORDINATOR = "coordinator"
VOLUNTEER = "volunteer"
COUNCIL = "council"
OFFICER = "officer"
ALL_ROLES = (COORDINATOR, VOLUNTEER, COUNCIL, OFFICER)


def role_names(user):
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_birgemiz_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._birgemiz_roles = cached
    return cached


def is_coordinator(user):
    return user.is_authenticated and (user.is_superuser or COORDINATOR in role_names(user))


def is_officer(user):
    return user.is_authenticated and OFFICER in role_names(user)


def is_volunteer(user):
    return user.is_authenticated and VOLUNTEER in role_names(user)


def is_council(user):
    return user.is_authenticated and COUNCIL in role_names(user)
