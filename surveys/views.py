"""Public survey form; coordinators' results, XLSX download and enrolment tool."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from birgemiz import xlsx
from birgemiz.access import may_export_rows, staff_program
from birgemiz.alphabet import name_key, person_key
from birgemiz.antibot import rate_limit_count, rate_limit_message, rate_limit_reached
from birgemiz.idempotency import idempotent
from birgemiz.models import pick_lang

from . import selectors, services
from .forms import EnrolmentFilterForm, SurveyForm
from .home import open_surveys
from .models import Survey, SurveyResponse

ENROL_LIST_LIMIT = 500


def _open_survey(code):
    survey = (
        Survey.objects.select_related("program", "program__region", "program__organization")
        .filter(code=code, is_published=True)
        .first()
    )
    if survey is None:
        raise Http404("No such survey")
    return survey


def _is_open(survey):
    today = timezone.localdate()
    return not ((survey.opens and today < survey.opens) or (survey.closes and today > survey.closes))


def _closed(request, survey):
    """410 Gone, but a page a person can act on: the dates, whom to ask, and the
    programme's surveys that are open."""
    context = {
        "survey": survey,
        "organization": survey.program.organization,
        "not_yet": bool(survey.opens and timezone.localdate() < survey.opens),
        "open_surveys": [s for s in open_surveys([survey.program]) if s.pk != survey.pk],
    }
    return render(request, "surveys/closed.html", context, status=410)


@require_http_methods(["GET", "POST"])
@idempotent
def public(request, code):
    survey = _open_survey(code)
    if not _is_open(survey):
        return _closed(request, survey)
    status = 200
    if request.method == "POST":
        form = SurveyForm(request.POST, survey=survey)
        if rate_limit_reached(request, f"survey:{survey.pk}"):
            form.is_valid()
            form.add_error(None, rate_limit_message(request, f"survey:{survey.pk}"))
            status = 429
        elif form.honeypot_filled():
            rate_limit_count(request, f"survey:{survey.pk}")
            # A bot: pretend success, store nothing.
            return redirect("surveys:thanks", code=survey.code)
        elif form.is_valid():
            try:
                services.response_submit(
                    survey=survey,
                    person=form.person(),
                    answers=form.answers(),
                    language=(get_language() or "")[:2],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                rate_limit_count(request, f"survey:{survey.pk}")
                return redirect("surveys:thanks", code=survey.code)
    else:
        form = SurveyForm(survey=survey)
    intro = pick_lang(survey, "intro")
    return render(
        request, "surveys/public.html", {"survey": survey, "form": form, "intro": intro}, status=status
    )


@require_GET
def thanks(request, code):
    survey = _open_survey(code)
    return render(request, "surveys/thanks.html", {"survey": survey})


def _survey(program, survey_code):
    return get_object_or_404(Survey.objects.select_related("program"), program=program, code=survey_code)


@login_required
@require_GET
def survey_list(request, program_code):
    program = staff_program(request, program_code)
    surveys = program.surveys.annotate(n=Count("responses")).order_by("code")
    return render(request, "surveys/list.html", {"program": program, "surveys": surveys})


@login_required
@require_GET
def results(request, program_code, survey_code):
    program = staff_program(request, program_code)
    survey = _survey(program, survey_code)
    data = selectors.survey_results(survey)
    return render(request, "surveys/results.html", {"program": program, "survey": survey, "r": data})


@login_required
@require_GET
def results_xlsx(request, program_code, survey_code):
    program = staff_program(request, program_code)
    survey = _survey(program, survey_code)
    data = selectors.survey_results(survey)
    wb, ws = xlsx.new_workbook()
    ws.title = pgettext("results sheet", "Summary")[:31]
    row = xlsx.write_table(
        ws, [_("District"), _("Responses")], [(b.label, b.value) for b in data["by_district"]]
    )
    row = xlsx.write_table(
        ws, [_("Track"), _("Interested")], [(b.label, b.value) for b in data["by_track"]], start_row=row + 1
    )
    xlsx.write_table(
        ws,
        [_("Subject"), _("Interested")],
        [(b.label, b.value) for b in data["by_subject"]],
        start_row=row + 1,
    )
    schools = wb.create_sheet(_("Schools")[:31])
    xlsx.write_table(
        schools,
        [_("District"), _("School"), _("Responses")],
        [(s["district"], s["school"], s["n"]) for s in data["by_school"]],
    )
    _responses_sheet(wb, survey, with_people=may_export_rows(request.user))
    response = HttpResponse(
        xlsx.to_bytes(wb), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.code}.xlsx"'
    return response


def _responses_sheet(wb, survey, with_people):
    """One row per response. The names, IIN, sex, birth date and phone of the students
    (minors) only for those who keep the programme's data; a grant officer or the
    operator gets the same rows without them."""
    questions = list(survey.questions.order_by("order", "id"))
    sheet = wb.create_sheet(_("Responses")[:31])
    people = [_("Last name"), _("First name"), _("Patronymic"), _("IIN"), _("Sex"), _("Birth date")]
    header = [_("Code"), pgettext("submission time", "Submitted")]
    header += people if with_people else []
    header += [_("Grade"), _("District"), _("School")]
    header += [_("Phone")] if with_people else []
    header += [q.code for q in questions]
    rows = []
    for resp in selectors.responses_for_export(survey):
        by_q = {}
        for a in resp.answers.all():
            text = a.choice.text if a.choice_id else (a.text or ("" if a.number is None else a.number))
            by_q.setdefault(a.question_id, []).append(text)
        row = [resp.code, timezone.localtime(resp.created_at).strftime("%Y-%m-%d %H:%M")]
        if with_people:
            row += [
                resp.last_name, resp.first_name, resp.middle_name, resp.iin, resp.get_sex_display(),
                resp.birth_date,
            ]
        row += [
            resp.grade,
            resp.district.name if resp.district else "",
            resp.school.name if resp.school else "",
        ]
        row += [resp.phone] if with_people else []
        rows.append(row + ["; ".join(str(v) for v in by_q.get(q.pk, [])) for q in questions])
    xlsx.write_table(sheet, header, rows)


def _enrol_order(response):
    """District, school, then the pupil, in Kazakh alphabetical order."""
    district = response.district.name if response.district else ""
    school = response.school.name if response.school else ""
    return (name_key(district), name_key(school), person_key(response))


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, program_code, survey_code):
    program = staff_program(request, program_code, write=True)
    survey = _survey(program, survey_code)
    source = request.POST if request.method == "POST" else request.GET
    filters = EnrolmentFilterForm(source, program=program)
    filters.is_valid()
    district = filters.cleaned_data.get("district")
    track = filters.cleaned_data.get("track")
    candidates = (
        SurveyResponse.objects.filter(survey=survey)
        .select_related("school", "district", "student")
        .order_by("district__name_kk", "school__name", "last_name", "first_name", "id")
    )
    if district is not None:
        candidates = candidates.filter(district=district)
    if track is not None:
        candidates = candidates.filter(answers__choice__track=track).distinct()
    else:
        candidates = candidates.filter(answers__choice__track__isnull=False).distinct()
    if not filters.cleaned_data.get("include_enrolled"):
        candidates = candidates.filter(student__isnull=True)
    context = {"program": program, "survey": survey, "filters": filters, "track": track}
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("response") if x.isdigit()]
        chosen = candidates.filter(pk__in=ids).prefetch_related("answers__choice__track")
        if not ids:
            messages.error(request, _("Choose at least one respondent."))
        elif request.POST.get("action") == "apply":
            try:
                plan = services.enrolment_apply(survey=survey, responses=chosen, only_track=track)
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("%(n)s enrolments made; %(new)s new students created.")
                    % {"n": len(plan.to_enrol), "new": plan.new_students},
                )
                return redirect(reverse("surveys:results", args=[program.code, survey.code]))
        else:
            plan = services.enrolment_plan(survey=survey, responses=chosen, only_track=track)
            context.update(plan=plan, chosen_ids=ids)
            return render(request, "surveys/enrol_preview.html", context)
    total = candidates.count()
    shown = sorted(candidates[:ENROL_LIST_LIMIT], key=_enrol_order)
    context.update(candidates=shown, total=total, limit=ENROL_LIST_LIMIT)
    return render(request, "surveys/enrol.html", context)
