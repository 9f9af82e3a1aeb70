"""Batched metrics: every named metric, computed for many programmes in one grouped query,
gives what `metrics.compute` gives for one programme."""

import pytest
from django.core.management import call_command

from birgemiz.metric_registry import REGISTRY
from birgemiz.models import Activity, Evidence, Program
from reporting import metrics
from reporting.dashboard_metrics import BATCHES, compute_many

pytestmark = pytest.mark.django_db


def test_every_registered_metric_has_a_batch():
    assert set(REGISTRY) - set(BATCHES) == set()


@pytest.fixture
def programs():
    call_command("generate_programs", regions=2, scale=0.05, stdout=open("/dev/null", "w"))
    programs = list(Program.objects.order_by("code"))
    # Evidence is not generated; add some so the evidence metrics count something.
    for n, program in enumerate(programs):
        activity = Activity.objects.get(task__program=program, task__number=1, number=1)
        for i in range(n + 2):
            Evidence.objects.create(
                program=program, activity=activity if i else None, kind="photo", title=f"photo {i}",
                file="evidence/x.jpg",
            )
    return programs


def test_batches_equal_single_programme_metrics(programs):
    params = ["", "english", "unt", "olympiad", "1.1", "1.4", "7.1", "photo@1.1", "photo", "photo@"]
    ids = [p.pk for p in programs]
    checked = 0
    for name in sorted(REGISTRY):
        batch = compute_many(name, ids, params)
        for program in programs:
            for param in params:
                try:
                    expected = metrics.compute(program, name, param).value
                except metrics.UnknownMetric:  # a parameter this metric does not take
                    continue
                got = batch.get((program.pk, param), 0)
                assert got == (expected or 0), (name, program.code, param)
                checked += 1
    assert checked > len(REGISTRY) * len(programs)
