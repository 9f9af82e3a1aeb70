"""Spreadsheet registers of the programme core: outreach meetings, publications,
partners and indicators (plan and fact); and `ProgrammeResource`, the base of every
register, which finds the programme's districts, schools, tracks and activities by name."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Activity, District, Indicator, InfoWorkGroup, Meeting, Partner, Publication, School, Track
from .registers import register
from .registers.resource import Lookup, RegisterResource
from .registers.widgets import norm


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



@register
class MeetingResource(ProgrammeResource):
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
class PublicationResource(ProgrammeResource):
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
class PartnerResource(ProgrammeResource):
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
class IndicatorResource(ProgrammeResource):
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
