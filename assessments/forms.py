from django import forms
from django.utils.translation import gettext_lazy as _

from .models import TestKind


class QuizImportForm(forms.Form):
    file = forms.FileField(
        label=_("XLSX file"),
        help_text=_("The first row holds the column names; download the template below."),
    )
    replace = forms.BooleanField(
        label=_("Replace the existing questions"),
        required=False,
        help_text=_("Only while nobody has started the test; otherwise the questions are added."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file."))
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


class IssueForm(forms.Form):
    kind = forms.ChoiceField(choices=TestKind.choices)
