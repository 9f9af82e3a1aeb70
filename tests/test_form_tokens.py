"""The one-time form token on other state-changing forms (issue 16, item 1): the public
survey and the score grid, each sent twice, save once."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from assessments.models import TestResult
from birgemiz.idempotency import FIELD, new_token
from birgemiz.models import AuditEntry
from surveys.models import SurveyResponse

from .test_surveys_helpers import needs_survey, survey_post
from .test_volunteer_portal import grid_data


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url_name", ["surveys:public"])
def test_it_keeps_one_survey_answer_when_the_form_is_sent_twice(client, program, url_name):
    setup = needs_survey(program)
    url = reverse(url_name, args=[setup["survey"].code])
    body = client.get(url).content.decode()
    assert f'name="{FIELD}"' in body
    data = {**survey_post(setup["schools"][0]), FIELD: new_token()}
    first, again = client.post(url, data), client.post(url, data)
    assert first.status_code == again.status_code == 302 and again["Location"] == first["Location"]
    assert SurveyResponse.objects.count() == 1


def test_it_writes_a_resent_score_grid_once(client, volunteer_user, group):
    client.force_login(volunteer_user)
    student = group.enrollments.order_by("student_id").first().student
    data = {**grid_data(group, {(student, "pre"): "40"}), FIELD: new_token()}
    url = reverse("assessments:scores", args=[group.pk])
    assert client.post(url, data).status_code == 302
    # Sent again, the grid's «shown» values are stale now: without the token it would
    # come back as «changed meanwhile»; with it, it goes where the first one went.
    again = client.post(url, data)
    assert again.status_code == 302 and again["Location"] == url
    assert TestResult.objects.get(student=student).score == Decimal("40")
    assert AuditEntry.objects.filter(model="assessments.testresult").count() == 1
