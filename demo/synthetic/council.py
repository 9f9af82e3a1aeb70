"""A synthetic programme's volunteers, their applications and council, and awards."""

import datetime

from volunteers.models import (
    ApplicationScore,
    Award,
    CouncilMeeting,
    CouncilMember,
    SelectionCriterion,
    Volunteer,
    VolunteerApplication,
)

from . import BATCH

DEMO_APPLICANTS = 210
DEMO_AWARDED = 35
# What a selected volunteer's application says: what the volunteer record holds.
APPLICATION_FIELDS = (
    "last_name", "first_name", "middle_name", "email", "sex", "birth_date", "district", "track",
    "social_status",
)


class CouncilMixin:
    """Volunteers, applicants and the council that chose them."""

    def _volunteers(self, rng, program, tracks, schools):
        vols = []
        serial = 0
        for seed in self.seed_tracks:
            for _ in range(self.n(seed.volunteers, rng)):
                serial += 1
                person = self.person(rng)
                district = rng.choice(schools)[0]
                vols.append(
                    Volunteer(
                        program=program,
                        **person,
                        email=f"v{serial:04d}.{program.code}@volunteer.example.kz",
                        birth_date=datetime.date(
                            self.year - rng.randint(17, 35), rng.randint(1, 12), rng.randint(1, 28)
                        ),
                        phone=f"+7 70{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                        district=district,
                        occupation=rng.choice(["студент", "мұғалім", "магистрант", "маман"]),
                        education=rng.choice(["жоғары", "толық емес жоғары", "орта арнаулы"]),
                        social_status=rng.choices(
                            ["youth", "budget_employee", "unemployed", "ngo", "business", "other"],
                            weights=[60, 20, 8, 5, 5, 2],
                        )[0],
                        track=tracks[seed.code],
                        status=Volunteer.Status.ACTIVE,
                    )
                )
        return Volunteer.objects.bulk_create(vols, batch_size=BATCH)

    def _council(self, rng, program, tracks, volunteers):
        members = CouncilMember.objects.bulk_create(
            [
                CouncilMember(
                    program=program,
                    full_name=self.full_name(self.person(rng)),
                    workplace_position="Сараптамалық кеңес мүшесі",
                    role=CouncilMember.Role.CHAIR if i == 0 else CouncilMember.Role.MEMBER,
                )
                for i in range(5)
            ]
        )
        criteria = SelectionCriterion.objects.bulk_create(
            [
                SelectionCriterion(program=program, order=i, name_kk=name)
                for i, name in enumerate(["Білімі", "Тәжірибесі", "Уәждемесі", "Коммуникациясы"])
            ]
        )
        meetings = CouncilMeeting.objects.bulk_create(
            [
                CouncilMeeting(
                    program=program,
                    number=i + 1,
                    date=datetime.date(self.year, 4 + i, 10),
                    agenda="Волонтерлерді іріктеу" if i < 3 else "Үздік волонтерлерді марапаттау",
                    decisions="Шешім қабылданды",
                )
                for i in range(5)
            ]
        )
        apps = []
        for i, vol in enumerate(volunteers):
            apps.append(
                VolunteerApplication(
                    program=program,
                    **{field: getattr(vol, field) for field in APPLICATION_FIELDS},
                    consent=True,
                    decision=VolunteerApplication.Decision.SELECTED,
                    decided_at=meetings[i % 3],
                    volunteer=vol,
                )
            )
        track_list = list(tracks.values())
        for i in range(max(0, self.n(DEMO_APPLICANTS, rng, 0.1) - len(volunteers))):
            person = self.person(rng)
            apps.append(
                VolunteerApplication(
                    program=program,
                    **person,
                    email=f"a{i:04d}.{program.code}@applicant.example.kz",
                    track=rng.choice(track_list),
                    consent=True,
                    decision=rng.choice(
                        [VolunteerApplication.Decision.RESERVE, VolunteerApplication.Decision.REJECTED]
                    ),
                    decided_at=meetings[i % 3],
                )
            )
        apps = VolunteerApplication.objects.bulk_create(apps, batch_size=BATCH)
        scores = [
            ApplicationScore(
                application=app,
                member=member,
                criterion=criterion,
                score=rng.randint(3, 5) if app.volunteer_id else rng.randint(1, 4),
            )
            for app in apps
            for member in members
            for criterion in criteria
        ]
        ApplicationScore.objects.bulk_create(scores, batch_size=BATCH)
        return meetings

    def _awards(self, rng, program, volunteers, meetings):
        chosen = rng.sample(volunteers, min(len(volunteers), self.n(DEMO_AWARDED, rng, 0.1)))
        Award.objects.bulk_create(
            [
                Award(
                    program=program,
                    volunteer=v,
                    title="Үздік волонтер",
                    awarded_on=datetime.date(self.year, 11, 25),
                    meeting=meetings[-1],
                    certificate_code=f"{program.code}-{v.pk}",
                )
                for v in chosen
            ]
        )
