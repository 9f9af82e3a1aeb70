"""The audit trail: who changed what, for the records that money and grades depend on.

Audited models are registered with `audited(program_path)`; their saves and deletes
are written to `AuditEntry` by signals, so the admin, the portal, the importer and
the shell all leave a trace. The acting user comes from the request (middleware)
or from `acting_as(user, source)` for commands and background work.

Bulk writes (`bulk_create`, `QuerySet.update`) bypass signals; services that use
them call `record_bulk` themselves.
"""

import contextlib
import contextvars
import datetime
import decimal

from django.db.models.signals import post_delete, post_save, pre_save

_actor = contextvars.ContextVar("birgemiz_audit_actor", default=(None, ""))
# Inside `batched()`: the entries the signals would write, kept for one bulk insert.
_batch = contextvars.ContextVar("birgemiz_audit_batch", default=None)
AUDITED = {}


@contextlib.contextmanager
def batched():
    """Entries written by signals inside the block go to the database in one insert at
    its end (a service deleting many rows stays at a fixed number of queries)."""
    from .models import AuditEntry

    entries = []
    token = _batch.set(entries)
    try:
        yield
    finally:
        _batch.reset(token)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def current_actor():
    return _actor.get()


@contextlib.contextmanager
def acting_as(user, source):
    token = _actor.set((user, source))
    try:
        yield
    finally:
        _actor.reset(token)


class CurrentUserMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        source = "admin" if request.path.startswith("/admin/") else "web"
        token = _actor.set((user, source))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def _stored(field, value):
    # A typed "47.5" is stored as 47.50: compare and record what the database holds,
    # or every save of an unchanged decimal would look like a change.
    places = getattr(field, "decimal_places", None)
    if places is not None and isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            value = decimal.Decimal(str(value))
        except decimal.InvalidOperation:
            return value
    if isinstance(value, decimal.Decimal) and places is not None:
        try:
            return value.quantize(decimal.Decimal(1).scaleb(-places))
        except decimal.InvalidOperation:
            return value
    return value


_SNAPSHOTS = {}
_SIMPLE = (str, int, bool, type(None))


def snapshotter(model):
    """A function giving `snapshot(record)` for records of `model`, faster: the fields
    looked up once, only the non-plain values (dates, decimals) converted."""
    if model not in _SNAPSHOTS:
        fields = [
            (f.attname, f if getattr(f, "decimal_places", None) is not None else None)
            for f in model._meta.concrete_fields
            if f.attname not in ("created_at", "updated_at")
        ]

        def snap(obj):
            values = {}
            for attname, decimal_field in fields:
                value = getattr(obj, attname)
                if decimal_field is not None:
                    value = _stored(decimal_field, value)
                values[attname] = value if type(value) in _SIMPLE else _plain(value)
            return values

        _SNAPSHOTS[model] = snap
    return _SNAPSHOTS[model]


def snapshot(instance):
    """The record's stored values (not its created/updated times), as the trail keeps them."""
    return snapshotter(type(instance))(instance)


def _program_id(instance, path):
    obj = instance
    for part in path.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj if isinstance(obj, int) else getattr(obj, "pk", None)


def _write(instance, action, changes):
    from .models import AuditEntry

    user, source = current_actor()
    path = AUDITED[type(instance)]
    entry = AuditEntry(
        user=user,
        program_id=_program_id(instance, path),
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
        source=source or "shell",
    )
    batch = _batch.get()
    if batch is not None:
        batch.append(entry)
    else:
        entry.save()


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    before = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(before) if before else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _write(instance, "create", {k: [None, v] for k, v in after.items() if v not in (None, "")})
        return
    diff = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if diff:
        _write(instance, "update", diff)


def _post_delete(sender, instance, **kwargs):
    # Keep what was deleted: the row itself is gone, the trail is all that is left.
    _write(instance, "delete", {k: [v, None] for k, v in snapshot(instance).items() if v not in (None, "")})


def audited(program_path):
    """Class decorator: audit saves and deletes; `program_path` reaches the programme id."""

    def register(model):
        AUDITED[model] = program_path
        pre_save.connect(_pre_save, sender=model, dispatch_uid=f"audit-pre-{model.__name__}")
        post_save.connect(_post_save, sender=model, dispatch_uid=f"audit-post-{model.__name__}")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=f"audit-del-{model.__name__}")
        return model

    return register


def record_bulk(model, program_id, action, objects, note="", changes=None):
    """One audit entry per object for writes that skip signals (bulk_create, update).

    `changes`, when given, is one dict per object (in the signals' shape: a create lists
    {field: [None, value]}, an update {field: [before, after]}); otherwise each entry holds
    the note, or the object's values."""
    from .models import AuditEntry

    objects = list(objects)
    if changes is None:
        changes = [{"note": note} if note else snapshot(obj) for obj in objects]
    user, source = current_actor()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                user=user,
                program_id=program_id,
                action=action,
                model=model._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                changes=change,
                source=source or "shell",
            )
            for obj, change in zip(objects, changes, strict=True)
        ],
        batch_size=1000,
    )


def record_deleted_rows(model, program_id, rows):
    """One delete entry per row for deletes that skip signals; `rows` are dicts of the
    row's values (attnames) with its "pk", as `QuerySet.values()` gives them."""
    from .models import AuditEntry

    user, source = current_actor()
    label = model._meta.label_lower
    name = model._meta.verbose_name
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                user=user,
                program_id=program_id,
                action=AuditEntry.Action.DELETE,
                model=label,
                object_id=str(row["pk"]),
                object_repr=f"{name} {row['pk']}"[:300],
                changes={k: [_plain(v), None] for k, v in row.items() if k != "pk" and v not in (None, "")},
                source=source or "shell",
            )
            for row in rows
        ],
        batch_size=1000,
    )
