"""Views of the nationwide dashboard (thin: selectors in `reporting.dashboard`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET


@login_required
@require_GET
def index(request):
    return HttpResponse("")
