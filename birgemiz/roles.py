"""Roles are auth groups (created by migrations) plus the records that tie a user to
a programme: organisation membership for coordinators, `Volunteer.user` for
volunteers, `CouncilMember.user` for council members.

- coordinator (group `coordinator` + `Organization.members`): reads and writes their
  organisation's programmes;
- volunteer (`volunteer` + `Volunteer.user`): their own groups, students, lessons,
  attendance and scores;
- council member (`council` + `CouncilMember.user`): the applications of their seats'
  programmes and the scores; writes their own scores;
- grant officer (`officer`): reads every programme (pages, reports, aggregates), writes
  nothing;
- operator (`operator`): reads every programme like an officer; writes the shared
  reference data, organisations and their coordinators, the two-factor policy;
- superuser (`is_superuser`): everything.

The operator is the grant operator's staff administrator, not a superuser: they change
regions, districts and schools (and approve the schools coordinators propose),
organisations and who coordinates them (only accounts that may coordinate:
`birgemiz.access.manageable_users`), and whether staff must use two-factor
authentication (`birgemiz.models.SecurityPolicy`); they never change a programme's
records, user accounts, passwords or groups, and like an officer they export only
aggregates. A user becomes an operator by being put in the `operator` group (by a
superuser, or later by an invitation that does the same).

What each role may request is listed, view by view, in `birgemiz/access_table.py`.
"""

COORDINATOR = "coordinator"
VOLUNTEER = "volunteer"
COUNCIL = "council"
OFFICER = "officer"
OPERATOR = "operator"
ALL_ROLES = (COORDINATOR, VOLUNTEER, COUNCIL, OFFICER, OPERATOR)
# Roles that work in the back office and may (or must) use two-factor authentication.
STAFF_ROLES = (COORDINATOR, OFFICER, OPERATOR)


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


def is_operator(user):
    return user.is_authenticated and OPERATOR in role_names(user)


def is_volunteer(user):
    return user.is_authenticated and VOLUNTEER in role_names(user)


def is_council(user):
    return user.is_authenticated and COUNCIL in role_names(user)


def reads_every_programme(user):
    """Superusers, grant officers and the operator see every programme."""
    return user.is_authenticated and (user.is_superuser or is_officer(user) or is_operator(user))


def only_reads(user):
    """Officers and operators read programmes and change none of their records."""
    return user.is_authenticated and not user.is_superuser and (is_officer(user) or is_operator(user))


def manages_reference_data(user):
    """Only the operator (and superusers) change regions, districts and schools."""
    return user.is_authenticated and (user.is_superuser or is_operator(user))


def is_staff_member(user):
    """Back-office accounts: coordinators, officers, the operator, superusers."""
    return user.is_authenticated and (
        user.is_superuser or bool(role_names(user) & set(STAFF_ROLES))
    )
