"""Read side of online tests: what the coordinator's pages show. A fixed number of
queries per page, whatever the number of students, attempts or answers."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q

from courses.models import Enrollment
from volunteers.models import Volunteer

from .models import Quiz, QuizAnswer, QuizAttempt, QuizQuestion, TestKind

KINDS = (TestKind.PRE, TestKind.POST)
BINS = [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 60), (60, 70), (70, 80), (80, 90), (90, 100)]


def _share(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _delta(before, after):
    if before is None or after is None:
        return None
    return after - before


@dataclass
class KindSummary:
    kind: str
    label: str
    issued: int = 0
    submitted: int = 0
    mean: Decimal | None = None
    share_taken: Decimal | None = None
    bins: list = field(default_factory=list)


@dataclass
class QuestionRow:
    question: QuizQuestion
    pre: Decimal | None
    post: Decimal | None

    @property
    def delta(self):
        return _delta(self.pre, self.post)


@dataclass
class TopicRow:
    topic: str
    questions: int
    pre: Decimal | None
    post: Decimal | None

    @property
    def delta(self):
        return _delta(self.pre, self.post)


@dataclass
class QuizStats:
    quiz: Quiz
    population: int
    kinds: list
    questions: list
    topics: list
    family_size: int


def quiz_family(quiz):
    """Tests compared with this one by topic: the same programme, audience, track and
    subject, so a parallel post-test form is compared with its pre-test by topic."""
    return Quiz.objects.filter(
        program_id=quiz.program_id,
        audience=quiz.audience,
        track_id=quiz.track_id,
        subject_id=quiz.subject_id,
    )


def quiz_population(quiz):
    """Who should take the test: students enrolled (not dropped) in groups of its track
    and subject, or the programme's volunteers for a training test."""
    if quiz.audience == Quiz.Audience.VOLUNTEERS:
        volunteers = Volunteer.objects.filter(program_id=quiz.program_id).exclude(
            status=Volunteer.Status.WITHDRAWN
        )
        if quiz.track_id:
            volunteers = volunteers.filter(track_id=quiz.track_id)
        return volunteers.count()
    enrollments = Enrollment.objects.filter(group__track_id=quiz.track_id).exclude(
        status=Enrollment.Status.DROPPED
    )
    if quiz.subject_id:
        enrollments = enrollments.filter(group__subject_id=quiz.subject_id)
    return enrollments.values("student_id").distinct().count()


def quiz_stats(quiz):
    population = quiz_population(quiz)
    kinds = []
    counts = {
        row["kind"]: row
        for row in QuizAttempt.objects.filter(quiz=quiz)
        .values("kind")
        .annotate(
            issued=Count("id"),
            submitted=Count("id", filter=Q(submitted_at__isnull=False)),
            mean=Avg("score", filter=Q(submitted_at__isnull=False)),
        )
    }
    scores = defaultdict(list)
    for kind, score in QuizAttempt.objects.filter(quiz=quiz, submitted_at__isnull=False).values_list(
        "kind", "score"
    ):
        scores[kind].append(score)
    for kind in KINDS:
        if not quiz.serves(kind):
            continue
        row = counts.get(kind, {})
        summary = KindSummary(kind=kind, label=TestKind(kind).label)
        summary.issued = row.get("issued", 0)
        summary.submitted = row.get("submitted", 0)
        mean = row.get("mean")
        summary.mean = (
            Decimal(mean).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if mean is not None else None
        )
        summary.share_taken = _share(summary.submitted, population)
        summary.bins = _bins(scores[kind])
        kinds.append(summary)

    family = list(quiz_family(quiz).values_list("pk", flat=True))
    # Submitted attempts per (test, kind): the denominator of "share correct".
    sat = {
        (row["quiz_id"], row["kind"]): row["n"]
        for row in QuizAttempt.objects.filter(quiz_id__in=family, submitted_at__isnull=False)
        .values("quiz_id", "kind")
        .annotate(n=Count("id"))
    }
    correct = {
        (row["question_id"], row["attempt__kind"]): row["n"]
        for row in QuizAnswer.objects.filter(
            attempt__quiz_id__in=family, attempt__submitted_at__isnull=False, is_correct=True
        )
        .values("question_id", "attempt__kind")
        .annotate(n=Count("id"))
    }
    family_questions = list(
        QuizQuestion.objects.filter(quiz_id__in=family).order_by("quiz_id", "order", "id")
    )

    questions = [
        QuestionRow(
            question=q,
            pre=_share(correct.get((q.pk, TestKind.PRE), 0), sat.get((q.quiz_id, TestKind.PRE), 0)),
            post=_share(correct.get((q.pk, TestKind.POST), 0), sat.get((q.quiz_id, TestKind.POST), 0)),
        )
        for q in family_questions
        if q.quiz_id == quiz.pk
    ]

    by_topic = defaultdict(lambda: {"n": 0, TestKind.PRE: [0, 0], TestKind.POST: [0, 0]})
    for q in family_questions:
        entry = by_topic[q.topic.strip()]
        entry["n"] += 1
        for kind in KINDS:
            entry[kind][0] += correct.get((q.pk, kind), 0)
            entry[kind][1] += sat.get((q.quiz_id, kind), 0)
    topics = [
        TopicRow(
            topic=topic,
            questions=entry["n"],
            pre=_share(*entry[TestKind.PRE]),
            post=_share(*entry[TestKind.POST]),
        )
        for topic, entry in by_topic.items()
    ]
    # The topics the course moved most come first; topics without both tests last.
    topics.sort(key=lambda t: (t.delta is None, -(t.delta or 0), t.topic))
    return QuizStats(
        quiz=quiz,
        population=population,
        kinds=kinds,
        questions=questions,
        topics=topics,
        family_size=len(family),
    )


def _bins(scores):
    counts = [0] * len(BINS)
    for score in scores:
        index = min(int(Decimal(score) // 10), len(BINS) - 1)
        counts[index] += 1
    total = len(scores)
    return [
        {"low": low, "high": high, "count": count, "share": _share(count, total) or Decimal("0")}
        for (low, high), count in zip(BINS, counts, strict=True)
    ]
