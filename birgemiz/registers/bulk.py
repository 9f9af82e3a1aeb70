"""The batched import path of a register: validate a thousand rows, then write them in bulk.

django-import-export's row-by-row path costs, for every row, a lookup query per natural
key, `full_clean()` twice (once to validate, once more in the service's save), each time
with the unique checks as queries, a save and an audit insert. `BulkImportMixin` keeps
the same rules and the same report but does, per thousand rows:

- every cell cleaned by the register's own widgets (the foreign keys by the lookups,
  which read schools, districts, tracks and groups once per file);
- the existing records of the chunk's natural keys read with one query per key
  (`key_queryset` repeats a partial unique index's condition, so the database can use it);
- `full_clean()` once per row, without the unique/constraint queries: uniqueness is
  checked against those dictionaries and against the rows seen so far in the file;
- `bulk_create` / `bulk_update`, and one audit entry per written row through
  `audit.record_bulk`, shaped as the signals write them (a create lists its values, an
  update its changes).

All or nothing stays the engine's: once any row is bad nothing more is written and the
caller's transaction is rolled back; a dry run writes nothing (and so takes no write lock).
Natural keys are single fields here (IIN, code).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz.audit import record_bulk, snapshot

from .engine import duplicate_message
from .widgets import LookupWidget, norm

CHUNK = 1000


class BulkImportMixin:
    """Mix into a `RegisterResource` (before it) whose `natural_keys` are single fields."""

    chunk_size = CHUNK

    def import_rows(self, rows, report, columns, dry_run=False, progress=None):
        state = {"seen": {}, "claimed": {}, "processed": 0}
        chunk = []
        for item in rows:
            chunk.append(item)
            if len(chunk) >= self.chunk_size:
                self._bulk_chunk(chunk, report, columns, state, dry_run)
                chunk = []
                if progress is not None:
                    progress(state["processed"])
        if chunk:
            self._bulk_chunk(chunk, report, columns, state, dry_run)
            if progress is not None:
                progress(state["processed"])

    # ------------------------------------------------------------ one chunk

    def _bulk_fields(self, row):
        return [
            (key, field)
            for key, field in self.fields.items()
            if key in row and field.attribute and not field.readonly and "__" not in field.attribute
        ]

    def _bulk_clean(self, row):
        values, errors = {}, {}
        for key, field in self._bulk_fields(row):
            try:
                values[field.attribute] = field.clean(row)
            except (ValueError, ValidationError) as exc:
                message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                errors[key] = [message]
        return values, errors

    def _bulk_existing(self, cleaned):
        """{key field: {value: record}} for the chunk's natural-key values."""
        found = {}
        for (name,) in self.natural_keys:
            attribute = self.fields[name].attribute
            wanted = {v[attribute] for _n, v, _e in cleaned if v.get(attribute) not in (None, "")}
            qs = self.key_queryset((name,))
            records = qs.filter(**{f"{attribute}__in": wanted}) if wanted else ()
            found[name] = {getattr(r, attribute): r for r in records}
        return found

    def _bulk_match(self, values, existing):
        """The stored record the row's natural keys name, or a ValidationError."""
        found, found_by = None, None
        for (name,) in self.natural_keys:
            value = values.get(self.fields[name].attribute)
            match = existing[name].get(value) if value not in (None, "") else None
            if match is None:
                continue
            if found is not None and match.pk != found.pk:
                raise ValidationError(
                    {
                        name: _("This value belongs to «%(other)s», but %(column)s belongs to «%(this)s».")
                        % {"other": match, "column": self.label(found_by), "this": found}
                    }
                )
            found, found_by = match, name
        return found

    def _bulk_row(self, number, values, errors, existing, state):
        """(instance, original or None, errors) for one cleaned row."""
        try:
            original = self._bulk_match(values, existing)
        except ValidationError as exc:
            return None, None, exc.update_error_dict(errors)
        instance = _copy(original) if original is not None else self.init_instance()
        for attribute, value in values.items():
            setattr(instance, attribute, value)
        lookups = [
            f.attribute for f in self.fields.values() if isinstance(f.widget, LookupWidget) and f.attribute
        ]
        try:
            # The foreign keys came from the lookups; uniqueness is checked below, without queries.
            instance.full_clean(
                exclude=list(errors) + lookups + ["program"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            self.check_rules(instance)
        except ValidationError as exc:
            for key, messages in exc.update_error_dict({}).items():
                errors.setdefault(key, []).extend(messages)
        first = self._bulk_duplicate(number, instance, original, state)
        if first is not None:
            errors = {NON_FIELD_ERRORS: [duplicate_message(first)]}
        return instance, original, errors

    def _bulk_duplicate(self, number, instance, original, state):
        """The earlier row of the file this one repeats (same key or same stored record)."""
        keys = []
        for (name,) in self.natural_keys:
            value = getattr(instance, self.fields[name].attribute)
            if value not in (None, ""):
                keys.append((name, norm(value) if isinstance(value, str) else value))
        for key in keys:
            if key in state["seen"]:
                return state["seen"][key]
        if original is not None and original.pk in state["claimed"]:
            return state["claimed"][original.pk]
        for key in keys:
            state["seen"][key] = number
        if original is not None:
            state["claimed"][original.pk] = number
        return None

    def _bulk_chunk(self, chunk, report, columns, state, dry_run):
        cleaned = []
        for number, row in chunk:
            state["processed"] += 1
            values, errors = self._bulk_clean(row)
            cleaned.append((number, values, errors))
        existing = self._bulk_existing(cleaned)
        created, updated = [], []
        for number, values, errors in cleaned:
            instance, original, errors = self._bulk_row(number, values, errors, existing, state)
            if errors:
                for key, messages in errors.items():
                    column = columns.display(self, self.column_for_error(key))
                    for message in messages:
                        report.add_error(number, column, message)
                continue
            if original is None:
                report.new += 1
                created.append(instance)
                continue
            before, after = snapshot(original), snapshot(instance)
            changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
            if not changes:
                report.unchanged += 1
                continue
            report.updated += 1
            updated.append((instance, changes))
        if dry_run or not report.ok:
            return  # a preview writes nothing, and nothing more is written once a row is bad
        try:
            with transaction.atomic():
                self.bulk_write(created, updated)
        except IntegrityError as exc:
            report.add_error(0, "", _("Could not be saved: %(reason)s") % {"reason": exc})

    # ------------------------------------------------------------ the write

    def bulk_write(self, created, updated):
        """Insert `created`, update `updated` [(instance, {field: [before, after]})], audit both."""
        model = self._meta.model
        program_id = self.program.pk if self.program is not None else None
        if created:
            model.objects.bulk_create(created, batch_size=self.chunk_size)
            record_bulk(
                model,
                program_id,
                "create",
                created,
                changes=[
                    {k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")} for obj in created
                ],
            )
        if updated:
            now = timezone.now()
            by_fields = {}
            for instance, changes in updated:
                if hasattr(instance, "updated_at"):
                    instance.updated_at = now
                names = tuple(sorted(changes)) + (("updated_at",) if hasattr(instance, "updated_at") else ())
                by_fields.setdefault(names, []).append(instance)
            for names, objects in by_fields.items():
                model.objects.bulk_update(
                    objects, [_field_name(model, n) for n in names], batch_size=self.chunk_size
                )
            record_bulk(
                model, program_id, "update", [i for i, _c in updated], changes=[c for _i, c in updated]
            )


def _field_name(model, attname):
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    return attname


def _copy(record):
    """An unsaved-looking copy of a stored record, to compare the row against the original."""
    copy = type(record)()
    copy.__dict__.update({k: v for k, v in record.__dict__.items() if k != "_state"})
    copy._state.adding = False
    copy._state.db = record._state.db
    return copy
