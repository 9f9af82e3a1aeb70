"""`{% blocktranslate count n=value|plural_count %}`: a number a plural form can take.

Scores can be fractional (2,5 балла): a whole number picks its own form, a fraction the
form Russian uses for fractions, which is the one of 2 («балла»); Kazakh has one form,
English says «points» for both."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def plural_count(value):
    try:
        number = Decimal(value or 0)
    except (InvalidOperation, TypeError, ValueError):
        return 0
    return int(number) if number == number.to_integral_value() else 2
