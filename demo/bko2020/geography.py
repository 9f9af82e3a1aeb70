"""West Kazakhstan, its districts and schools (`places.py`)."""

from birgemiz.models import District, Region, School

from . import places


class GeographyMixin:
    """The region and its districts and schools, shared with any other programme there."""

    def make_geography(self):
        self.region, _ = Region.objects.get_or_create(
            code=places.REGION["code"],
            defaults={"name_kk": places.REGION["name_kk"], "name_ru": places.REGION["name_ru"]},
        )
        self.districts = []
        self.schools = {}
        for name_kk, name_ru, is_city, schools in places.DISTRICTS:
            district, _ = District.objects.get_or_create(
                region=self.region, name_kk=name_kk, defaults={"name_ru": name_ru, "is_city": is_city}
            )
            self.districts.append(district)
            self.schools[district.pk] = [
                School.objects.get_or_create(
                    district=district, name=name, defaults={"settlement": settlement}
                )[0]
                for settlement, name in schools
            ]
        self.rural = [d for d in self.districts if not d.is_city]
        self.city = next(d for d in self.districts if d.is_city)
