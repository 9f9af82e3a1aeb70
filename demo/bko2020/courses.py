"""The students, their course groups, enrollments, lessons and attendance."""

import datetime
from decimal import Decimal

from courses.models import Attendance, CourseGroup, Enrollment, Lesson, Student

from ..names import bko_name
from . import content
from .base import BATCH, aware, birth_for_age


class CoursesMixin:
    """The 1 618 students, one course group per volunteer, and every lesson and attendance mark."""

    def make_students(self):
        rng = self.rng("students")
        total = sum(f.students for f in self.track_figures.values())
        sexes = ["M"] * 535 + ["F"] * (total - 535)
        rng.shuffle(sexes)
        low_income = set(rng.sample(range(total), 319))
        children = set(rng.sample(range(total), 16))
        district_weights = [1.0] * len(self.rural) + [0.15]
        district_pool = self.rural + [self.city]
        grade_plans = {
            "unt": [11] * 280 + [10] * 120 + [9] * 45 + [8] * 24,
        }
        ages = {8: [13, 13, 13, 14, 14], 9: [14, 14, 14, 15, 15], 10: [15, 15, 15, 16, 16], 11: [16]}
        students = []
        self.students_by_track = {}
        index = 0
        for code, figures in self.track_figures.items():
            n = figures.students
            grades = grade_plans.get(code) or rng.choices([8, 9, 10, 11], [25, 30, 30, 15], k=n)
            grades = list(grades)
            rng.shuffle(grades)
            track_students = []
            for k in range(n):
                sex = sexes[index]
                grade = grades[k]
                named = content.NAMED_STUDENTS[k] if code == "olympiad" and k < 3 else None
                if named:
                    last, first, sex = named
                    middle, grade = "", 10
                else:
                    last, first, middle = bko_name(rng, sex)
                birth = birth_for_age(rng, rng.choice(ages[grade]))
                district = rng.choices(district_pool, district_weights)[0]
                school = rng.choice(self.schools[district.pk])
                student = Student(
                    program=self.program,
                    code=f"BKO20-{index + 1:04d}",
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    iin=self.new_iin(rng, birth, sex) if rng.random() < 0.92 else "",
                    sex=sex,
                    birth_date=birth,
                    grade=grade,
                    school=school,
                    language="kk" if rng.random() < 0.85 else "ru",
                    low_income=index in low_income,
                    social_status="child" if index in children else "other",
                    phone=self.phone(rng) if rng.random() < 0.6 else "",
                    parent_consent=True,
                )
                track_students.append(student)
                students.append(student)
                index += 1
            self.students_by_track[code] = track_students
        # The three named olympiad students are girls; keep the 535 / 1 083 split exact.
        boys = sum(s.sex == "M" for s in students)
        for s in students:
            if boys == 535:
                break
            if (
                s.sex == "F"
                and boys < 535
                and (s.last_name, s.first_name)
                not in {(last, first) for last, first, _ in content.NAMED_STUDENTS}
            ):
                s.sex, boys = "M", boys + 1
                s.last_name, s.first_name, s.middle_name = bko_name(rng, "M")
                if s.iin:
                    self.iins.discard(s.iin)
                    s.iin = self.new_iin(rng, s.birth_date, "M")
        students[0].full_clean()
        Student.objects.bulk_create(students, batch_size=BATCH)
        self.students = students

    def make_groups_and_lessons(self):
        rng = self.rng("lessons")
        short = {
            "english": "Ағылшын",
            "computer": "Компьютер",
            "unt": "ҰБТ",
            "law": "Құқық",
            "olympiad": "Олимпиада",
        }
        schedules = ["Дс, Ср, Жм 16:00", "Сс, Бс 17:00", "Дс, Бс 15:00", "Ср, Сн 18:00", "Сс, Жм 16:30"]
        platforms = ["zoom", "zoom", "zoom", "whatsapp", "whatsapp", "youtube", "meet"]
        demo_volunteer = self.volunteers[self.demo_volunteer_index]
        groups = []
        members = {}
        for code, vols in self.volunteers_by_track.items():
            chunks = self.split(self.students_by_track[code], len(vols))
            if code == "olympiad":
                # The named students (first chunk) belong to Медет Есетович's physics group.
                chunks[0], chunks[1] = chunks[1], chunks[0]
            for i, (v, chunk) in enumerate(zip(vols, chunks, strict=True)):
                subject = self.subject_for(code, i)
                name = f"{short[code]} {i + 1:02d}" + (f" · {subject.name_kk}" if subject else "")
                group = CourseGroup(
                    program=self.program,
                    track=self.tracks[code],
                    subject=subject,
                    volunteer=v,
                    name=name,
                    schedule=f"{rng.choice(schedules)}, онлайн",
                    capacity=25,
                )
                groups.append(group)
                members[name] = (code, chunk)
        groups[0].full_clean()
        CourseGroup.objects.bulk_create(groups)
        self.groups = groups
        enrollments, lessons, lesson_members = [], [], []
        for group in groups:
            code, chunk = members[group.name]
            start, end = content.TRACK_WINDOWS[code]
            for s in chunk:
                enrollments.append(
                    Enrollment(
                        group=group,
                        student=s,
                        status=Enrollment.Status.COMPLETED,
                        enrolled_on=start - datetime.timedelta(days=3),
                    )
                )
            count = int(self.track_figures[code].hours) // 2
            offset = rng.randint(0, 2)
            span = (end - start).days - 2
            topics = content.TOPICS[code]
            own = group.volunteer_id == demo_volunteer.pk
            for k in range(count):
                day = start + datetime.timedelta(days=offset + round(k * span / max(count - 1, 1)))
                topic = topics[k % len(topics)]
                if group.subject:
                    topic = f"{group.subject.name_kk}: {topic}"
                lessons.append(
                    Lesson(
                        group=group,
                        date=day,
                        hours=Decimal("2.0"),
                        topic=topic,
                        platform=rng.choice(platforms),
                        status=Lesson.Status.CONFIRMED,
                        logged_by=self.users["volunteer"] if own else None,
                        reviewed_by=self.users["coordinator"],
                        reviewed_at=aware(day + datetime.timedelta(days=1)),
                    )
                )
                lesson_members.append(chunk)
        enrollments[0].full_clean()
        Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
        lessons[0].full_clean()
        Lesson.objects.bulk_create(lessons, batch_size=BATCH)
        attendance = [
            Attendance(lesson=lesson, student=s, present=rng.random() < 0.9)
            for lesson, chunk in zip(lessons, lesson_members, strict=True)
            for s in chunk
        ]
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        self.enrolled_group = {e.student_id: e.group for e in enrollments}
