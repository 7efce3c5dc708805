"""Issue 15: the console admits a late candidate (B4) through late_entry.admit_late, which checks,
records the incident (audited) and flushes; the console only commits."""
from __future__ import annotations

import pytest

from exam.day import late_entry
from exam.day.models import Placement
from recruitment import errors
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import staffed


def test_a_late_entry_is_admitted_once_and_only_before_the_start(day, make_user):
    proctor = staffed(day, make_user("giamthi_tre", "proctor"))
    first, second = db.session.scalars(db.select(Placement).filter_by(sitting_id=day.sitting_id)).all()[:2]
    late_entry.admit_late(first, proctor)
    db.session.commit()
    assert first.late_admitted
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="incident_note", object_id=str(first.attempt_id)))
    with pytest.raises(errors.Refused):
        late_entry.admit_late(first, proctor)
    second.attempt.status = "in_progress"
    with pytest.raises(errors.Refused):
        late_entry.admit_late(second, proctor)
    assert not second.late_admitted
