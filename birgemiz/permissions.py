"""Keep each role group's model permissions in step with the installed models.

Runs after every migrate: coordinators may add, change, delete and view the
programme's records (the audit trail is read-only for everyone); grant officers
may only view; volunteers and council members have no admin permissions.
"""

from django.contrib.auth.models import Group, Permission

from . import roles

PROGRAMME_APPS = ("birgemiz", "registers", "courses", "volunteers", "assessments", "surveys", "reporting")
READ_ONLY_MODELS = {"auditentry"}


def sync_role_permissions(**kwargs):
    perms = Permission.objects.filter(content_type__app_label__in=PROGRAMME_APPS).select_related(
        "content_type"
    )
    coordinator, officer = [], []
    for perm in perms:
        action = perm.codename.split("_", 1)[0]
        if action == "view":
            coordinator.append(perm)
            officer.append(perm)
        elif perm.content_type.model not in READ_ONLY_MODELS:
            coordinator.append(perm)
    for name, wanted in ((roles.COORDINATOR, coordinator), (roles.OFFICER, officer)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(wanted)
    for name in (roles.VOLUNTEER, roles.COUNCIL):
        Group.objects.get_or_create(name=name)[0].permissions.clear()
