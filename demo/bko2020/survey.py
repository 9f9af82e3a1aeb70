"""The needs survey: its questions and choices, and 2 641 responses (every student of
the programme and the pupils who answered but did not enrol); and the survey for the next
school year, open with no end date and no answers yet, for a newcomer to fill in."""

from django.utils import translation

from courses.models import Student
from surveys.models import Answer, Choice, Question, Survey, SurveyResponse
from surveys.services import identity_key

from ..names import bko_name
from . import content
from .base import BATCH, birth_for_age

RESPONSES = 2641

# code, kind, kk, ru, required
QUESTIONS = [
    ("district", Question.Kind.DISTRICT, "Ауданыңыз", "Ваш район", True),
    ("school", Question.Kind.SCHOOL, "Мектебіңіз", "Ваша школа", True),
    ("grade", Question.Kind.SINGLE, "Сыныбыңыз", "Ваш класс", True),
    (
        "tracks",
        Question.Kind.MULTIPLE,
        "Қай бағыттар бойынша оқығыңыз келеді?",
        "По каким направлениям вы хотите учиться?",
        True,
    ),
    (
        "unt-subjects",
        Question.Kind.MULTIPLE,
        "ҰБТ-ға қай пәндерден дайындалғыңыз келеді?",
        "К каким предметам ЕНТ вы хотите готовиться?",
        False,
    ),
    ("wishes", Question.Kind.TEXT, "Тілектеріңіз", "Ваши пожелания", False),
]

# The follow-up survey, open from the programme's end: the same questions but the grade
# (asked once, by the form itself) and the ҰБТ subjects.
NEXT_SURVEY = {
    "code": "bko-2021-next",
    "title_kk": "Келесі оқу жылына қандай тегін курстар керек?",
    "title_ru": "Какие бесплатные курсы нужны в следующем учебном году?",
    "intro_kk": "«Birgemiz: Bilim» жобасын жалғастыру үшін ауыл оқушыларының тілектерін жинаймыз.",
    "intro_ru": "Собираем пожелания сельских школьников, чтобы продолжить проект «Birgemiz: Bilim».",
}
NEXT_QUESTIONS = ("district", "school", "tracks", "wishes")

# The choices' values for the ҰБТ subjects, in unt_subjects.csv order.
UNT_SUBJECT_VALUES = [
    "math",
    "kazakh-language",
    "kazakh-literature",
    "history-of-kazakhstan",
    "world-history",
    "biology",
    "geography",
    "foreign-language",
    "chemistry",
    "reading-literacy",
    "mathematical-literacy",
    "man-society-law",
    "physics",
]

# What a response copies from its respondent.
RESPONDENT_FIELDS = (
    "last_name", "first_name", "middle_name", "iin", "sex", "birth_date", "grade", "school",
    "phone", "language",
)

# How likely a pupil ticks a track: one who did not enrol, and a student besides their own track.
INTEREST = {"unt": 0.55, "english": 0.5, "computer": 0.3, "law": 0.2, "olympiad": 0.1}
ALSO = {"unt": 0.35, "english": 0.3, "computer": 0.15, "law": 0.12, "olympiad": 0.06}


class SurveyMixin:
    """The survey that found what rural pupils wanted to learn."""

    def make_survey(self):
        rng = self.rng("survey")
        survey = Survey.objects.create(program=self.program, is_published=True, **content.SURVEY)
        questions, choices = self.survey_questions(survey)
        respondents = self.survey_respondents(rng)
        responses, plans = self.survey_responses(rng, survey, respondents)
        self.survey_answers(questions, choices, responses, plans)
        self.make_next_survey()

    def make_next_survey(self):
        survey = Survey.objects.create(
            program=self.program, is_published=True, opens=self.program.end, closes=None, **NEXT_SURVEY
        )
        asked = [row for row in QUESTIONS if row[0] in NEXT_QUESTIONS]
        q = {}
        for order, (code, kind, kk, ru, required) in enumerate(asked, start=1):
            q[code] = Question.objects.create(
                survey=survey, order=order, code=code, kind=kind, text_kk=kk, text_ru=ru, required=required
            )
        Choice.objects.bulk_create(
            Choice(question=q["tracks"], order=i, value=code, text_kk=t.name_kk, text_ru=t.name_ru, track=t)
            for i, (code, t) in enumerate(self.tracks.items(), start=1)
        )

    def survey_questions(self, survey):
        """The questions by code, and the choices by question code and value."""
        q = {}
        for order, (code, kind, kk, ru, required) in enumerate(QUESTIONS, start=1):
            q[code] = Question.objects.create(
                survey=survey, order=order, code=code, kind=kind, text_kk=kk, text_ru=ru, required=required
            )
        grade_choices = {
            g: Choice(question=q["grade"], order=g, value=str(g), text_kk=f"{g}-сынып", text_ru=f"{g} класс")
            for g in (8, 9, 10, 11)
        }
        track_choices = {
            code: Choice(
                question=q["tracks"], order=i, value=code, text_kk=t.name_kk, text_ru=t.name_ru, track=t
            )
            for i, (code, t) in enumerate(self.tracks.items(), start=1)
        }
        unt = zip(self.subjects["unt"], UNT_SUBJECT_VALUES, strict=True)
        subject_choices = {
            subj.pk: Choice(
                question=q["unt-subjects"],
                order=i,
                value=value,
                text_kk=subj.name_kk,
                text_ru=subj.name_ru,
                track=self.tracks["unt"],
                subject=subj,
            )
            for i, (subj, value) in enumerate(unt, start=1)
        }
        Choice.objects.bulk_create(
            [*grade_choices.values(), *track_choices.values(), *subject_choices.values()]
        )
        return q, {"grade": grade_choices, "tracks": track_choices, "unt-subjects": subject_choices}

    def survey_respondents(self, rng):
        """(person, student or None, own track code, own subject), shuffled: the students
        first, then pupils (unsaved `Student`s, for their fields) up to RESPONSES."""
        respondents = []
        for code, students in self.students_by_track.items():
            for st in students:
                group = self.enrolled_group[st.pk]
                respondents.append((st, st, code, group.subject))
        ages = {8: [13, 14], 9: [14, 15], 10: [15, 16], 11: [16]}
        pool = self.rural + [self.city]
        for _i in range(RESPONSES - len(respondents)):
            sex = "F" if rng.random() < 0.62 else "M"
            last, first, middle = bko_name(rng, sex)
            grade = rng.choice([8, 9, 9, 10, 10, 11, 11])
            birth = birth_for_age(rng, rng.choice(ages[grade]))
            district = rng.choices(pool, [1.0] * len(self.rural) + [0.15])[0]
            person = Student(
                last_name=last,
                first_name=first,
                middle_name=middle,
                sex=sex,
                birth_date=birth,
                grade=grade,
                school=rng.choice(self.schools[district.pk]),
                iin=self.new_iin(rng, birth, sex) if rng.random() < 0.85 else "",
                phone=self.phone(rng) if rng.random() < 0.5 else "",
                language="kk" if rng.random() < 0.85 else "ru",
            )
            respondents.append((person, None, None, None))
        rng.shuffle(respondents)
        return respondents

    def survey_responses(self, rng, survey, respondents):
        """The saved responses, and for each what it answers: (district, school, grade,
        track codes, ҰБТ subjects, wish)."""
        responses, plans = [], []
        keys = set()
        for n, (p, student, own, own_subject) in enumerate(respondents, start=1):
            key = identity_key(
                iin=p.iin,
                last_name=p.last_name,
                first_name=p.first_name,
                school_id=p.school_id,
                birth_date=p.birth_date,
            )
            assert key not in keys
            keys.add(key)
            district = self.district_of(p.school)
            responses.append(
                SurveyResponse(
                    survey=survey,
                    code=f"BKO20-S{n:04d}",
                    **{field: getattr(p, field) for field in RESPONDENT_FIELDS},
                    district=district,
                    identity_key=key,
                    consent=True,
                    student=student,
                )
            )
            if own:
                chosen = [c for c in self.tracks if c == own or rng.random() < ALSO[c]]
            else:
                chosen = [c for c in self.tracks if rng.random() < INTEREST[c]] or [
                    rng.choice(["unt", "english"])
                ]
            subjects = []
            if "unt" in chosen:
                subjects = rng.sample(self.subjects["unt"], rng.randint(1, 3))
                if own_subject and own == "unt" and own_subject not in subjects:
                    subjects[0] = own_subject
            wish = rng.choice(content.SURVEY_WISHES) if rng.random() < 0.25 else ""
            plans.append((district, p.school, p.grade, chosen, subjects, wish))
        responses[0].full_clean()
        SurveyResponse.objects.bulk_create(responses, batch_size=BATCH)
        return responses, plans

    def survey_answers(self, q, choices, responses, plans):
        answers = []
        # District and school answers are their names, as surveys.services writes them.
        with translation.override("kk"):
            labels = {d.pk: str(d) for d in self.districts}
            labels.update({("school", sc.pk): str(sc) for scs in self.schools.values() for sc in scs})
        for response, (district, school, grade, chosen, subjects, wish) in zip(responses, plans, strict=True):
            answers.append(Answer(response=response, question=q["district"], text=labels[district.pk]))
            answers.append(
                Answer(response=response, question=q["school"], text=labels[("school", school.pk)])
            )
            answers.append(Answer(response=response, question=q["grade"], choice=choices["grade"][grade]))
            answers += [
                Answer(response=response, question=q["tracks"], choice=choices["tracks"][c]) for c in chosen
            ]
            answers += [
                Answer(response=response, question=q["unt-subjects"], choice=choices["unt-subjects"][s.pk])
                for s in subjects
            ]
            if wish:
                answers.append(Answer(response=response, question=q["wishes"], text=wish))
        Answer.objects.bulk_create(answers, batch_size=2000)
