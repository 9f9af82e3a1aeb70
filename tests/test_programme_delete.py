"""Deleting a programme removes its records and keeps the audit trail of them."""

import pytest

from birgemiz.models import AuditEntry, Program

from .factories import ActivityFactory, IndicatorFactory, ProgramFactory, StudentFactory, TaskFactory


@pytest.mark.django_db(transaction=True)
def test_it_deletes_a_programme_with_audited_records_and_keeps_their_trail():
    program = ProgramFactory()
    IndicatorFactory(activity=ActivityFactory(task=TaskFactory(program=program)))
    StudentFactory(program=program)
    program_id = program.pk

    program.delete()  # commits: an audit entry pointing at the deleted programme must not fail

    assert not Program.objects.filter(pk=program_id).exists()
    deleted = AuditEntry.objects.filter(program_id=program_id, action="delete")
    deleted = set(deleted.values_list("model", flat=True))
    assert deleted == {"birgemiz.indicator", "courses.student"}
