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
- the new rows inserted with `insert_records` (what `bulk_create` writes, without its
  per-value SQL assembly; the keys come back with INSERT … RETURNING), the changed ones
  with `bulk_update`, and one audit entry per written row through `audit_rows` (the rows
  `audit.record_bulk` writes, as plain tuples), shaped as the signals write them (a create
  lists its values, an update its changes).

A register adapts the path with a few hooks: `bulk_prepare` (per row, after the cells are
set: derived fields, a second column such as a lesson's absent students, a capacity),
`bulk_on_change` (an update's changes, before they are counted: a confirmed lesson
refuses, a rejected one goes back to pending), `bulk_other_changes` (a change that is not
a field, e.g. attendance) and `bulk_write` (the write itself, e.g. attendance beside its
lessons).

All or nothing stays the engine's: once any row is bad nothing more is written and the
caller's transaction is rolled back; a dry run writes nothing (and so takes no write lock).
"""

import datetime
import decimal
import io
import json

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birgemiz.audit import current_actor, snapshotter

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
        errors = self._bulk_constraints(instance, errors)
        try:
            self.check_rules(instance)
        except ValidationError as exc:
            errors = _merge(errors, exc)
        first = self._bulk_duplicate(number, values, original, state)
        if first is not None:
            errors = {NON_FIELD_ERRORS: [duplicate_message(first)]}
        return instance, original, errors

    def _bulk_constraints(self, instance, errors):
        """The model's check constraints, on the row: each evaluated in Python (`holds`),
        as the database will (a NULL passes), so a row that breaks one is reported with its
        number instead of failing the file's INSERT; one Django does not say how to evaluate
        here is checked by Django (a query). A constraint of a field already in error is
        left out, as full_clean leaves it out."""
        checks = [c for c in self._meta.model._meta.constraints if isinstance(c, models.CheckConstraint)]
        if not checks:
            return errors
        bad = {self.fields[k].attribute if k in self.fields else k for k in errors}
        for constraint in checks:
            names = _referenced(constraint.condition)
            if names & bad:
                continue
            try:
                ok = holds(constraint.condition, instance) is not False
            except _Unsupported:
                try:
                    constraint.validate(type(instance), instance)
                    ok = True
                except ValidationError:
                    ok = False
            if not ok:
                key = next(iter(names)) if len(names) == 1 else NON_FIELD_ERRORS
                errors.setdefault(key, []).append(str(constraint.get_violation_error_message()))
        return errors

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
        snap = snapshotter(self._meta.model)
        for (number, values, errors), (_number, row) in zip(cleaned, chunk, strict=True):
            instance, original, errors = self._bulk_row(number, row, values, errors, existing, state)
            if errors:
                self._report_errors(report, columns, number, errors)
                continue
            if original is None:
                report.new += 1
                created.append(instance)
                continue
            before, after = snap(original), snap(instance)
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


class _Unsupported(Exception):
    pass


_COMPARE = {
    "exact": lambda a, b: a == b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
}


def _referenced(node):
    """The field names a condition reads."""
    names = set()
    for child in node.children:
        if isinstance(child, models.Q):
            names |= _referenced(child)
        else:
            name, value = child
            names.add(name.split("__")[0])
            if isinstance(value, models.F):
                names.add(value.name.split("__")[0])
    return names


def holds(node, instance):
    """A check constraint's condition (a Q of the record's own fields compared with values or
    F() of its fields) on an unsaved record: True, False, or None where SQL's answer is NULL
    (which a CHECK lets pass). Anything else raises _Unsupported."""
    if isinstance(node, models.Q):
        results = [holds(child, instance) for child in node.children]
        if node.connector == models.Q.AND:
            result = False if any(r is False for r in results) else None if None in results else True
        elif node.connector == models.Q.OR:
            result = True if any(r is True for r in results) else None if None in results else False
        else:
            raise _Unsupported(node.connector)
        if node.negated and result is not None:
            result = not result
        return result
    name, right = node
    parts = name.split("__")
    lookup = parts.pop() if len(parts) > 1 and parts[-1] in (*_COMPARE, "isnull") else "exact"
    if len(parts) != 1:
        raise _Unsupported(name)
    left = _value(instance, parts[0])
    if isinstance(right, models.F):
        if "__" in right.name:
            raise _Unsupported(right.name)
        right = _value(instance, right.name)
    elif hasattr(right, "resolve_expression"):
        raise _Unsupported(name)
    if lookup == "isnull":
        return (left is None) == bool(right)
    if lookup == "exact" and right is None:
        return left is None
    if left is None or right is None:
        return None
    try:
        return bool(_COMPARE[lookup](left, right))
    except TypeError as exc:
        raise _Unsupported(name) from exc


def _value(instance, name):
    try:
        field = instance._meta.get_field(name)
    except Exception as exc:
        raise _Unsupported(name) from exc
    if not getattr(field, "concrete", False):
        raise _Unsupported(name)
    return getattr(instance, field.attname)


def bulk_save(model, program_id, created, updated, batch_size=CHUNK):
    """Insert / update the records with one audit entry per record, as the signals write them."""
    if created:
        insert_records(model, created)
        snap = snapshotter(model)
        audit_rows(
            model,
            program_id,
            "create",
            [
                (obj.pk, obj, {k: [None, v] for k, v in snap(obj).items() if v is not None and v != ""})
                for obj in created
            ],
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
        audit_rows(model, program_id, "update", [(i.pk, i, c) for i, c in updated])


# ---------------------------------------------------------------- lean writes
# bulk_create assembles its SQL per row and per field (an expression check, a pre_save and a
# placeholder each, then the debug copy of the statement), which for 20 000 students and their
# 20 000 audit entries cost more than checking them, and for 200 000 attendance rows most of the
# import. These write the same rows: each value still goes through its field's pre_save and
# get_db_prep_save, as in save(), so every backend gets what it expects.


def insert(model, columns, rows, returning=False, ready=()):
    """INSERT `rows` (tuples of the `columns`' values, by attname) a thousand at a time.

    With `returning`, the new primary keys, in the rows' order (INSERT … RETURNING, as
    bulk_create reads them on PostgreSQL and SQLite ≥ 3.35; elsewhere one row at a time).
    `ready`: the columns whose values are already the database's (`get_db_prep_save` done
    once by the caller, or plain keys and flags); they go as they are."""
    if not rows:
        return []
    meta = model._meta
    fields = [meta.get_field(name) for name in columns]
    connection = connections[router.db_for_write(model)]
    preps = [None if name in ready else f.get_db_prep_save for name, f in zip(columns, fields, strict=True)]

    def prepared(batch):
        if all(prep is None for prep in preps):
            return batch
        return [
            [
                value if prep is None else prep(value, connection)
                for prep, value in zip(preps, row, strict=True)
            ]
            for row in batch
        ]

    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) ".format(quote(meta.db_table), ", ".join(quote(f.column) for f in fields))
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pks = []
    with connection.cursor() as cursor:
        if returning and connection.vendor == "postgresql":
            # The keys taken from the column's own sequence in one query, then written with
            # the rows (by COPY below): what RETURNING would give, at COPY's speed.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(meta.db_table), meta.pk.column, len(rows)],
            )
            pks = [pk for (pk,) in cursor.fetchall()]
            fields, preps = [meta.pk, *fields], [None, *preps]
            rows = [(pk, *row) for pk, row in zip(pks, rows, strict=True)]
            head = "INSERT INTO {} ({}) ".format(
                quote(meta.db_table), ", ".join(quote(f.column) for f in fields)
            )
            one = "(" + ", ".join(["%s"] * len(fields)) + ")"
            returning = False
        if (
            not returning
            and connection.vendor == "postgresql"
            and _copy_in(cursor, meta, fields, preps, rows)
        ):
            return pks
        if not returning and connection.vendor == "sqlite":
            # In-process: executemany costs no round trip per row (psycopg2's would).
            for start in range(0, len(rows), CHUNK):
                cursor.executemany(head + "VALUES " + one, prepared(rows[start : start + CHUNK]))
            return pks
        if returning and not connection.features.can_return_rows_from_bulk_insert:
            for row in prepared(rows):
                cursor.execute(head + "VALUES " + one, row)
                pks.append(connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column))
            return pks
        # Many rows a statement, as bulk_create sends them (the backend's limit of parameters).
        returning_sql = " " + connection.ops.return_insert_columns([meta.pk])[0] if returning else ""
        size = max(1, min(CHUNK, connection.ops.bulk_batch_size(fields, rows)))
        for start in range(0, len(rows), size):
            batch = prepared(rows[start : start + size])
            sql = head + connection.ops.bulk_insert_sql(fields, [["%s"] * len(fields)] * len(batch))
            cursor.execute(sql + returning_sql, [value for row in batch for value in row])
            if returning:
                returned = connection.ops.fetch_returned_insert_rows(cursor)
                if len(returned) != len(batch):
                    raise IntegrityError(f"{len(batch)} rows inserted, {len(returned)} keys returned")
                pks.extend(r[0] for r in returned)
    return pks


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_in(cursor, meta, fields, preps, rows):
    """PostgreSQL: the rows with one COPY (its text format), which the server takes several
    times faster than INSERTs of as many values. False, having sent nothing, when a value is
    of a type this does not write (the caller then INSERTs)."""
    connection = cursor.db
    raw = cursor.cursor
    if not (hasattr(raw, "copy_expert") or hasattr(raw, "copy")):
        return False
    converters = []
    for field, prep in zip(fields, preps, strict=True):
        if isinstance(field, models.JSONField):
            encoder = field.encoder
            converters.append(lambda value, encoder=encoder: json.dumps(value, cls=encoder))
        elif prep is None:
            converters.append(None)
        else:
            converters.append(lambda value, prep=prep: prep(value, connection))
    lines = []
    for row in rows:
        cells = []
        for convert, value in zip(converters, row, strict=True):
            if convert is not None and value is not None:
                value = convert(value)
            if value is None:
                cells.append("\\N")
            elif value is True or value is False:
                cells.append("t" if value else "f")
            elif isinstance(value, str):
                if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
                    value = value.translate(_COPY_ESCAPES)
                cells.append(value)
            elif isinstance(value, int | float | decimal.Decimal):
                cells.append(str(value))
            elif isinstance(value, datetime.date | datetime.datetime):
                cells.append(value.isoformat())
            else:
                return False
        lines.append("\t".join(cells))
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(quote(meta.db_table), ", ".join(quote(f.column) for f in fields))
    data = "\n".join(lines) + "\n"
    with connection.wrap_database_errors:  # the driver's errors as Django's (IntegrityError…)
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, io.StringIO(data))
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(data)
    return True


def insert_records(model, objects):
    """What `bulk_create(objects)` does for records with an automatic key, leaner: the
    fields' pre_save (auto_now…), the related records' keys checked, the new keys set."""
    meta = model._meta
    if not objects:
        return
    fields = [f for f in meta.concrete_fields if f is not meta.pk and not f.generated]
    if (
        not isinstance(meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
        or meta.parents
        or any(f.db_default is not models.NOT_PROVIDED for f in fields)
        or any(obj.pk is not None for obj in objects)
    ):
        # Keys of its own, a parent table, a database default: bulk_create knows these.
        model.objects.bulk_create(objects, batch_size=CHUNK)
        return
    rows = []
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        rows.append(tuple(f.pre_save(obj, True) for f in fields))
    pks = insert(model, [f.attname for f in fields], rows, returning=True)
    db = router.db_for_write(model)
    for obj, pk in zip(objects, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = db


AUDIT_COLUMNS = (
    "at",
    "user_id",
    "program_id",
    "action",
    "model",
    "object_id",
    "object_repr",
    "changes",
    "source",
)


def audit_rows(model, program_id, action, entries):
    """The entries `audit.record_bulk` writes, from (key, record or its label, changes)
    without an AuditEntry instance each (tests/test_registers_writes.py compares the two).
    The values shared by every entry are prepared for the database once."""
    from birgemiz.models import AuditEntry

    if not entries:
        return
    user, source = current_actor()
    connection = connections[router.db_for_write(AuditEntry)]

    def db(name, value):
        return AuditEntry._meta.get_field(name).get_db_prep_save(value, connection)

    shared = (
        db("at", timezone.now()),
        db("user_id", user.pk if user is not None else None),
        db("program_id", program_id),
        db("action", action),
        db("model", model._meta.label_lower),
    )
    source = db("source", source or "shell")
    insert(
        AuditEntry,
        AUDIT_COLUMNS,
        [(*shared, str(pk), str(obj)[:300], changes, source) for pk, obj, changes in entries],
        ready=("at", "user_id", "program_id", "action", "model", "object_id", "object_repr", "source"),
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
    copy._state.fields_cache = dict(record._state.fields_cache)
    return copy
