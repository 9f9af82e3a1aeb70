"""The batched import path of a register: validate a thousand rows, then write them in bulk.

django-import-export's row-by-row path costs, for every row, a lookup query per natural
key, `full_clean()` twice (once to validate, once more in the service's save), each time
with the unique checks as queries, a save and an audit insert. `BulkImportMixin` keeps
the same rules and the same report but does, per thousand rows:

- every cell cleaned by the register's own widgets (the foreign keys by the lookups,
  which read schools, districts, tracks, groups and students once per file);
- the existing records of the chunk's natural keys: a single-field key (IIN, code, e-mail)
  with one query per key and chunk (`key_queryset` repeats a partial unique index's
  condition, so the database can use it); a key of several fields (student + group,
  student + track + kind, group + date + topic) from an index of the key's columns read
  once per file, then the chunk's matches by primary key;
- `full_clean()` once per row, without the unique/constraint queries: uniqueness is
  checked against those dictionaries and against the rows seen so far in the file; then
  the register's own rules (`check_rules`, the same functions the services call);
- `bulk_create` / `bulk_update`, and one audit entry per written row through
  `audit.record_bulk`, shaped as the signals write them (a create lists its values, an
  update its changes).

A register adapts the path with a few hooks: `bulk_prepare` (per row, after the cells are
set: derived fields, a second column such as a lesson's absent students, a capacity),
`bulk_on_change` (an update's changes, before they are counted: a confirmed lesson
refuses, a rejected one goes back to pending), `bulk_other_changes` (a change that is not
a field, e.g. attendance) and `bulk_write` (the write itself, e.g. attendance beside its
lessons).

All or nothing stays the engine's: once any row is bad nothing more is written and the
caller's transaction is rolled back; a dry run writes nothing (and so takes no write lock).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz.audit import record_bulk, snapshot

from .engine import duplicate_message
from .widgets import LookupWidget, norm

CHUNK = 1000


def _plain_key(value):
    if isinstance(value, models.Model):
        # A record the file itself adds (a district new to the region) is its own key.
        return value.pk if value.pk is not None else ("new", id(value))
    return value


def _merge(errors, exc):
    """`errors` ({key: [text]}) with a ValidationError's messages added, as plain texts."""
    found = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for key, messages in found.items():
        errors.setdefault(key, []).extend(messages)
    return errors


def _empty(value):
    return value is None or value == ""


class BulkImportMixin:
    """Mix into a `RegisterResource` (before it)."""

    chunk_size = CHUNK

    def import_rows(self, rows, report, columns, dry_run=False, progress=None):
        state = {"seen": {}, "claimed": {}, "processed": 0, "index": {}, "dry_run": dry_run}
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

    # ------------------------------------------------------------ hooks

    def bulk_prepare(self, number, instance, original, row, errors, state):
        """Per row, after its cells are set and before the rules: return the errors."""
        return errors

    def bulk_on_change(self, instance, original, changes):
        """An update's {field: [before, after]}: change it, or raise ValidationError."""
        return changes

    def bulk_other_changes(self, instance, original):
        """True when a row changes something that is not one of the record's fields."""
        return False

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

    def _key_of(self, names, values):
        """The row's value of one natural key, as a tuple of plain values, or None."""
        parts = []
        for name in names:
            value = values.get(self.fields[name].attribute)
            if _empty(value):
                return None
            parts.append(_plain_key(value))
        return tuple(parts)

    def _key_index(self, names, state):
        """{key tuple: pk} of every stored record of the programme, read once per file."""
        if names not in state["index"]:
            model = self._meta.model
            attnames = [model._meta.get_field(self.fields[n].attribute).attname for n in names]
            index = {}
            for row in self.key_queryset(names).values_list("pk", *attnames).iterator(chunk_size=5000):
                index.setdefault(tuple(row[1:]), row[0])
            state["index"][names] = index
        return state["index"][names]

    def _bulk_existing(self, cleaned, state):
        """{key names: {key tuple: record}} for the chunk's natural-key values."""
        found = {}
        for names in self.natural_keys:
            wanted = {k for _n, v, _e in cleaned if (k := self._key_of(names, v)) is not None}
            if not wanted:
                found[names] = {}
                continue
            if len(names) == 1:
                attribute = self.fields[names[0]].attribute
                records = self.key_queryset(names).filter(**{f"{attribute}__in": [k[0] for k in wanted]})
                found[names] = {(_plain_key(getattr(r, attribute)),): r for r in records}
                continue
            index = self._key_index(names, state)
            pks = {index[k]: k for k in wanted if k in index}
            records = self.key_queryset(names).filter(pk__in=list(pks)) if pks else ()
            found[names] = {pks[r.pk]: r for r in records}
        return found

    def _bulk_match(self, values, existing):
        """The stored record the row's natural keys name, or a ValidationError."""
        found, found_by = None, None
        for names in self.natural_keys:
            key = self._key_of(names, values)
            match = existing[names].get(key) if key is not None else None
            if match is None:
                continue
            if found is not None and match.pk != found.pk:
                raise ValidationError(
                    {
                        names[0]: _(
                            "This value belongs to «%(other)s», but %(column)s belongs to «%(this)s»."
                        )
                        % {"other": match, "column": self.label(found_by), "this": found}
                    }
                )
            found, found_by = match, names[0]
        return found

    def _lookup_attributes(self):
        if not hasattr(self, "_bulk_lookups"):
            self._bulk_lookups = [
                f.attribute
                for f in self.fields.values()
                if isinstance(f.widget, LookupWidget) and f.attribute
            ]
        return self._bulk_lookups

    def _bulk_row(self, number, row, values, errors, existing, state):
        """(instance, original or None, errors) for one cleaned row."""
        try:
            original = self._bulk_match(values, existing)
        except ValidationError as exc:
            return None, None, _merge(errors, exc)
        instance = _copy(original) if original is not None else self.init_instance()
        for attribute, value in values.items():
            setattr(instance, attribute, value)
        errors = self.bulk_prepare(number, instance, original, row, errors, state)
        try:
            # The foreign keys came from the lookups; uniqueness is checked below, without queries.
            instance.full_clean(
                exclude=list(errors) + self._lookup_attributes() + ["program"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            errors = _merge(errors, exc)
        try:
            self.check_rules(instance)
        except ValidationError as exc:
            errors = _merge(errors, exc)
        first = self._bulk_duplicate(number, values, original, state)
        if first is not None:
            errors = {NON_FIELD_ERRORS: [duplicate_message(first)]}
        return instance, original, errors

    def _bulk_duplicate(self, number, values, original, state):
        """The earlier row of the file this one repeats (same key or same stored record)."""
        keys = []
        for names in self.natural_keys:
            key = self._key_of(names, values)
            if key is not None:
                keys.append((names, tuple(norm(v) if isinstance(v, str) else v for v in key)))
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

    def _report_errors(self, report, columns, number, errors):
        for key, messages in errors.items():
            column = columns.display(self, self.column_for_error(key))
            for message in messages:
                report.add_error(number, column, message)

    def _bulk_chunk(self, chunk, report, columns, state, dry_run):
        cleaned = []
        for number, row in chunk:
            state["processed"] += 1
            values, errors = self._bulk_clean(row)
            cleaned.append((number, values, errors))
        existing = self._bulk_existing(cleaned, state)
        created, updated = [], []
        for (number, values, errors), (_number, row) in zip(cleaned, chunk, strict=True):
            instance, original, errors = self._bulk_row(number, row, values, errors, existing, state)
            if errors:
                self._report_errors(report, columns, number, errors)
                continue
            if original is None:
                report.new += 1
                created.append(instance)
                continue
            before, after = snapshot(original), snapshot(instance)
            changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
            if not changes and not self.bulk_other_changes(instance, original):
                report.unchanged += 1
                continue
            try:
                changes = self.bulk_on_change(instance, original, changes)
            except ValidationError as exc:
                self._report_errors(report, columns, number, _merge({}, exc))
                continue
            report.updated += 1
            updated.append((instance, changes))
        if dry_run or not report.ok:
            return  # a preview writes nothing, and nothing more is written once a row is bad
        try:
            with transaction.atomic():
                self.bulk_write(created, updated)
        except (IntegrityError, ValidationError) as exc:
            reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc
            report.add_error(0, "", _("Could not be saved: %(reason)s") % {"reason": reason})

    # ------------------------------------------------------------ the write

    def audit_program_id(self):
        return self.program.pk if self.program is not None else None

    def bulk_write(self, created, updated):
        """Insert `created`, update `updated` [(instance, {field: [before, after]})], audit both."""
        bulk_save(self._meta.model, self.audit_program_id(), created, updated, self.chunk_size)


def bulk_save(model, program_id, created, updated, batch_size=CHUNK):
    """bulk_create / bulk_update with one audit entry per record, as the signals write them."""
    if created:
        model.objects.bulk_create(created, batch_size=batch_size)
        record_bulk(
            model,
            program_id,
            "create",
            created,
            changes=[{k: [None, v] for k, v in snapshot(obj).items() if not _empty(v)} for obj in created],
        )
    if updated:
        now = timezone.now()
        stamped = any(f.name == "updated_at" for f in model._meta.concrete_fields)
        by_fields = {}
        for instance, changes in updated:
            if stamped:
                instance.updated_at = now
            names = tuple(sorted(changes)) + (("updated_at",) if stamped else ())
            by_fields.setdefault(names, []).append(instance)
        for names, objects in by_fields.items():
            model.objects.bulk_update(objects, [_field_name(model, n) for n in names], batch_size=batch_size)
        record_bulk(model, program_id, "update", [i for i, _c in updated], changes=[c for _i, c in updated])


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
    copy._state.fields_cache = dict(record._state.fields_cache)
    return copy
