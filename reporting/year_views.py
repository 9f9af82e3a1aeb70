"""The year page (`/programs/<code>/year/`) and a new programme year from a template
(`/programs/new/`: choose the source, preview what is copied, create)."""

import json
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from birgemiz import roles
from birgemiz.access import programs_for, staff_program
from birgemiz.idempotency import idempotent
from birgemiz.models import Organization, Program, Region

from .programme_copy import counts, dump, programme_from_structure
from .year import year_steps

NATIONAL_PLAN = Path(__file__).resolve().parent / "national" / "birgemiz-bilim.json"


@login_required
@require_GET
def year(request, code):
    program = staff_program(request, code)
    steps = year_steps(program)
    return render(
        request,
        "reporting/year.html",
        {
            "program": program,
            "steps": steps,
            "next_step": next((s for s in steps if s.is_next), None),
            "done_count": sum(1 for s in steps if s.done),
            "may_start": may_start_programmes(request.user),
        },
    )


def may_start_programmes(user):
    return user.is_authenticated and (
        user.is_superuser
        or roles.is_operator(user)
        or (roles.is_coordinator(user) and user.organizations.exists())
    )


def sources_for(user):
    """Programmes a new year may copy: what the user reads, and the national templates."""
    return (
        (programs_for(user) | Program.objects.filter(is_template=True)).distinct().order_by("-start", "code")
    )


def organizations_for(user):
    if user.is_superuser or roles.is_operator(user):
        return Organization.objects.order_by("name_kk")
    return user.organizations.order_by("name_kk")


BUILT_IN = "plan"


def built_in_structure():
    """The national plan of «Birgemiz: Bilim» shipped with the product (see dump_structure)."""
    with open(NATIONAL_PLAN, encoding="utf-8") as f:
        return json.load(f)


class NewYearForm(forms.Form):
    source = forms.ChoiceField(
        label=gettext_lazy("copy the structure of"),
        help_text=gettext_lazy("Last year's programme, a national template, or the built-in national plan."),
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=gettext_lazy("organisation")
    )
    region = forms.ModelChoiceField(queryset=Region.objects.order_by("name_kk"), label=gettext_lazy("region"))
    code = forms.SlugField(
        label=gettext_lazy("code of the new programme"),
        max_length=50,
        help_text=gettext_lazy("For example bko-2021."),
    )
    title_kk = forms.CharField(label=gettext_lazy("title (Kazakh)"), max_length=300)
    title_ru = forms.CharField(label=gettext_lazy("title (Russian)"), max_length=300, required=False)
    start = forms.DateField(label=gettext_lazy("start"))
    end = forms.DateField(label=gettext_lazy("end"))
    grant_amount = forms.IntegerField(label=gettext_lazy("grant amount, KZT"), min_value=0)
    is_template = forms.BooleanField(
        label=gettext_lazy("keep it as a national template for every coordinator"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {str(p.pk): p for p in sources_for(user)}
        self.fields["source"].choices = (
            [("", "---------")]
            + [(pk, str(p)) for pk, p in self.sources.items()]
            + [(BUILT_IN, _("The national plan of «Birgemiz: Bilim» (built in)"))]
        )
        self.fields["organization"].queryset = organizations_for(user)
        if not (user.is_superuser or roles.is_operator(user)):
            del self.fields["is_template"]
        orgs = list(self.fields["organization"].queryset[:2])
        if len(orgs) == 1:
            self.fields["organization"].initial = orgs[0].pk

    def clean_source(self):
        value = self.cleaned_data["source"]
        return None if value == BUILT_IN else self.sources[value]

    def clean_code(self):
        code = self.cleaned_data["code"].lower()
        if Program.objects.filter(code=code).exists():
            raise ValidationError(_("A programme with this code exists already: choose another code."))
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end is before the start."))
        return data

    def source_label(self):
        source = self.cleaned_data.get("source")
        return source.code if source else _("the national plan")


def _next_year(d):
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def _initial(source):
    """Next year's programme: the same dates a year on, and the year in the code moved on."""
    if source is None:
        return {}
    year = str(source.start.year)
    return {
        "source": source.pk,
        "region": source.region_id,
        "code": source.code.replace(year, str(source.start.year + 1)) if year in source.code else "",
        "title_kk": source.title_kk,
        "title_ru": source.title_ru,
        "start": _next_year(source.start),
        "end": _next_year(source.end),
        "grant_amount": source.grant_amount,
    }


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def programme_new(request):
    user = request.user
    if not may_start_programmes(user):
        raise PermissionDenied
    if request.method == "GET":
        source = (
            sources_for(user)
            .filter(Q(pk=request.GET.get("from")) if request.GET.get("from", "").isdigit() else Q(pk__in=[]))
            .first()
        )
        form = NewYearForm(user=user, initial=_initial(source))
        return render(request, "reporting/programme_new.html", {"form": form})
    form = NewYearForm(request.POST, user=user)
    if not form.is_valid():
        return render(request, "reporting/programme_new.html", {"form": form})
    data = form.cleaned_data
    source = data["source"]
    structure = dump(source) if source else built_in_structure()
    step = request.POST.get("step")
    if step == "edit":
        return render(request, "reporting/programme_new.html", {"form": form})
    if step != "create":
        return render(
            request,
            "reporting/programme_new.html",
            {
                "form": form,
                "preview": counts(structure),
                "source_label": form.source_label(),
                "shift": (data["start"] - source.start).days if source else None,
            },
        )
    try:
        program = programme_from_structure(
            structure=structure,
            organization=data["organization"],
            region=data["region"],
            code=data["code"],
            title_kk=data["title_kk"],
            title_ru=data["title_ru"],
            start=data["start"],
            end=data["end"],
            grant_amount=data["grant_amount"],
            is_template=bool(data.get("is_template")),
            note=f"made from {form.source_label()}",
        )
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return render(request, "reporting/programme_new.html", {"form": form})
    messages.success(
        request,
        _("Programme %(code)s is created from %(source)s. Its year starts here.")
        % {"code": program.code, "source": form.source_label()},
    )
    return redirect("reporting:year", code=program.code)
