"""Keep each role group's model permissions in step with the installed models.

Runs after every migrate: coordinators may add, change, delete and view the
programme's records (the audit trail is read-only for everyone; shared reference
data — regions, districts — and the security policy are not theirs; schools they
may add, as proposals, see `birgemiz.admin_geography`); grant officers may only view;
the operator views everything and manages the reference data, organisations and the
security policy; volunteers and council members have no admin permissions.

The permission is only the first gate: `birgemiz.admin_base` and the admins limit
every row to the programmes (or proposals) the user may change.
"""

from django.contrib.auth.models import Group, Permission

from . import roles

PROGRAMME_APPS = ("birgemiz", "registers", "courses", "volunteers", "assessments", "surveys", "reporting")
READ_ONLY_MODELS = {"auditentry"}
# Shared by every organisation: changed by the operator only (coordinators propose schools).
REFERENCE_MODELS = {"region", "district", "school"}
OPERATOR_MODELS = {
    "region": ("add", "change", "delete"),
    "district": ("add", "change", "delete"),
    "school": ("add", "change", "delete"),
    "organization": ("add", "change"),
    "securitypolicy": ("change",),
}
COORDINATOR_DENIED = {
    "region": ("add", "change", "delete"),
    "district": ("add", "change", "delete"),
    "securitypolicy": ("add", "change", "delete"),
    "organization": ("add", "delete"),
}


def _wanted(perms):
    coordinator, officer, operator = [], [], []
    for perm in perms:
        action = perm.codename.split("_", 1)[0]
        model = perm.content_type.model
        is_core = perm.content_type.app_label == "birgemiz"
        if action == "view":
            coordinator.append(perm)
            officer.append(perm)
            operator.append(perm)
            continue
        if is_core and action in OPERATOR_MODELS.get(model, ()):
            operator.append(perm)
        if model in READ_ONLY_MODELS or (is_core and action in COORDINATOR_DENIED.get(model, ())):
            continue
        coordinator.append(perm)
    return {roles.COORDINATOR: coordinator, roles.OFFICER: officer, roles.OPERATOR: operator}


def sync_role_permissions(**kwargs):
    perms = Permission.objects.filter(content_type__app_label__in=PROGRAMME_APPS).select_related(
        "content_type"
    )
    for name, wanted in _wanted(perms).items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(wanted)
    for name in (roles.VOLUNTEER, roles.COUNCIL):
        Group.objects.get_or_create(name=name)[0].permissions.clear()
