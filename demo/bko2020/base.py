"""What every part of the demo loader uses: the seeded generators, unique IINs and
e-mail addresses, phone numbers, saved files, and a few number helpers."""

import datetime
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from birgemiz.validators import make_iin
from volunteers import codes

from .. import names
from ..seed import read_json

AS_OF = datetime.date(2020, 11, 30)
BATCH = 1000
SEED = 2020


def birth_for_age(rng, age):
    """A birth date at which a person is exactly `age` on AS_OF."""
    latest = AS_OF.replace(year=AS_OF.year - age)
    earliest = AS_OF.replace(year=AS_OF.year - age - 1) + datetime.timedelta(days=1)
    return earliest + datetime.timedelta(days=rng.randint(0, (latest - earliest).days))


def adjust_sum(values, target, lo, hi, rng):
    """Nudge integers one step at a time, within [lo, hi], until they sum to `target`."""
    diff = target - sum(values)
    while diff:
        i = rng.randrange(len(values))
        if diff > 0 and values[i] < hi:
            values[i] += 1
            diff -= 1
        elif diff < 0 and values[i] > lo:
            values[i] -= 1
            diff += 1
    return values


def scores_with_mean(rng, n, mean, sd, base=None, growth=0):
    """n integer scores 0..100 whose mean is exactly `mean`; around base+growth when given."""
    if base is None:
        raw = [rng.gauss(mean, sd) for _ in range(n)]
    else:
        raw = [b + growth + rng.gauss(0, sd) for b in base]
    values = [max(0, min(100, round(v))) for v in raw]
    return adjust_sum(values, mean * n, 0, 100, rng)


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


class LoaderBase:
    """The state the parts share: the records made so far are attributes set by each part."""

    def __init__(self):
        self.narr = read_json("narratives.json")
        self.narr_ru = read_json("narratives_ru.json")  # the same texts in Russian, written for the demo
        self.saved_files = []
        self.iins = set()
        self.emails = set()

    def rng(self, section):
        # One generator per section: changing one part leaves the others' records as they were.
        return random.Random(f"{SEED}-{section}")

    def save_file(self, field, name, data):
        field.save(name, ContentFile(data), save=False)
        self.saved_files.append(field.name)

    def discard_files(self):
        for name in self.saved_files:
            default_storage.delete(name)

    def new_iin(self, rng, birth_date, sex):
        serial = rng.randint(0, 9999)
        while True:
            iin = make_iin(birth_date, sex, serial)
            if iin not in self.iins:
                self.iins.add(iin)
                return iin
            serial = (serial + 1) % 10000

    def new_email(self, rng, first, last):
        base = f"{names.latin(first)}.{names.latin(last)}"
        domain = rng.choice(names.EMAIL_DOMAINS)
        email, n = f"{base}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.emails.add(email)
        return email

    @staticmethod
    def phone(rng):
        return (
            f"+7 7{rng.choice('0578')}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}"
        )

    @staticmethod
    def colour(rng):
        return (rng.randint(40, 190), rng.randint(40, 190), rng.randint(40, 190))

    @staticmethod
    def split(items, parts):
        size, extra = divmod(len(items), parts)
        chunks, start = [], 0
        for i in range(parts):
            end = start + size + (1 if i < extra else 0)
            chunks.append(items[start:end])
            start = end
        return chunks

    def subject_for(self, code, index):
        subjects = self.subjects.get(code)
        return subjects[index % len(subjects)] if subjects else None

    def district_of(self, school):
        return next(d for d in self.districts if d.pk == school.district_id)

    @staticmethod
    def certificate_code(rng):
        # Shaped like volunteers.services.new_certificate_code, but from the seeded generator.
        return codes.code_from_bytes(rng.randbytes(16))
