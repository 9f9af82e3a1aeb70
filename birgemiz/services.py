"""Helpers for the write path every app's services share."""

from django.core.exceptions import ValidationError


def clean_and_save(obj, *, exclude=None, update_fields=None):
    """`full_clean()` then `save()`: model validation runs for every write path."""
    obj.full_clean(exclude=exclude)
    obj.save(update_fields=update_fields)
    return obj


def require(condition, field, message, code="invalid"):
    if not condition:
        raise ValidationError({field: ValidationError(message, code=code)})
