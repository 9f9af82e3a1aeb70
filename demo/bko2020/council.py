"""The expert council, the volunteers, their applications, trainings and awards."""

import datetime
from decimal import Decimal

from assessments.models import TestResult
from volunteers.models import (
    ApplicationScore,
    Award,
    Certificate,
    CouncilMeeting,
    CouncilMember,
    SelectionCriterion,
    Trainer,
    TrainingEvent,
    Volunteer,
    VolunteerApplication,
)

from ..names import bko_name
from ..seed import read_csv
from . import content, files, volunteering
from .base import BATCH, birth_for_age

# What a selected volunteer's application says: what the volunteer record holds.
APPLICATION_FIELDS = (
    "last_name", "first_name", "middle_name", "email", "phone", "iin", "sex", "birth_date",
    "district", "education", "occupation", "social_status", "track",
)


class CouncilMixin:
    """The volunteers' side: who chose them, who they are, how they were trained and thanked."""

    def make_council(self):
        members = [
            CouncilMember(
                program=self.program,
                full_name=r["name"],
                workplace_position=r["workplace_position"],
                role=CouncilMember.Role.CHAIR if r["role"] == "chair" else CouncilMember.Role.MEMBER,
            )
            for r in read_csv("council_members.csv")
        ]
        self.council = CouncilMember.objects.bulk_create(members)
        self.criteria = SelectionCriterion.objects.bulk_create(
            [
                SelectionCriterion(program=self.program, order=i, name_kk=kk, name_ru=ru)
                for i, (kk, ru) in enumerate(volunteering.SELECTION_CRITERIA, start=1)
            ]
        )
        self.council_meetings = []
        through = CouncilMeeting.attendees.through
        links = []
        for number, (day, agenda, decisions) in enumerate(volunteering.COUNCIL_MEETINGS, start=1):
            meeting = CouncilMeeting(
                program=self.program, number=number, date=day, agenda=agenda, decisions=decisions
            )
            self.save_file(
                meeting.minutes,
                f"bko-2020-council-{number}.pdf",
                files.pdf(f"Birgemiz: Bilim, BKO 2020 - expert council minutes No {number}, {day}"),
            )
            meeting.save()
            self.council_meetings.append(meeting)
            # Байбатыров missed the fourth meeting; every other meeting had all five.
            present = [m for m in self.council if not (number == 4 and m.full_name.startswith("Байбатыров"))]
            links += [through(councilmeeting=meeting, councilmember=m) for m in present]
        through.objects.bulk_create(links)

    def make_volunteers(self):
        rng = self.rng("volunteers")
        slots = [code for code, figures in self.track_figures.items() for _ in range(figures.volunteers)]
        profiles = [
            (bracket, status)
            for bracket, status, count in volunteering.VOLUNTEER_PROFILE
            for _ in range(count)
        ]
        assert len(slots) == len(profiles) == 110
        rng.shuffle(profiles)
        # The two volunteers the seed names: Медет Есетович (olympiads, a teacher) and
        # Лұқпанова Гүлбарам (English, a student), who spoke at the final event.
        self.medet_index = slots.index("olympiad") + 1
        self.lukpanova_index = slots.index("english")
        self.demo_volunteer_index = slots.index("english") + 1
        for index, wanted in (
            (self.medet_index, ((33, 45), "budget_employee")),
            (self.lukpanova_index, ((17, 22), "youth")),
        ):
            j = profiles.index(wanted)
            profiles[index], profiles[j] = profiles[j], profiles[index]
        sexes = ["M"] * 30 + ["F"] * 80
        rng.shuffle(sexes)
        for index, sex in ((self.medet_index, "M"), (self.lukpanova_index, "F")):
            if sexes[index] != sex:
                j = next(
                    k
                    for k, s in enumerate(sexes)
                    if s == sex and k not in (self.medet_index, self.lukpanova_index)
                )
                sexes[index], sexes[j] = sexes[j], sexes[index]
        # 35 awarded at the final event: the two named ones and 33 others.
        others = [i for i in range(110) if i not in (self.medet_index, self.lukpanova_index)]
        self.awarded = set(rng.sample(others, 33)) | {self.medet_index, self.lukpanova_index}

        volunteers = []
        for i, (code, ((lo, hi), status), sex) in enumerate(zip(slots, profiles, sexes, strict=True)):
            if i == self.medet_index:
                last, first, middle = "Жұмағалиев", "Медет", "Есетович"
            elif i == self.lukpanova_index:
                last, first, middle = "Лұқпанова", "Гүлбарам", "Елтайқызы"
            else:
                last, first, middle = bko_name(rng, sex)
            birth = birth_for_age(rng, rng.randint(lo, hi))
            district = self.city if status == "youth" and rng.random() < 0.6 else rng.choice(self.districts)
            education = volunteering.EDUCATION.get(status) or rng.choice(["жоғары", "жоғары", "орта арнаулы"])
            volunteers.append(
                Volunteer(
                    program=self.program,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    email=self.new_email(rng, first, last),
                    iin=self.new_iin(rng, birth, sex),
                    sex=sex,
                    birth_date=birth,
                    phone=self.phone(rng),
                    district=district,
                    occupation=rng.choice(volunteering.OCCUPATIONS[status]),
                    education=education,
                    social_status=status,
                    track=self.tracks[code],
                    status=Volunteer.Status.AWARDED if i in self.awarded else Volunteer.Status.ACTIVE,
                )
            )
        volunteers[0].full_clean()
        self.volunteers = Volunteer.objects.bulk_create(volunteers)
        self.volunteers_by_track = {
            code: [v for v in self.volunteers if v.track_id == t.pk] for code, t in self.tracks.items()
        }

    def make_applications(self):
        rng = self.rng("applications")
        meeting_for = {code: self.council_meetings[i] for code, i in volunteering.SELECTION_MEETING.items()}
        apps = []
        for code, vols in self.volunteers_by_track.items():
            for index, v in enumerate(vols):
                subject = self.subject_for(code, index)
                apps.append(
                    VolunteerApplication(
                        program=self.program,
                        **{field: getattr(v, field) for field in APPLICATION_FIELDS},
                        subjects=subject.name_kk if subject else "",
                        motivation=rng.choice(volunteering.MOTIVATIONS),
                        consent=True,
                        decision=VolunteerApplication.Decision.SELECTED,
                        decided_at=meeting_for[code],
                        volunteer=v,
                    )
                )
        codes = list(self.track_figures)
        weights = [30, 12, 35, 15, 8]
        for i in range(126):
            code = rng.choices(codes, weights)[0]
            sex = "F" if rng.random() < 0.7 else "M"
            last, first, middle = bko_name(rng, sex)
            age = rng.choice([18, 19, 20, 21, 22, 23, 25, 28, 31, 36])
            birth = birth_for_age(rng, age)
            status = rng.choice(["youth", "youth", "youth", "unemployed", "other", "budget_employee"])
            subject = self.subject_for(code, rng.randrange(13))
            apps.append(
                VolunteerApplication(
                    program=self.program,
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    email=self.new_email(rng, first, last),
                    phone=self.phone(rng),
                    iin=self.new_iin(rng, birth, sex) if rng.random() < 0.8 else "",
                    sex=sex,
                    birth_date=birth,
                    district=rng.choice(self.districts),
                    education="аяқталмаған жоғары"
                    if status == "youth"
                    else rng.choice(["жоғары", "орта арнаулы"]),
                    occupation=rng.choice(volunteering.OCCUPATIONS[status]),
                    social_status=status,
                    track=self.tracks[code],
                    subjects=subject.name_kk if subject else "",
                    motivation=rng.choice(volunteering.MOTIVATIONS),
                    consent=True,
                    decision=VolunteerApplication.Decision.RESERVE
                    if i % 4 == 0
                    else VolunteerApplication.Decision.REJECTED,
                    decided_at=meeting_for[code],
                )
            )
        apps[0].full_clean()
        apps = VolunteerApplication.objects.bulk_create(apps, batch_size=BATCH)
        pools = {
            VolunteerApplication.Decision.SELECTED: [3, 4, 4, 5, 5, 5],
            VolunteerApplication.Decision.RESERVE: [2, 3, 3, 4, 4, 5],
            VolunteerApplication.Decision.REJECTED: [1, 2, 2, 3, 3, 4],
        }
        scores = [
            ApplicationScore(
                application=app, member=member, criterion=criterion, score=rng.choice(pools[app.decision])
            )
            for app in apps
            for member in self.council
            for criterion in self.criteria
        ]
        ApplicationScore.objects.bulk_create(scores, batch_size=BATCH)

    def make_trainings(self):
        rng = self.rng("trainings")
        trainers = {}
        through = Trainer.tracks.through
        links = []
        for r in read_csv("trainers.csv"):
            trainer = Trainer.objects.create(
                program=self.program, full_name=r["name"], workplace_position=r["workplace_position"]
            )
            trainers[r["name"].split()[0]] = trainer
            for name in filter(None, (p.strip() for p in r["track"].split(";"))):
                links += [
                    through(trainer=trainer, track=self.tracks[code])
                    for code in volunteering.TRAINER_TRACKS[name]
                ]
        through.objects.bulk_create(links)
        attend = TrainingEvent.attendees.through
        rows = []
        for codes, first_day in volunteering.TRAINING_WAVES:
            wave = [v for code in codes for v in self.volunteers_by_track[code]]
            for k, (surname, title, platform) in enumerate(volunteering.COMMON_TRAININGS):
                event = TrainingEvent.objects.create(
                    program=self.program,
                    trainer=trainers[surname],
                    title=title,
                    date=first_day + datetime.timedelta(days=2 * k),
                    platform=platform,
                )
                rows += [attend(trainingevent=event, volunteer=v) for v in wave if rng.random() < 0.95]
        for surname, code, title, day, platform in volunteering.TRACK_TRAININGS:
            event = TrainingEvent.objects.create(
                program=self.program,
                track=self.tracks[code],
                trainer=trainers[surname],
                title=title,
                date=day,
                platform=platform,
            )
            rows += [attend(trainingevent=event, volunteer=v) for v in self.volunteers_by_track[code]]
        attend.objects.bulk_create(rows, batch_size=BATCH)
        # The volunteers' own pre/post test of their training, filed under their track as
        # volunteers.services.volunteer_test_set does.
        self.volunteer_tests = []
        wave_day = {code: day for codes, day in volunteering.TRAINING_WAVES for code in codes}
        for v in self.volunteers:
            code = next(c for c, t in self.tracks.items() if t.pk == v.track_id)
            pre = max(20, min(95, round(rng.gauss(62, 11))))
            post = max(pre, min(100, pre + round(rng.gauss(22, 6))))
            for kind, score, day in (
                ("pre", pre, wave_day[code]),
                ("post", post, content.TRACK_WINDOWS[code][0] - datetime.timedelta(days=3)),
            ):
                self.volunteer_tests.append(
                    TestResult(
                        program=self.program,
                        volunteer=v,
                        track_id=v.track_id,
                        kind=kind,
                        score=Decimal(score),
                        taken_on=day,
                        source=TestResult.Source.TYPED,
                    )
                )

    def make_awards(self):
        """Training certificates for all 110, and the 35 awards (with their certificates) of 7 November."""
        rng = self.rng("awards")
        issued = {code: content.TRACK_WINDOWS[code][0] - datetime.timedelta(days=3) for code in self.tracks}
        code_of = {t.pk: code for code, t in self.tracks.items()}
        certificates = [
            Certificate(
                program=self.program,
                volunteer=v,
                kind=Certificate.Kind.TRAINING,
                code=self.certificate_code(rng),
                issued_on=issued[code_of[v.track_id]],
            )
            for v in self.volunteers
        ]
        meeting = self.council_meetings[-1]
        day = datetime.date(2020, 11, 7)
        awards = [
            Award(
                program=self.program,
                volunteer=v,
                title="«Birgemiz: Bilim» жобасының үздік волонтері",
                awarded_on=day,
                meeting=meeting,
                certificate_code=self.certificate_code(rng),
            )
            for i, v in enumerate(self.volunteers)
            if i in self.awarded
        ]
        awards[0].full_clean()
        Award.objects.bulk_create(awards)
        certificates += [
            Certificate(
                program=self.program,
                volunteer_id=a.volunteer_id,
                kind=Certificate.Kind.AWARD,
                award=a,
                code=a.certificate_code,
                issued_on=day,
            )
            for a in awards
        ]
        certificates[-1].full_clean()
        Certificate.objects.bulk_create(certificates)
