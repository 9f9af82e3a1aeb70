"""`{{ done|over_plan:planned }}`: the hours logged past the plan (0 when within it)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def over_plan(done, planned):
    try:
        extra = Decimal(done or 0) - Decimal(planned or 0)
    except (InvalidOperation, TypeError, ValueError):
        return 0
    return extra if planned and extra > 0 else 0
