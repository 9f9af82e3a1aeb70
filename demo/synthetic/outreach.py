"""A synthetic programme's survey, meetings, publications and partners."""

import datetime

from birgemiz.models import InfoWorkGroup, Meeting, Partner, Publication
from surveys.models import Answer, Choice, Question, Survey, SurveyResponse

from . import BATCH

DEMO_SURVEY_RESPONSES = 2641
DEMO_MEETINGS = 36
PUBLICATION_MONTHS = range(3, 12)  # March to November
PERSON_FIELDS = ("sex", "last_name", "first_name", "middle_name")


class OutreachMixin:
    """The needs survey and the information work."""

    def _survey(self, rng, program, tracks, schools, students):
        y = self.year
        survey = Survey.objects.create(
            program=program,
            code=f"{program.code}-needs",
            title_kk="Оқушылардың қажеттіліктері",
            title_ru="Потребности учащихся",
            is_published=False,
            opens=datetime.date(y, 3, 10),
            closes=datetime.date(y, 5, 31),
        )
        question = Question.objects.create(
            survey=survey,
            order=1,
            code="track",
            kind=Question.Kind.MULTIPLE,
            text_kk="Қай бағытта оқығыңыз келеді?",
            text_ru="Какое направление вам интересно?",
        )
        choices = Choice.objects.bulk_create(
            [
                Choice(
                    question=question,
                    order=i,
                    value=t.code,
                    text_kk=t.name_kk,
                    text_ru=t.name_ru,
                    track=t,
                )
                for i, t in enumerate(tracks.values())
            ]
        )
        responses = []
        count = self.n(DEMO_SURVEY_RESPONSES, rng, 0.1)
        for i in range(count):
            # Most enrolled students answered the survey first.
            student = students[i] if i < len(students) and rng.random() < 0.9 else None
            if student is not None:
                person = {field: getattr(student, field) for field in PERSON_FIELDS}
                school = student.school
            else:
                person = self.person(rng)
                school = rng.choice(schools)[1]
            responses.append(
                SurveyResponse(
                    survey=survey,
                    code=f"R{i + 1:05d}",
                    **person,
                    grade=rng.choice([8, 9, 10, 11]),
                    district_id=school.district_id,
                    school=school,
                    identity_key=f"{program.code}-{i + 1:05d}",
                    student=student,
                )
            )
        responses = SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)
        answers = []
        for response in responses:
            for choice in rng.sample(choices, rng.randint(1, 2)):
                answers.append(Answer(response=response, question=question, choice=choice))
        Answer.objects.bulk_create(answers, batch_size=BATCH)
        self.summary.survey_responses += len(responses)

    def _outreach(self, rng, program, activities, schools):
        y = self.year
        meetings = []
        for i in range(self.n(DEMO_MEETINGS, rng, 0.2)):
            district, school = rng.choice(schools)
            meetings.append(
                Meeting(
                    program=program,
                    activity=activities[(1, 1)],
                    date=datetime.date(y, 3 + i % 3, 2 + (i * 3) % 26),
                    place=school.settlement or district.name_kk,
                    district=district,
                    audience="Мектеп оқушылары, ата-аналар",
                    participants=rng.randint(10, 30),
                    has_protocol=rng.random() < 0.97,
                    has_participant_list=True,
                )
            )
        Meeting.objects.bulk_create(meetings)
        groups = InfoWorkGroup.objects.bulk_create(
            [
                InfoWorkGroup(program=program, number=1, title_kk="Волонтерларды іріктеу және оқыту"),
                InfoWorkGroup(
                    program=program, number=2, title_kk="Білім беру бағыттары бойынша оқыту курстары"
                ),
                InfoWorkGroup(program=program, number=3, title_kk="Қорытынды шара"),
            ]
        )
        pubs = []
        outlets = [
            "Qazvolunteer.kz",
            "Instagram",
            "Facebook",
            "Облыстық газет",
            "jastar.online",
            "YouTube",
        ]
        # Some grantees miss the 2-a-month rule in a month or two: the dashboard should show it.
        sloppy = rng.random() < 0.4
        for month in PUBLICATION_MONTHS:
            count = rng.choice([2, 2, 3, 3, 4])
            if sloppy and rng.random() < 0.3:
                count = rng.choice([0, 1])
            for k in range(count):
                kind = rng.choices(["post", "newspaper", "video", "interview"], weights=[70, 10, 15, 5])[
                    0
                ]
                group = groups[0] if month < 6 else groups[1] if month < 11 else groups[2]
                pubs.append(
                    Publication(
                        program=program,
                        group=group,
                        activity=activities[(1, 1)] if month < 6 else None,
                        kind=kind,
                        outlet=rng.choice(outlets),
                        title=f"«Birgemiz: Bilim»: {program.region.name_kk}, {month:02d}.{y} ({k + 1})",
                        language=rng.choice(["kk", "kk", "both", "ru"]),
                        date=datetime.date(y, month, 3 + 9 * k % 25),
                        url=f"https://news.example.kz/{program.code}/{month}-{k}",
                        views=rng.randint(100, 3000) if kind == "video" else None,
                    )
                )
        for g in groups[:1] + groups[2:]:
            pubs.append(
                Publication(
                    program=program,
                    group=g,
                    kind="banner",
                    outlet="Instagram",
                    title=f"Баннер: {g.title_kk}",
                    date=datetime.date(y, 4 if g.number == 1 else 11, 1),
                )
            )
        Publication.objects.bulk_create(pubs)
        Partner.objects.bulk_create(
            [
                Partner(
                    program=program,
                    order=i,
                    name=name,
                    role="Жобаның облыста жүзеге асуына қолдау көрсету",
                )
                for i, name in enumerate(
                    [
                        f"{program.region.name_kk} білім басқармасы",
                        f"{program.region.name_kk} ішкі саясат басқармасы",
                        f"{program.region.name_kk} жастар ресурстық орталығы",
                        "Qazvolunteer.kz",
                        "Аудандық білім бөлімдері",
                    ][: rng.randint(3, 5)]
                )
            ]
        )
