"""`{% staff_programs as programs %}`: the programmes whose own pages (report, lessons,
registers…) the admin links to, for the user — real ones first, at most a screenful."""

from django import template

from birgemiz import roles
from birgemiz.access import programs_for

register = template.Library()

LIMIT = 12


@register.simple_tag(takes_context=True)
def staff_programs(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (roles.is_coordinator(user) or roles.is_officer(user) or roles.is_operator(user)):
        return []
    return list(programs_for(user).filter(is_synthetic=False).order_by("-start", "code")[:LIMIT])
