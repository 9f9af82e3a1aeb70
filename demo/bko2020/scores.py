"""The students' pre/post tests, ҰБТ outcomes and contests."""

import datetime
from decimal import Decimal

from assessments.models import Contest, ContestEntry, TestResult, UntOutcome

from . import content
from .base import BATCH, scores_with_mean


class ScoresMixin:
    """What the students scored: pre/post tests with the seed's means, ҰБТ results, contests."""

    def make_test_results(self):
        rng = self.rng("tests")
        results = list(self.volunteer_tests)
        for code, students in self.students_by_track.items():
            figures = self.track_figures[code]
            pre_mean, post_mean = figures.pre_percent, figures.post_percent
            pre = scores_with_mean(rng, len(students), pre_mean, 13)
            post = scores_with_mean(rng, len(students), post_mean, 6, base=pre, growth=post_mean - pre_mean)
            start, end = content.TRACK_WINDOWS[code]
            days = (start - datetime.timedelta(days=2), end + datetime.timedelta(days=2))
            track = self.tracks[code]
            for s, a, b in zip(students, pre, post, strict=True):
                results += [
                    TestResult(
                        program=self.program,
                        track=track,
                        student=s,
                        kind=kind,
                        score=Decimal(score),
                        taken_on=day,
                    )
                    for kind, score, day in zip(("pre", "post"), (a, b), days, strict=True)
                ]
        results[-1].full_clean()
        TestResult.objects.bulk_create(results, batch_size=BATCH)

    def make_unt_and_contests(self):
        rng = self.rng("contests")
        seniors = [s for s in self.students_by_track["unt"] if s.grade == 11]
        took = rng.sample(seniors, 227)
        granted = set(rng.sample(range(227), 98))
        outcomes = [
            UntOutcome(
                student=s,
                grant_won=i in granted,
                score=rng.randint(95, 132) if i in granted else rng.randint(48, 94),
            )
            for i, s in enumerate(took)
        ]
        outcomes[0].full_clean()
        UntOutcome.objects.bulk_create(outcomes)
        contests = {}
        for key, title, level, activity, track, day, own in content.CONTESTS:
            contests[key] = Contest.objects.create(
                program=self.program,
                activity=self.activities[activity],
                track=self.tracks[track] if track else None,
                title=title,
                level=level,
                date=day,
                organized_by_program=own,
            )
        entries = []
        pools = {
            "social": [s for s in self.students if s.code not in self.named_codes()],
            "english": self.students_by_track["english"],
            "law": self.students_by_track["law"],
        }
        for key, size in (("social", 12), ("english", 15), ("law", 12)):
            for place, s in enumerate(rng.sample(pools[key], size), start=1):
                entries.append(
                    ContestEntry(contest=contests[key], student=s, place=place if place <= 3 else None)
                )
        makieva, bayeshova, kuantaykyzy = self.students_by_track["olympiad"][:3]
        entries += [
            ContestEntry(
                contest=contests["region"], student=makieva, place=1, nomination=content.NOMINATION_MILITARY
            ),
            ContestEntry(
                contest=contests["region"], student=bayeshova, place=1, nomination=content.NOMINATION_ENERGY
            ),
            ContestEntry(
                contest=contests["region"], student=kuantaykyzy, place=1, nomination=content.NOMINATION_ENERGY
            ),
            ContestEntry(contest=contests["republic"], student=bayeshova, place=3),
        ]
        ContestEntry.objects.bulk_create(entries)

    def named_codes(self):
        return {s.code for s in self.students_by_track["olympiad"][:3]}
