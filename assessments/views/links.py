"""The volunteer's pages of their groups' personal test links."""
import re
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from birgemiz.idempotency import idempotent
from courses.models import CourseGroup, Enrollment

from ..forms import IssueForm
from ..models import QuizAttempt, TestKind
from ..quiz_services import (
    attempt_is_expired,
    attempts_issue_for_group,
    issue_window_check,
    quiz_pick,
)

# ------------------------------------------------------------------ the volunteer's pages


def new_links_message(created):
    if not created:
        return _("Every student already has a link: no new link was needed.")
    return ngettext("%(n)s new personal link.", "%(n)s new personal links.", created) % {"n": created}


def _wa_phone(phone):
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    elif len(digits) == 10:
        digits = "7" + digits
    return digits if len(digits) == 11 and digits[0] == "7" else ""


def link_row(request, attempt, person, phone=""):
    url = request.build_absolute_uri(reverse("assessments:take", args=[attempt.token]))
    # The message goes to the student: in the language of the student's school, not the sender's.
    with translation.override(getattr(person, "language", None) or translation.get_language()):
        message = _("%(name)s, your personal link to the %(kind)s «%(test)s»: %(url)s") % {
            "name": person.first_name,
            "kind": attempt.get_kind_display(),
            "test": attempt.quiz.title,
            "url": url,
        }
    phone_digits = _wa_phone(phone)
    return {
        "attempt": attempt,
        "url": url,
        "whatsapp": f"https://wa.me/{phone_digits}?text={quote(message)}",
        "expired": attempt_is_expired(attempt),
    }


def group_rows(request, group, quiz=None):
    """Each student of the group with a cell per test kind (the link, or why there is
    none). With `quiz`, only that test's kinds and links count."""
    enrollments = list(
        Enrollment.objects.filter(group=group)
        .exclude(status=Enrollment.Status.DROPPED)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student_id")
    )
    attempts = (
        QuizAttempt.objects.filter(
            student_id__in=[e.student_id for e in enrollments], track_id=group.track_id
        )
        .select_related("quiz", "program")
        .annotate(answered=Count("answers"))
    )
    kinds = [k for k in (TestKind.PRE, TestKind.POST) if quiz is None or quiz.serves(k)]
    by_student = {(a.student_id, a.kind): a for a in attempts}
    rows = []
    missing = dict.fromkeys(kinds, 0)
    for enrollment in enrollments:
        student = enrollment.student
        cells = []
        for kind in kinds:
            attempt = by_student.get((student.pk, kind))
            if attempt is None:
                missing[kind] += 1
                cells.append({"kind": kind, "label": TestKind(kind).label})
            else:
                link = link_row(request, attempt, student, student.phone)
                cells.append({"kind": kind, "label": TestKind(kind).label, **link})
        rows.append({"student": student, "cells": cells})
    return rows, missing


def window_closed_reason(program):
    """Why no link can be issued now, or ''."""
    try:
        issue_window_check(program)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@login_required
@require_GET
def group_links(request, pk):
    group = get_object_or_404(
        CourseGroup.objects.filter(volunteer__user=request.user).select_related(
            "program", "track", "subject"
        ),
        pk=pk,
    )
    rows, missing = group_rows(request, group)
    closed = window_closed_reason(group.program)
    can_issue = {
        kind: missing[kind] > 0
        and not closed
        and quiz_pick(program=group.program, track=group.track, subject=group.subject, kind=kind) is not None
        for kind in (TestKind.PRE, TestKind.POST)
    }
    return render(
        request,
        "assessments/group_links.html",
        {
            "group": group,
            "rows": rows,
            "missing": missing,
            "can_issue_pre": can_issue[TestKind.PRE],
            "can_issue_post": can_issue[TestKind.POST],
            "closed": closed,
        },
    )


@login_required
@require_POST
@idempotent
def group_links_issue(request, pk):
    group = get_object_or_404(
        CourseGroup.objects.filter(volunteer__user=request.user).select_related(
            "program", "track", "subject"
        ),
        pk=pk,
    )
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the pre-test or the post-test."))
        return redirect("assessments:group_links", pk=group.pk)
    kind = form.cleaned_data["kind"]
    try:
        created = attempts_issue_for_group(group=group, kind=kind, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, new_links_message(created))
    return redirect("assessments:group_links", pk=group.pk)


@login_required
@require_GET
def my_tests(request):
    """A volunteer's own training tests."""
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        raise Http404("Not a volunteer")
    attempts = (
        QuizAttempt.objects.filter(volunteer=volunteer).select_related("quiz", "program").order_by("kind")
    )
    rows = [link_row(request, a, volunteer) for a in attempts]
    return render(request, "assessments/my_tests.html", {"rows": rows})


