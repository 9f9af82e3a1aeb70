"""The volunteer portal's pages that show scores beside lessons: home, a group, its
score grid and a student. The lesson form itself is `courses.views`.

Volunteers reach rows only through `courses.selectors.volunteer_groups(request.user)`,
so anything outside their own groups is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from birgemiz.idempotency import idempotent
from birgemiz.paging import page_of
from courses.selectors import group_lessons, roster_enrollments, volunteer_group

from .. import selectors
from ..forms import ScoreGridForm, format_score
from ..services import test_results_grid_save


@login_required
@require_GET
def portal(request):
    today = timezone.localdate()
    context = selectors.portal_home(request.user, today)
    context["today"] = today
    return render(request, "assessments/portal.html", context)


@login_required
@require_GET
def group_detail(request, pk):
    group = volunteer_group(request.user, pk)
    context = selectors.group_page(group, timezone.localdate())
    context["group"] = group
    context["lessons"] = page_of(request, group_lessons(group), size=20)
    return render(request, "assessments/group.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@idempotent
def score_grid(request, pk):
    group = volunteer_group(request.user, pk)
    roster = selectors.group_roster(group)
    form = ScoreGridForm(request.POST or None, roster=roster)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, _("Nothing was saved: correct the marked cells and save again."))
            return render(request, "assessments/score_grid.html", {"form": form, "group": group})
        try:
            outcome = test_results_grid_save(track=group.track, changes=form.changes, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "assessments/score_grid.html", {"form": form, "group": group})
        changed = outcome.changed
        saved = ngettext("Scores saved (%(count)s changed).", "Scores saved (%(count)s changed).", changed)
        messages.success(request, saved % {"count": changed})
        for change, conflict in outcome.online_conflicts:
            messages.warning(
                request,
                _(
                    "%(student)s: the online test gave %(online)s; your %(typed)s is kept aside until "
                    "the coordinator chooses one."
                )
                % {
                    "student": change.student.full_name,
                    "online": format_score(conflict.online_score),
                    "typed": format_score(conflict.typed_score),
                },
            )
        if outcome.stale:
            messages.warning(
                request,
                _("Some scores were changed by someone else while you were typing: see the marked cells."),
            )
            fresh = form.refresh(outcome, selectors.group_roster(group))
            return render(request, "assessments/score_grid.html", {"form": fresh, "group": group})
        return redirect("assessments:scores", pk=group.pk)
    return render(request, "assessments/score_grid.html", {"form": form, "group": group})


@login_required
@require_GET
def student_detail(request, pk, student_pk):
    group = volunteer_group(request.user, pk)
    enrollment = get_object_or_404(
        roster_enrollments(group).select_related("student__school"), student_id=student_pk
    )
    context = selectors.student_page(group, enrollment)
    context["group"] = group
    return render(request, "assessments/student.html", context)
