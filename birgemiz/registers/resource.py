"""The base of every register: a django-import-export `ModelResource` bound to one
programme and one user.

A subclass lists its model fields in `Meta.fields` (widgets are chosen here, by
field type), declares foreign keys as `LookupWidget` fields, and says:

- `natural_keys`: tuples of field names tried in order to find the existing
  record (IIN first where there is one, then a stable code); a re-import updates
  and never duplicates;
- `required`: columns the file must have;
- `labels` / `aliases`: the header of a column in every language. By default the
  model field's verbose name, translated to kk, ru and en;
- `save(instance, is_create)`: the write through the app's service.

Unchanged rows are skipped (`skip_unchanged`), so an export re-imported as it is
reports every row unchanged and writes nothing.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models.fields import NOT_PROVIDED
from django.utils import translation
from django.utils.translation import gettext as _
from import_export import fields, resources

from birgemiz.audit import AUDITED, record_bulk

from .widgets import (
    LANGS,
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    IINWidget,
    IntegerWidget,
    LookupWidget,
    TextWidget,
    norm,
)

# Headers people write that are not a field's verbose name in any language.
COMMON_ALIASES = {
    "iin": ("ЖСН", "ИИН", "IIN", "ЖСН / ИИН", "ЖСН (ИИН)"),
    "last_name": ("тегі", "фамилия", "surname"),
    "first_name": ("аты", "имя", "given name"),
    "middle_name": ("әкесінің аты", "отчество", "middle name"),
    "sex": ("жынысы", "пол", "gender"),
    "birth_date": ("туған күні", "дата рождения", "date of birth"),
    "grade": ("сынып", "класс", "class"),
    "school": ("мектеп", "школа"),
    "district": ("аудан", "район"),
    "phone": ("телефон", "тел.", "phone number"),
    "email": ("email", "e-mail", "эл. пошта", "электрондық пошта", "эл. почта", "электронная почта"),
    "track": ("бағыт", "направление", "course"),
    "group": ("топ", "группа"),
    "date": ("күні", "дата"),
    "student": ("оқушы коды", "код ученика", "student code", "оқушы", "ученик"),
    "kind": ("түрі", "тип", "вид", "kind"),
}


def Lookup(attribute, kind, column=None):
    """A foreign-key field looked up by a human value."""
    return fields.Field(attribute=attribute, column_name=column or attribute, widget=LookupWidget(kind))


class RegisterResource(resources.ModelResource):
    name = ""  # command-line name, e.g. "students"
    verbose_name = ""
    natural_keys = ()
    required = ()
    labels = {}
    aliases = {}
    example = {}
    readonly_columns = ()
    # Path from the model to Program, for scoping and the audit trail.
    program_path = "program"

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = False
        use_transactions = True
        skip_html_diff = True

    def __init__(self, program=None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.program = program
        self.user = user
        self._lookups = {}
        for field in self.fields.values():
            if isinstance(field.widget, LookupWidget):
                field.widget.resource = self

    # ------------------------------------------------------------ widgets by field type

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        if django_field.choices:
            widget = ChoiceWidget(_Choices(django_field))
        elif isinstance(django_field, models.BooleanField):
            widget = BooleanWidget(default=django_field.default if django_field.has_default() else False)
        elif isinstance(django_field, models.DateField):
            widget = DateWidget()
        elif isinstance(django_field, models.DecimalField):
            widget = DecimalWidget()
        elif isinstance(django_field, (models.IntegerField,)):
            widget = IntegerWidget()
        elif field_name == "iin":
            widget = IINWidget()
        else:
            widget = TextWidget()
        readonly = readonly or field_name in cls.readonly_columns
        # An empty cell means the field's default (a status, a flag), as in a blank form.
        default = django_field.default if django_field.has_default() else NOT_PROVIDED
        return fields.Field(
            attribute=field_name, column_name=field_name, widget=widget, readonly=readonly, default=default
        )

    # ------------------------------------------------------------ columns and headers

    def column_keys(self):
        return [f.column_name for f in self.get_export_fields()]

    def label(self, key):
        """The column's header in the active language."""
        if key in self.labels:
            return str(self.labels[key])
        field = self.fields[key]
        attribute = (field.attribute or key).split("__")[0]
        try:
            return str(self._meta.model._meta.get_field(attribute).verbose_name)
        except Exception:
            return key

    def header_names(self):
        """{normalised header: key} over every language and alias."""
        names = {}
        for key in self.column_keys():
            candidates = [key, key.replace("_", " ")]
            for lang in LANGS:
                with translation.override(lang):
                    candidates.append(self.label(key))
            candidates.extend(self.aliases.get(key, ()))
            candidates.extend(COMMON_ALIASES.get(key, ()))
            for candidate in candidates:
                names.setdefault(norm(candidate), key)
        return names

    def is_required(self, key):
        return key in self.required

    def example_row(self):
        """The template's example row. Downloaded for a programme, its foreign keys name that
        programme's own records (its first school, track, group…), so the row imports as it is."""
        example = dict(self.example)
        if self.program is not None:
            for key, field in self.fields.items():
                if not isinstance(field.widget, LookupWidget) or example.get(key, "") == "":
                    continue
                finder = getattr(self, f"example_{field.widget.kind}", None)
                record = finder() if finder is not None else None
                if record is None and finder is not None and not self.is_required(key):
                    example[key] = ""  # the programme has none yet: an optional column stays empty
                elif record is not None:
                    example[key] = self.render_lookup(field.widget.kind, record)
                    if field.widget.kind == "school" and "district" in example:
                        example["district"] = record.district.name_kk
            example = self.example_adjust(example)
        return [example.get(key, "") for key in self.column_keys()]

    def example_adjust(self, example):
        """The example row's last touches for the programme (dates within it, and so on)."""
        return example

    # ------------------------------------------------------------ scope

    def get_queryset(self):
        qs = self._meta.model._default_manager.all()
        if self.program is not None:
            qs = qs.filter(**{self.program_path: self.program})
        return qs

    def export_queryset(self):
        return self.get_queryset()

    def init_instance(self, row=None):
        instance = self._meta.model()
        if self.program_path == "program" and self.program is not None:
            instance.program = self.program
        return instance

    # ------------------------------------------------------------ natural keys

    def key_params(self, names, row):
        """Lookup parameters for one natural key, or None when a part is empty or unknown."""
        params = {}
        for name in names:
            field = self.fields[name]
            if field.column_name not in row:
                return None
            try:
                value = field.clean(row)
            except (ValueError, ValidationError):
                return None
            if value in (None, ""):
                return None
            params[field.attribute] = value
        return params

    def clean_keys(self, row):
        """The row's natural keys as comparable values, to find duplicates in the file."""
        keys = []
        for index, names in enumerate(self.natural_keys):
            parts = []
            for name in names:
                field = self.fields[name]
                try:
                    value = field.clean(row) if field.column_name in row else None
                except (ValueError, ValidationError):
                    value = row.get(name)
                if value is None or value == "":
                    parts = None
                    break
                if isinstance(value, models.Model):
                    value = value.pk
                parts.append(norm(value) if isinstance(value, str) else value)
            if parts:
                keys.append((index, tuple(parts)))
        return keys

    def key_condition(self, name):
        """The condition of a partial unique index on natural-key field `name` (an IIN is
        unique only where it is filled in), or None. A lookup that does not repeat it cannot
        use the index: the database then reads every record of the programme for each row."""
        attribute = (self.fields[name].attribute or name).split("__")[0]
        # Only "filled in": the lookup's value is never empty, so repeating it changes nothing.
        filled_in = ~models.Q(**{attribute: ""})
        for constraint in self._meta.model._meta.constraints:
            if (
                isinstance(constraint, models.UniqueConstraint)
                and constraint.condition == filled_in
                and attribute in constraint.fields
            ):
                return constraint.condition
        return None

    def key_queryset(self, names):
        qs = self.get_queryset()
        for name in names:
            condition = self.key_condition(name)
            if condition is not None:
                qs = qs.filter(condition)
        return qs

    def get_instance(self, instance_loader, row):
        found = None
        found_by = None
        for names in self.natural_keys:
            params = self.key_params(names, row)
            if params is None:
                continue
            matches = list(self.key_queryset(names).filter(**params)[:2])
            if len(matches) > 1:
                raise ValidationError({names[0]: _("More than one record matches this value.")})
            if not matches:
                continue
            if found is not None and matches[0].pk != found.pk:
                raise ValidationError(
                    {
                        names[0]: _(
                            "This value belongs to «%(other)s», but %(column)s belongs to «%(this)s»."
                        )
                        % {"other": matches[0], "column": self.label(found_by), "this": found}
                    }
                )
            found, found_by = matches[0], names[0]
        return found

    # ------------------------------------------------------------ foreign keys by human value

    def lookup(self, kind, text, row):
        method = getattr(self, f"lookup_{kind}")
        return method(text, row)

    def render_lookup(self, kind, value):
        method = getattr(self, f"render_{kind}", None)
        return method(value) if method else str(value)

    def cached(self, name, build):
        if name not in self._lookups:
            self._lookups[name] = build()
        return self._lookups[name]

    @staticmethod
    def index(objects, *attrs):
        """{normalised value: [objects]} over the given attributes."""
        found = {}
        for obj in objects:
            seen = set()
            for attr in attrs:
                value = getattr(obj, attr, "")
                if value in (None, ""):
                    continue
                key = norm(value)
                if key not in seen:
                    found.setdefault(key, []).append(obj)
                    seen.add(key)
        return found

    @staticmethod
    def one(matches, text, what):
        if not matches:
            raise ValueError(
                _("Not found in this programme: %(what)s «%(value)s».") % {"what": what, "value": text}
            )
        if len(matches) > 1:
            raise ValueError(
                _("«%(value)s» matches more than one record (%(what)s); write it exactly.")
                % {"value": text, "what": what}
            )
        return matches[0]

    # ------------------------------------------------------------ import

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            super().validate_instance(instance, errors, validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
        try:
            self.check_rules(instance)
        except ValidationError as exc:
            for key, messages in exc.update_error_dict({}).items():
                errors.setdefault(key, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def import_rows(self, rows, report, columns, dry_run=False, progress=None):
        """Check and write the rows; the caller holds the transaction.

        A register that overrides this (a fast path) writes nothing when `dry_run` is true:
        its preview then runs without the database's write lock (engine `_checking_only`)."""
        from .engine import import_rows_by_resource

        import_rows_by_resource(self, rows, report, columns, dry_run=dry_run, progress=progress)

    on_row = None

    def after_import_row(self, row, row_result, **kwargs):
        if self.on_row is not None:
            self.on_row(kwargs.get("row_number", 0))

    def get_field_name(self, field):
        # import-export looks the name up by scanning every field, for every cell.
        if self.fields.get(field.column_name) is field:
            return field.column_name
        return super().get_field_name(field)

    def iter_export(self, queryset):
        if queryset._prefetch_related_lookups:
            return queryset.iterator(chunk_size=1000)
        return queryset.iterator(chunk_size=2000)

    def check_rules(self, instance):
        """Rules beyond the model's own (the same a form checks); raise ValidationError."""

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if original is None or original.pk is None:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def do_instance_save(self, instance, is_create):
        self.save(instance, is_create)
        if type(instance) not in AUDITED:
            # Models without audit signals still leave a trace when a file writes them.
            record_bulk(
                type(instance),
                self.program.pk if self.program else None,
                "create" if is_create else "update",
                [instance],
            )

    def save(self, instance, is_create):
        # `validate_instance` has just run full_clean() and the register's rules on this
        # instance: validating it a second time here would only double the cost.
        with transaction.atomic():
            instance.save()

    def column_for_error(self, key):
        """The column key an error of model field `key` belongs to."""
        if key == NON_FIELD_ERRORS:
            return ""
        if key in self.fields:
            return key
        for column, field in self.fields.items():
            if field.attribute and field.attribute.split("__")[0] in (key, f"{key}_id"):
                return column
        return ""


class _Choices:
    """Adapter so plain `choices=` lists behave like a TextChoices class."""

    def __init__(self, django_field):
        self.choices = list(django_field.flatchoices)
        self._labels = dict(self.choices)

    def __call__(self, value):
        if value not in self._labels:
            raise ValueError(value)
        return _Label(self._labels[value])


class _Label:
    def __init__(self, label):
        self.label = label
