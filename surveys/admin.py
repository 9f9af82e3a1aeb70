from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from birgemiz.admin_base import ProgramScopedAdmin, ScopedInline, register_scope

from .models import Answer, Choice, Question, Survey, SurveyResponse

register_scope(Question, "survey__program")
register_scope(Choice, "question__survey__program")
register_scope(SurveyResponse, "survey__program")
register_scope(Answer, "response__survey__program")


class QuestionInline(ScopedInline, admin.TabularInline):
    model = Question
    fields = ["order", "code", "kind", "text_kk", "text_ru", "required"]
    extra = 0
    show_change_link = True


class ChoiceInline(ScopedInline, admin.TabularInline):
    model = Choice
    fields = ["order", "value", "text_kk", "text_ru", "track", "subject"]
    extra = 0
    parent_program_path = "survey__program"


class AnswerInline(ScopedInline, admin.TabularInline):
    model = Answer
    fields = ["question", "choice", "text", "number"]
    extra = 0
    parent_program_path = "survey__program"
    raw_id_fields = ["question", "choice"]


@admin.register(Survey)
class SurveyAdmin(ProgramScopedAdmin):
    list_display = ["code", "title_kk", "program", "is_published", "opens", "closes", "public_link"]
    list_filter = ["is_published", "program"]
    list_select_related = ["program"]
    search_fields = ["code", "title_kk", "title_ru"]
    inlines = [QuestionInline]

    @admin.display(description=_("public link"))
    def public_link(self, obj):
        return f"/s/{obj.code}/"


@admin.register(Question)
class QuestionAdmin(ProgramScopedAdmin):
    program_path = "survey__program"
    list_display = ["code", "text_kk", "kind", "survey", "order", "required"]
    list_filter = ["kind", "survey__program", "survey"]
    list_select_related = ["survey"]
    search_fields = ["code", "text_kk", "text_ru"]
    autocomplete_fields = ["survey"]
    inlines = [ChoiceInline]


@admin.register(Choice)
class ChoiceAdmin(ProgramScopedAdmin):
    program_path = "question__survey__program"
    list_display = ["value", "text_kk", "question", "track", "subject"]
    list_filter = ["question__survey"]
    list_select_related = ["question", "track", "subject"]
    search_fields = ["value", "text_kk", "text_ru"]
    autocomplete_fields = ["question"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ProgramScopedAdmin):
    # Newest first by primary key: no sort through joins over big tables.
    ordering = ["-id"]
    program_path = "survey__program"
    list_display = ["code", "last_name", "first_name", "grade", "district", "school", "survey", "created_at"]
    list_filter = ["survey", "district", "grade", "language"]
    list_select_related = ["survey", "district", "school__district"]
    search_fields = ["code", "last_name", "first_name", "iin"]
    raw_id_fields = ["school", "student"]
    autocomplete_fields = ["survey"]
    readonly_fields = ["identity_key"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(ProgramScopedAdmin):
    # Newest first by primary key: no sort through joins over big tables.
    ordering = ["-id"]
    program_path = "response__survey__program"
    list_display = ["response", "question", "choice", "text", "number"]
    list_filter = ["question__survey"]
    list_select_related = ["response", "question", "choice"]
    search_fields = ["response__code", "text"]
    autocomplete_fields = ["response", "question", "choice"]
