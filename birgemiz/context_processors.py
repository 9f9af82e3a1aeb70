from . import roles as role_checks


def roles(request):
    user = request.user
    return {
        "is_coordinator": role_checks.is_coordinator(user),
        "is_officer": role_checks.is_officer(user),
        "is_volunteer": role_checks.is_volunteer(user),
        "is_council": role_checks.is_council(user),
    }
