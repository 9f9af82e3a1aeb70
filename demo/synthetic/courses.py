"""A synthetic programme's students, groups, lessons, attendance and tests."""

import datetime
from decimal import Decimal

from assessments.models import TestResult, UntOutcome
from courses.models import Attendance, CourseGroup, Enrollment, Lesson, Student

from . import BATCH


class CoursesMixin:
    """Students dealt round one group per volunteer, and what they did there."""

    def _students(self, rng, program, tracks, volunteers, schools):
        y = self.year
        students, plan = [], []
        by_track = {}
        for v in volunteers:
            by_track.setdefault(v.track_id, []).append(v)
        serial = 0
        for seed in self.seed_tracks:
            code = seed.code
            track = tracks[code]
            count = self.n(seed.students, rng)
            for _ in range(count):
                serial += 1
                person = self.person(rng, "F" if rng.random() < 0.6 else "M")
                grade = rng.choice([8, 9, 10, 11] if code != "unt" else [10, 11, 11])
                _district, school = rng.choice(schools)
                low_income = rng.random() < 0.2
                students.append(
                    Student(
                        program=program,
                        code=f"S{serial:05d}",
                        **person,
                        birth_date=(
                            datetime.date(y - grade - 6, rng.randint(1, 12), rng.randint(1, 28))
                            if rng.random() > 0.01
                            else None
                        ),
                        grade=grade,
                        school=school,
                        language="kk" if rng.random() < 0.75 else "ru",
                        low_income=low_income,
                        disability=rng.random() < 0.01,
                        social_status="child",
                        parent_consent=True,
                    )
                )
                plan.append(track)
        students = Student.objects.bulk_create(students, batch_size=BATCH)
        # One group per volunteer; students of a track are dealt round the track's groups.
        groups = []
        for track in tracks.values():
            subjects = track.subject_list
            for i, vol in enumerate(by_track.get(track.pk, [])):
                groups.append(
                    CourseGroup(
                        program=program,
                        track=track,
                        volunteer=vol,
                        subject=subjects[i % len(subjects)] if subjects else None,
                        name=f"{track.name_kk[:40]} — {i + 1}",
                        schedule="Сс, Бс 16:00, Zoom",
                        capacity=40,
                    )
                )
        groups = CourseGroup.objects.bulk_create(groups, batch_size=BATCH)
        track_groups = {}
        for g in groups:
            track_groups.setdefault(g.track_id, []).append(g)
        enrollments = []
        counters = {}
        for student, track in zip(students, plan, strict=True):
            options = track_groups[track.pk]
            i = counters.get(track.pk, 0)
            counters[track.pk] = i + 1
            group = options[i % len(options)]
            dropped = rng.random() < 0.02
            enrollments.append(
                Enrollment(
                    group=group,
                    student=student,
                    status=Enrollment.Status.DROPPED if dropped else Enrollment.Status.COMPLETED,
                    enrolled_on=datetime.date(y, rng.randint(4, 9), rng.randint(1, 28)),
                )
            )
            group.roster = getattr(group, "roster", []) + ([] if dropped else [student])
        Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
        self.summary.students += len(students)
        self.summary.volunteers += len(volunteers)
        return students, groups

    def _lessons(self, rng, program, tracks, groups):
        hours_of = {t.pk: t.planned_hours for t in tracks.values()}
        lessons = []
        y = self.year
        for g in groups:
            count = int(hours_of[g.track_id] // 2)
            # Long tracks run weekly from June; short ones in four autumn weeks.
            first = datetime.date(y, 6, 1) if count > 4 else datetime.date(y, 9, 1)
            for k in range(count):
                day = first + datetime.timedelta(days=7 * k + rng.randint(0, 3))
                day = min(day, datetime.date(y, 11, 25))
                status = Lesson.Status.CONFIRMED if rng.random() < 0.97 else Lesson.Status.PENDING
                lessons.append(
                    Lesson(
                        group=g,
                        date=day,
                        hours=Decimal(2),
                        topic=f"Сабақ {k + 1}",
                        platform=rng.choice(["zoom", "zoom", "whatsapp", "youtube"]),
                        status=status,
                    )
                )
        lessons = Lesson.objects.bulk_create(lessons, batch_size=BATCH)
        by_group = {}
        for lesson in lessons:
            by_group.setdefault(lesson.group_id, []).append(lesson)
        rows = []
        total = 0
        for g in groups:
            roster = getattr(g, "roster", [])
            for lesson in by_group.get(g.pk, []):
                for student in roster:
                    rows.append(Attendance(lesson=lesson, student=student, present=rng.random() < 0.9))
                if len(rows) >= BATCH * 4:
                    Attendance.objects.bulk_create(rows, batch_size=BATCH)
                    total += len(rows)
                    rows = []
        Attendance.objects.bulk_create(rows, batch_size=BATCH)
        total += len(rows)
        self.summary.lessons += len(lessons)
        self.summary.attendance += total

    def _tests(self, rng, program, tracks, groups):
        params = {t.code: (t.pre_percent, t.post_percent) for t in self.seed_tracks}
        code_of = {t.pk: t.code for t in tracks.values()}
        y = self.year
        rows, unt = [], []
        for g in groups:
            code = code_of[g.track_id]
            pre_mean, post_mean = params[code]
            # Regions differ: shift the whole track a little, per programme.
            shift = rng.uniform(-6, 6)
            for student in getattr(g, "roster", []):
                pre = min(100, max(0, rng.gauss(pre_mean + shift, 10)))
                post = min(100, max(pre, rng.gauss(post_mean + shift, 8)))
                sat = [("pre", pre, datetime.date(y, 6, 1))]
                if rng.random() < 0.985:  # a few never sat the post-test
                    sat.append(("post", post, datetime.date(y, 11, 20)))
                rows += [
                    TestResult(
                        program=program,
                        track_id=g.track_id,
                        student=student,
                        kind=kind,
                        score=Decimal(f"{score:.2f}"),
                        taken_on=day,
                        source=TestResult.Source.IMPORT,
                    )
                    for kind, score, day in sat
                ]
                if code == "unt" and student.grade == 11 and rng.random() < 0.75:
                    score = rng.randint(50, 130)
                    unt.append(UntOutcome(student=student, score=score, grant_won=score > 95))
        TestResult.objects.bulk_create(rows, batch_size=BATCH)
        UntOutcome.objects.bulk_create(unt, batch_size=BATCH)
        self.summary.test_results += len(rows)
