import pytest

from baraza.audit.models import AppendOnlyError, AuditEvent


def test_every_submission_writes_exactly_one_audit_event(people, make_report):
    report = make_report(people.amina)
    events = AuditEvent.objects.about(report)
    assert [e.action for e in events] == ["intake.report_submitted"]
    assert events[0].actor == people.amina.member.user
    assert events[0].actor_organisation == people.amina.organisation


def test_audit_events_cannot_be_changed(people, make_report):
    make_report(people.amina)
    event = AuditEvent.objects.first()
    event.action = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="rewritten")


def test_audit_events_cannot_be_deleted(people, make_report):
    make_report(people.amina)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.first().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.exists()
