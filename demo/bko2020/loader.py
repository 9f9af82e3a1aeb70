"""Writes the 2020 West Kazakhstan demo programme (`bko-2020`) as individual records.

Every figure of the seed report comes out of these records through the same queries
the report uses: students and volunteers per track, pre/post means, demographics,
meetings, survey responses, council, awards, publications, partners. Records are
generated with fixed random seeds, so two loads on empty databases are identical
(apart from primary keys, timestamps and the random names of evidence files).

`DemoLoader` is put together from one part per topic (geography, programme, outreach,
council, courses, scores, survey, evidence); `run` calls them in the order the records
depend on each other, each part drawing from its own seeded generator.
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction

from birgemiz import roles
from birgemiz.audit import record_bulk
from birgemiz.models import AuditEntry, Program
from volunteers.models import CouncilMember

from ..purge import delete_files, program_purge
from . import DEMO_PASSWORD, PROGRAM_CODE
from .base import LoaderBase
from .council import CouncilMixin
from .courses import CoursesMixin
from .evidence import EvidenceMixin
from .geography import GeographyMixin
from .outreach import OutreachMixin
from .programme import ProgrammeMixin
from .scores import ScoresMixin
from .survey import SurveyMixin

DEMO_USERS = [
    # username, role, is_staff, where to go
    ("coordinator", roles.COORDINATOR, True, "/admin/"),
    ("volunteer", roles.VOLUNTEER, False, "/portal/"),
    ("council", roles.COUNCIL, False, "/council/"),
    ("officer", roles.OFFICER, True, "/dashboard/"),
]


class DemoRefused(Exception):
    """`load_demo` would touch something it did not create."""


def foreign_programs():
    """Programmes that neither `load_demo` nor the synthetic generator wrote: people's data."""
    return Program.objects.filter(is_demo=False, is_synthetic=False)


def load_demo(*, reset=False, force=False):
    """Create `bko-2020`; return it, or None when it exists and `reset` is false.

    It refuses (DemoRefused) when the database holds a programme people made, unless
    `force`, and always when a programme coded `bko-2020` exists that it did not write.
    `reset` deletes only the demo's own programme, with an audit entry per row.
    One transaction: either the whole programme is there or nothing is. Files saved
    before a failure are removed; the files of a reset programme go after the commit.
    """
    with transaction.atomic():
        existing = Program.objects.filter(code=PROGRAM_CODE).first()
        if existing is not None and not existing.is_demo:
            raise DemoRefused(
                f"A programme coded {PROGRAM_CODE} exists and was not written by load_demo; "
                "it is left alone."
            )
        others = foreign_programs().exclude(code=PROGRAM_CODE)
        if others.exists() and not force:
            codes = ", ".join(others.order_by("code").values_list("code", flat=True)[:5])
            raise DemoRefused(
                f"The database holds programmes that load_demo did not create ({codes}); "
                "the demo is for an empty or development database. Use --force to load it beside them."
            )
        if existing is not None and not reset:
            return None
        old_files = program_purge(existing) if existing is not None else []
        loader = DemoLoader()
        try:
            program = loader.run()
        except BaseException:
            loader.discard_files()
            raise
        transaction.on_commit(lambda: delete_files(old_files))
    return program


def logins():
    """(username, role, where to go) of the demo users."""
    return [(username, role, where) for username, role, _staff, where in DEMO_USERS]


class DemoLoader(
    GeographyMixin,
    ProgrammeMixin,
    OutreachMixin,
    CouncilMixin,
    CoursesMixin,
    ScoresMixin,
    SurveyMixin,
    EvidenceMixin,
    LoaderBase,
):
    """One load of the demo: `run` once, on a database without `bko-2020`."""

    def run(self):
        self.make_users()
        self.make_geography()
        self.make_program()
        self.make_narratives()
        self.make_tasks()
        self.make_tracks()
        self.make_indicators()
        self.make_partners()
        self.make_socio_economic()
        self.make_information_work()
        self.make_publications()
        self.make_meetings()
        self.make_council()
        self.make_volunteers()
        self.make_applications()
        self.make_trainings()
        self.make_students()
        self.make_groups_and_lessons()
        self.make_test_results()
        self.make_unt_and_contests()
        self.make_survey()
        self.make_awards()
        self.make_documents()
        self.link_users()
        record_bulk(
            Program,
            self.program.pk,
            AuditEntry.Action.CREATE,
            [self.program],
            note="demo programme loaded by load_demo",
        )
        self.program.kept_users = self.kept_users
        return self.program

    def make_users(self):
        """The demo users; a user that already exists is used as it is (its password,
        staff status and groups are never changed: it may be a real person's account)."""
        self.users = {}
        self.kept_users = []
        # One hash for the four: the password is published anyway, and each PBKDF2 run costs seconds.
        hashed = make_password(DEMO_PASSWORD)
        for username, role, staff, _where in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is not None:
                self.kept_users.append(username)
            else:
                user = User.objects.create(
                    username=username,
                    email=f"{username}@demo.birgemiz.kz",
                    is_staff=staff,
                    is_active=True,
                    password=hashed,
                )
                user.groups.set([Group.objects.get(name=role)])
            self.users[username] = user

    def link_users(self):
        volunteer = self.volunteers[self.demo_volunteer_index]
        volunteer.user = self.users["volunteer"]
        volunteer.save(update_fields=["user"])
        user = self.users["volunteer"]
        if "volunteer" not in self.kept_users:
            user.first_name, user.last_name = volunteer.first_name, volunteer.last_name
            user.save(update_fields=["first_name", "last_name"])
        chair = next(m for m in self.council if m.role == CouncilMember.Role.CHAIR)
        chair.user = self.users["council"]
        chair.save(update_fields=["user"])
