"""The back office for test results, ҰБТ outcomes, contests and online tests.

Online tests are built here (a test, its questions, each question's options) or imported
from XLSX on the test's page. Attempts, saved answers and score conflicts are written only
by the test pages and `assessments.quiz_services`, so the admin shows them read-only.
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from birgemiz.admin_base import (
    ProgramScopedAdmin,
    ScopedInline,
    autocomplete_if_registered,
    register_scope,
)
from birgemiz.admin_filters import KazakhRelatedOnlyFilter

from .models import (
    Contest,
    ContestEntry,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    QuizChoice,
    QuizQuestion,
    ScoreConflict,
    TestResult,
    UntOutcome,
)
from .quiz_services import quiz_problems

register_scope(QuizQuestion, "quiz__program")
register_scope(QuizChoice, "question__quiz__program")
register_scope(QuizAnswer, "attempt__program")
register_scope(ContestEntry, "contest__program")
register_scope(UntOutcome, "student__program")

# Choices in Kazakh alphabetical order (birgemiz.admin_filters).
RelatedOnly = KazakhRelatedOnlyFilter


class ReadOnlyMixin:
    """Rows written only by services: viewable (and deletable by coordinators), never edited here."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# ---------------------------------------------------------------- results and outcomes


@admin.register(TestResult)
class TestResultAdmin(ProgramScopedAdmin):
    # Newest first by primary key: no sort through joins over big tables.
    ordering = ["-id"]
    list_display = ["__str__", "track", "kind", "score", "source", "taken_on", "program"]
    list_filter = ["kind", "source", ("track", RelatedOnly), ("program", RelatedOnly)]
    list_select_related = ["student", "volunteer", "track", "program"]
    search_fields = ["student__last_name", "student__first_name", "student__code", "volunteer__last_name"]
    readonly_fields = ["entered_by", "created_at", "updated_at"]

    def get_autocomplete_fields(self, request):
        return autocomplete_if_registered(self, ["student", "volunteer", "track"])


@admin.register(UntOutcome)
class UntOutcomeAdmin(ProgramScopedAdmin):
    program_path = "student__program"
    list_display = ["student", "score", "grant_won"]
    list_filter = ["grant_won", ("student__program", RelatedOnly)]
    list_select_related = ["student"]
    search_fields = ["student__last_name", "student__first_name", "student__code"]

    def get_autocomplete_fields(self, request):
        return autocomplete_if_registered(self, ["student"])


class ContestEntryInline(ScopedInline, admin.TabularInline):
    model = ContestEntry
    parent_program_path = "program"
    extra = 0
    fields = ["student", "place", "nomination"]
    autocomplete_fields = ["student"]


@admin.register(Contest)
class ContestAdmin(ProgramScopedAdmin):
    list_display = ["title", "level", "date", "track", "organized_by_program", "program"]
    list_filter = ["level", "organized_by_program", ("track", RelatedOnly), ("program", RelatedOnly)]
    list_select_related = ["track", "program"]
    search_fields = ["title"]
    inlines = [ContestEntryInline]

    def get_autocomplete_fields(self, request):
        return autocomplete_if_registered(self, ["track", "activity"])


@admin.register(ContestEntry)
class ContestEntryAdmin(ProgramScopedAdmin):
    program_path = "contest__program"
    list_display = ["student", "contest", "place", "nomination"]
    list_filter = ["place", ("contest", RelatedOnly)]
    list_select_related = ["student", "contest"]
    search_fields = ["student__last_name", "student__first_name", "contest__title", "nomination"]

    def get_autocomplete_fields(self, request):
        return autocomplete_if_registered(self, ["student", "contest"])


# ---------------------------------------------------------------- online tests


class QuizQuestionInline(ScopedInline, admin.TabularInline):
    model = QuizQuestion
    parent_program_path = "program"
    extra = 0
    fields = [
        "order",
        "kind",
        "text_kk",
        "text_ru",
        "topic",
        "points",
        "answer_number",
        "tolerance",
        "options",
    ]
    readonly_fields = ["options"]
    show_change_link = True

    @admin.display(description=_("options"))
    def options(self, obj):
        if not obj.pk:
            return "—"
        return format_html_join(
            ", ", "{}{}", ((c.text_kk, " ✓" if c.is_correct else "") for c in obj.choices.all())
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices")


@admin.register(Quiz)
class QuizAdmin(ProgramScopedAdmin):
    list_display = ["title_kk", "audience", "track", "subject", "use", "is_open", "n_questions", "program"]
    list_filter = ["audience", "use", "is_open", ("track", RelatedOnly), ("program", RelatedOnly)]
    list_select_related = ["track", "subject", "program"]
    search_fields = ["title_kk", "title_ru", "questions__topic"]
    readonly_fields = ["readiness", "pages"]
    inlines = [QuizQuestionInline]

    def get_autocomplete_fields(self, request):
        return autocomplete_if_registered(self, ["track", "subject"])

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description=_("questions"), ordering="question_count")
    def n_questions(self, obj):
        return obj.question_count

    @admin.display(description=_("ready to give"))
    def readiness(self, obj):
        if obj is None or not obj.pk:
            return "—"
        problems = quiz_problems(obj)
        if not problems:
            return _("Yes")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p,) for p in problems)))

    @admin.display(description=_("pages"))
    def pages(self, obj):
        if obj is None or not obj.pk:
            return "—"
        code = obj.program.code
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("assessments:quiz_detail", args=[code, obj.pk]),
            _("results by topic"),
            reverse("assessments:quiz_import", args=[code, obj.pk]),
            _("import questions from XLSX"),
        )


class QuizChoiceInline(ScopedInline, admin.TabularInline):
    model = QuizChoice
    parent_program_path = "quiz__program"
    extra = 4
    fields = ["order", "text_kk", "text_ru", "is_correct"]


@admin.register(QuizQuestion)
class QuizQuestionAdmin(ProgramScopedAdmin):
    program_path = "quiz__program"
    list_display = ["__str__", "quiz", "kind", "topic", "points"]
    list_filter = ["kind", ("quiz", RelatedOnly), ("quiz__program", RelatedOnly)]
    list_select_related = ["quiz"]
    search_fields = ["text_kk", "text_ru", "topic", "quiz__title_kk"]
    autocomplete_fields = ["quiz"]
    inlines = [QuizChoiceInline]


@admin.register(QuizChoice)
class QuizChoiceAdmin(ProgramScopedAdmin):
    program_path = "question__quiz__program"
    list_display = ["__str__", "question", "is_correct", "order"]
    list_filter = ["is_correct", ("question__quiz", RelatedOnly)]
    list_select_related = ["question"]
    search_fields = ["text_kk", "text_ru", "question__text_kk"]
    autocomplete_fields = ["question"]


@admin.register(QuizAttempt)
class QuizAttemptAdmin(ReadOnlyMixin, ProgramScopedAdmin):
    list_display = ["__str__", "kind", "group", "submitted_at", "score", "program"]
    list_filter = [
        "kind",
        ("submitted_at", admin.EmptyFieldListFilter),
        ("quiz", RelatedOnly),
        ("program", RelatedOnly),
    ]
    list_select_related = ["student", "volunteer", "quiz", "group", "program"]
    search_fields = [
        "student__last_name",
        "student__first_name",
        "student__code",
        "volunteer__last_name",
        "=token",
    ]
    readonly_fields = [
        "program",
        "quiz",
        "kind",
        "track",
        "student",
        "volunteer",
        "group",
        "token",
        "issued_by",
        "started_at",
        "submitted_at",
        "points",
        "max_points",
        "score",
        "result",
        "created_at",
    ]
    fields = readonly_fields


@admin.register(QuizAnswer)
class QuizAnswerAdmin(ReadOnlyMixin, ProgramScopedAdmin):
    program_path = "attempt__program"
    list_display = ["attempt", "question", "number", "points", "is_correct", "answered_at"]
    list_filter = ["is_correct", ("question__quiz", RelatedOnly)]
    list_select_related = ["attempt__student", "attempt__volunteer", "attempt__quiz", "question"]
    search_fields = ["attempt__student__last_name", "attempt__volunteer__last_name", "question__text_kk"]
    readonly_fields = ["attempt", "question", "choices", "number", "points", "is_correct", "answered_at"]
    fields = readonly_fields


@admin.register(ScoreConflict)
class ScoreConflictAdmin(ReadOnlyMixin, ProgramScopedAdmin):
    list_display = [
        "__str__",
        "status",
        "typed_score",
        "online_score",
        "resolved_by",
        "resolved_at",
        "program",
    ]
    list_filter = ["status", ("program", RelatedOnly)]
    list_select_related = ["attempt__student", "attempt__volunteer", "resolved_by", "program"]
    search_fields = ["attempt__student__last_name", "attempt__volunteer__last_name"]
    readonly_fields = [
        "program",
        "attempt",
        "result",
        "typed_score",
        "online_score",
        "status",
        "resolved_by",
        "resolved_at",
        "resolve_page",
    ]
    fields = readonly_fields

    @admin.display(description=_("resolve"))
    def resolve_page(self, obj):
        url = reverse("assessments:conflicts", args=[obj.program.code])
        return format_html('<a href="{}">{}</a>', url, _("Conflicts with typed scores"))
