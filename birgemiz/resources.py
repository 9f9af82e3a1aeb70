"""Spreadsheet registers of the programme core: outreach meetings, publications,
partners and indicators (plan and fact); and `ProgrammeResource`, the base of every
register, which finds the programme's districts, schools, tracks and activities by name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from . import roles
from .audit import record_bulk
from .models import (
    Activity,
    District,
    Indicator,
    InfoWorkGroup,
    Meeting,
    Partner,
    Publication,
    School,
    Subject,
    Task,
    Track,
)
from .registers import register
from .registers.bulk import BulkImportMixin
from .registers.resource import Lookup, RegisterResource
from .registers.widgets import LookupWidget, TextWidget, norm


class ProgrammeResource(RegisterResource):
    """A register of the programme: its foreign keys to the core by a human value."""

    def _region_districts(self):
        qs = District.objects.all()
        if self.program is not None:
            qs = qs.filter(region_id=self.program.region_id)
        return self.index(qs, "name_kk", "name_ru")

    def lookup_district(self, text, row):
        districts = self.cached("district", self._region_districts)
        return self.one(districts.get(norm(text)), text, gettext_lazy("district"))

    def render_district(self, value):
        return value.name_kk

    def lookup_school(self, text, row):
        key = ("school", text, row.get("district") or "")
        found = self._lookups.get(key)
        if found is None:
            try:
                found = self._lookup_school(text, row)
            except ValueError as exc:
                found = exc
            self._lookups[key] = found
        if isinstance(found, ValueError):
            raise found
        return found

    def _lookup_school(self, text, row):
        def build():
            qs = School.objects.select_related("district")
            if self.program is not None:
                qs = qs.filter(district__region_id=self.program.region_id)
            return self.index(qs, "name")

        matches = self.cached("school", build).get(norm(text), [])
        district_text = row.get("district") or ""
        if district_text:
            wanted = norm(district_text)
            matches = [
                s for s in matches if wanted in (norm(s.district.name_kk), norm(s.district.name_ru or ""))
            ]
            if not matches:
                raise ValueError(
                    _("No school «%(school)s» in district «%(district)s».")
                    % {"school": text, "district": district_text}
                )
        if len(matches) > 1:
            raise ValueError(
                _("Several schools are named «%(school)s»; fill in the district column.") % {"school": text}
            )
        return self.one(matches, text, gettext_lazy("school"))

    def render_school(self, value):
        return value.name

    def lookup_track(self, text, row):
        tracks = self.cached(
            "track",
            lambda: self.index(Track.objects.filter(program=self.program), "code", "name_kk", "name_ru"),
        )
        return self.one(tracks.get(norm(text)), text, gettext_lazy("track"))

    def render_track(self, value):
        return value.code

    def lookup_activity(self, text, row):
        def build():
            found = {}
            for activity in Activity.objects.filter(task__program=self.program).select_related("task"):
                found.setdefault(f"{activity.task.number}.{activity.number}", []).append(activity)
            return found

        key = text.replace(",", ".").strip()
        if key.endswith(".0") and key.count(".") == 2:
            key = key[:-2]
        return self.one(self.cached("activity", build).get(key), text, gettext_lazy("activity"))

    def render_activity(self, value):
        return f"{value.task.number}.{value.number}"

    # The first record of each kind, for the template's example row (`example_row`).

    def example_district(self):
        return District.objects.filter(region_id=self.program.region_id).order_by("name_kk").first()

    def example_school(self):
        return (
            School.objects.filter(district__region_id=self.program.region_id)
            .usable_for(self.program)
            .select_related("district")
            .order_by("district__name_kk", "name")
            .first()
        )

    def example_track(self):
        return Track.objects.filter(program=self.program).order_by("order", "code").first()

    def example_activity(self):
        return (
            Activity.objects.filter(task__program=self.program)
            .select_related("task")
            .order_by("task__number", "number")
            .first()
        )

    def example_info_group(self):
        return InfoWorkGroup.objects.filter(program=self.program).order_by("number").first()

    def example_task(self):
        return Task.objects.filter(program=self.program).order_by("number").first()


@register
class MeetingResource(BulkImportMixin, ProgrammeResource):
    name = "meetings"
    verbose_name = gettext_lazy("outreach meetings")
    natural_keys = (("date", "place"),)
    required = ("date", "place", "participants")
    district = Lookup("district", "district")
    activity = Lookup("activity", "activity")
    aliases = {"place": ("орны", "өткен орны", "место"), "participants": ("қатысушылар", "участники")}
    example = {
        "date": "10.03.2020",
        "place": "Бөрлі ауданы, Ақсай қ.",
        "district": "Бөрлі",
        "audience": "мектеп оқушылары",
        "participants": 25,
        "has_protocol": "иә",
        "has_participant_list": "иә",
        "activity": "1.1",
    }

    class Meta:
        model = Meeting
        fields = (
            "date",
            "place",
            "district",
            "audience",
            "participants",
            "has_protocol",
            "has_participant_list",
            "activity",
        )
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().select_related("district", "activity__task").order_by("date", "id")


@register
class PublicationResource(BulkImportMixin, ProgrammeResource):
    name = "publications"
    verbose_name = gettext_lazy("publications")
    natural_keys = (("url",), ("outlet", "title", "date"))
    required = ("kind", "title")
    activity = Lookup("activity", "activity")
    group = Lookup("group", "info_group")
    labels = {"group": gettext_lazy("information work group")}
    example = {
        "kind": "post",
        "outlet": "Instagram",
        "title": "Жоба басталды",
        "language": "kk",
        "date": "15.08.2020",
        "url": "https://example.kz/news/1",
        "views": "",
        "activity": "6.1",
        "group": "1",
    }

    class Meta:
        model = Publication
        fields = ("kind", "outlet", "title", "language", "date", "url", "views", "activity", "group")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().select_related("activity__task", "group").order_by("date", "id")

    def lookup_info_group(self, text, row):
        def build():
            groups = {}
            for group in InfoWorkGroup.objects.filter(program=self.program):
                for key in {str(group.number), norm(group.title_kk), norm(group.title_ru or "")} - {""}:
                    groups.setdefault(key, []).append(group)
            return groups

        key = text[:-2] if text.endswith(".0") else text
        return self.one(self.cached("info_group", build).get(norm(key)), text, self.label("group"))

    def render_info_group(self, value):
        return str(value.number)


@register
class PartnerResource(BulkImportMixin, ProgrammeResource):
    name = "partners"
    verbose_name = gettext_lazy("partners")
    natural_keys = (("name",),)
    required = ("name",)
    aliases = {"name": ("серіктес", "партнёр", "партнер", "partner")}
    example = {
        "order": 1,
        "name": "Бөрлі аудандық білім бөлімі",
        "role": "Ақпараттық қолдау",
        "contact": "+77112000000",
        "note": "",
    }

    class Meta:
        model = Partner
        fields = ("order", "name", "role", "contact", "note")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("order", "id")


@register
class IndicatorResource(BulkImportMixin, ProgrammeResource):
    name = "indicators"
    verbose_name = gettext_lazy("indicators (plan and fact)")
    program_path = "activity__task__program"
    natural_keys = (("activity", "name_kk"),)
    required = ("activity", "name_kk")
    activity = Lookup("activity", "activity")
    labels = {"activity": gettext_lazy("activity number (task.activity)")}
    aliases = {
        "activity": ("іс-шара", "мероприятие", "activity"),
        "fact_value": ("факт", "fact"),
        "target_value": ("жоспар", "план", "plan"),
    }
    example = {
        "activity": "1.1",
        "order": 1,
        "name_kk": "Кездесулер саны",
        "name_ru": "Количество встреч",
        "unit": "дана",
        "comparator": "at_least",
        "target_value": 10,
        "target_text_kk": "Кемінде 10",
        "target_text_ru": "Не менее 10",
        "fact_value": 12,
        "fact_text": "",
        "metric": "",
        "metric_param": "",
    }

    class Meta:
        model = Indicator
        fields = (
            "activity",
            "order",
            "name_kk",
            "name_ru",
            "unit",
            "comparator",
            "target_value",
            "target_text_kk",
            "target_text_ru",
            "fact_value",
            "fact_text",
            "metric",
            "metric_param",
        )
        export_order = fields

    def export_queryset(self):
        return (
            self.get_queryset()
            .select_related("activity__task")
            .order_by("activity__task__number", "activity__number", "order", "id")
        )


# ---------------------------------------------------------------- the programme's set-up
# Regions and districts are the operator's reference data (issue #17): no register creates
# a region, and only the operator (or a superuser) creates districts, through the schools
# register. A coordinator imports the schools of districts that exist in the programme's
# region; the schools they add are their organisation's proposals (usable at once by
# their programmes, by others once the operator approves them), and the approved schools
# of the region are the operator's to change.


def keeps_reference_data(user):
    return user is not None and user.is_authenticated and (user.is_superuser or roles.is_operator(user))


@register
class SchoolResource(BulkImportMixin, ProgrammeResource):
    """The schools of the programme's region: a region's whole list in one file."""

    name = "schools"
    verbose_name = gettext_lazy("schools")
    program_path = "district__region__programs"
    natural_keys = (("district", "school"),)
    required = ("district", "school")
    region = fields.Field(
        attribute="district__region", column_name="region", widget=LookupWidget("region"), readonly=True
    )
    district = Lookup("district", "school_district")
    school = fields.Field(attribute="name", column_name="school", widget=TextWidget())
    labels = {
        "region": gettext_lazy("region"),
        "district": gettext_lazy("district"),
        "school": gettext_lazy("school"),
    }
    aliases = {
        "region": ("облыс", "область", "region"),
        "settlement": ("елді мекен", "населённый пункт", "населенный пункт", "ауыл", "село"),
        "school": ("мектеп атауы", "название школы", "school name"),
        "language": ("оқыту тілі", "язык обучения", "тілі", "язык"),
    }
    example = {
        "region": "",
        "district": "Бөрлі",
        "settlement": "Ақсай қ.",
        "school": "№1 орта мектеп",
        "language": "kk",
    }

    class Meta:
        model = School
        fields = ("region", "district", "settlement", "school", "language")
        export_order = fields

    def get_queryset(self):
        qs = School.objects.all()
        if self.program is not None:
            qs = qs.filter(district__region_id=self.program.region_id).usable_for(self.program)
        return qs

    def export_queryset(self):
        return self.get_queryset().select_related("district__region").order_by("district__name_kk", "name")

    def init_instance(self, row=None):
        return School()

    def render_region(self, value):
        return value.name_kk

    def example_school_district(self):
        return self.example_district()

    def example_adjust(self, example):
        example["region"] = self.program.region.name_kk
        district = self.example_district()
        same = (
            self.get_queryset().filter(district=district, name=example["school"]).first()
            if district
            else None
        )
        if same is not None:  # the example names a stored school: as it is stored
            example.update(settlement=same.settlement, language=same.language)
        return example

    def lookup_school_district(self, text, row):
        matches = self.cached("district", self._region_districts).get(norm(text))
        if matches or not keeps_reference_data(self.user):
            if not matches:
                region = self.program.region.name_kk if self.program is not None else ""
                raise ValueError(
                    _(
                        "District «%(district)s» is not in the region «%(region)s»: correct its name "
                        "(as on the list of districts) or ask the operator to add it."
                    )
                    % {"district": text, "region": region}
                )
            return self.one(matches, text, gettext_lazy("district"))
        # The operator's file adds the districts it names: one new district a name.
        new = self.cached("new_district", dict)
        if norm(text) not in new:
            new[norm(text)] = District(region=self.program.region, name_kk=text.strip())
        return new[norm(text)]

    def bulk_prepare(self, number, instance, original, row, errors, state):
        text = str(row.get("region") or "").strip()
        if text and self.program is not None:
            region = self.program.region
            if norm(text) not in {norm(region.name_kk), norm(region.name_ru or ""), norm(region.code)}:
                errors["region"] = [
                    _(
                        "The region «%(region)s» is not this programme's region (%(own)s): import "
                        "its schools into a programme of that region, or leave the column empty."
                    )
                    % {"region": text, "own": region.name_kk}
                ]
        if original is None:
            instance.proposed_by = None if keeps_reference_data(self.user) else self.program.organization
        return errors

    def bulk_on_change(self, instance, original, changes):
        if original.proposed_by_id is None and not keeps_reference_data(self.user):
            raise ValidationError(
                _(
                    "«%(school)s» is an approved school of the region: only the operator changes it. "
                    "Leave its row as it is, or write to the operator."
                )
                % {"school": original.name}
            )
        return changes

    def audit_program_id(self):
        return None  # reference data, shared by the region's programmes

    def bulk_write(self, created, updated):
        districts = {id(s.district): s.district for s in created if s.district.pk is None}
        if districts:
            District.objects.bulk_create(list(districts.values()))
            record_bulk(District, None, "create", list(districts.values()))
            for school in created:
                school.district = school.district  # the new district's id
        super().bulk_write(created, updated)


@register
class TrackResource(BulkImportMixin, ProgrammeResource):
    """The programme's tracks with their plans."""

    name = "tracks"
    verbose_name = gettext_lazy("tracks")
    natural_keys = (("code",),)
    required = ("code", "name_kk")
    activity = Lookup("activity", "activity")
    labels = {"activity": gettext_lazy("activity number (task.activity)")}
    aliases = {"code": ("код", "коды", "code")}
    example = {
        "code": "english",
        "order": 1,
        "name_kk": "Ағылшын тілі",
        "name_ru": "Английский язык",
        "activity": "",
        "planned_hours": 72,
        "planned_students": 100,
        "planned_volunteers": 5,
        "group_capacity": 25,
    }

    class Meta:
        model = Track
        fields = (
            "code",
            "order",
            "name_kk",
            "name_ru",
            "activity",
            "planned_hours",
            "planned_students",
            "planned_volunteers",
            "group_capacity",
        )
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().select_related("activity__task").order_by("order", "code")


@register
class SubjectResource(BulkImportMixin, ProgrammeResource):
    """The subjects of each track."""

    name = "subjects"
    verbose_name = gettext_lazy("subjects")
    program_path = "track__program"
    natural_keys = (("track", "name_kk"),)
    required = ("track", "name_kk")
    track = Lookup("track", "track")
    example = {"track": "english", "order": 1, "name_kk": "Грамматика", "name_ru": "Грамматика"}

    class Meta:
        model = Subject
        fields = ("track", "order", "name_kk", "name_ru")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().select_related("track").order_by("track__order", "order", "name_kk")


@register
class TaskResource(BulkImportMixin, ProgrammeResource):
    """The tasks of the programme's plan."""

    name = "tasks"
    verbose_name = gettext_lazy("tasks")
    natural_keys = (("number",),)
    required = ("number", "title_kk")
    example = {"number": 1, "title_kk": "Ақпараттық жұмыс", "title_ru": "Информационная работа"}

    class Meta:
        model = Task
        fields = ("number", "title_kk", "title_ru")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().order_by("number")


@register
class ActivityResource(BulkImportMixin, ProgrammeResource):
    """The activities of each task (a task by its number)."""

    name = "activities"
    verbose_name = gettext_lazy("activities")
    program_path = "task__program"
    natural_keys = (("task", "number"),)
    required = ("task", "number", "title_kk")
    task = Lookup("task", "task")
    labels = {"task": gettext_lazy("task number")}
    aliases = {"task": ("міндет", "задача", "task")}
    example = {
        "task": 1,
        "number": 1,
        "title_kk": "Ақпараттық кездесулер",
        "title_ru": "Информационные встречи",
        "period_kk": "наурыз–сәуір",
        "period_ru": "март–апрель",
        "start": "01.03.2020",
        "end": "30.04.2020",
    }

    class Meta:
        model = Activity
        fields = ("task", "number", "title_kk", "title_ru", "period_kk", "period_ru", "start", "end")
        export_order = fields

    def export_queryset(self):
        return self.get_queryset().select_related("task").order_by("task__number", "number")

    def lookup_task(self, text, row):
        tasks = self.cached("task", lambda: self.index(Task.objects.filter(program=self.program), "number"))
        key = text[:-2] if text.endswith(".0") else text
        return self.one(tasks.get(norm(key)), text, gettext_lazy("task"))

    def render_task(self, value):
        return str(value.number)

    def example_adjust(self, example):
        example["start"] = self.program.start.strftime("%d.%m.%Y")
        example["end"] = self.program.end.strftime("%d.%m.%Y")
        return example
