"""Admin list filters whose choices (districts, schools, programmes, groups…) follow the
Kazakh alphabet (`birgemiz.alphabet`) instead of the database's order of letters."""

from django.contrib import admin

from .alphabet import name_key


class KazakhRelatedOnlyFilter(admin.RelatedOnlyFieldListFilter):
    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        return sorted(choices, key=lambda choice: name_key(str(choice[1])))


class KazakhRelatedFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        choices = super().field_choices(field, request, model_admin)
        return sorted(choices, key=lambda choice: name_key(str(choice[1])))


# Every plain relation filter (`list_filter = ["district"]`) of every admin gets the order.
admin.FieldListFilter.register(lambda f: f.remote_field, KazakhRelatedFilter, take_priority=True)
