"""B4: late arrival is admitted up to the entry limit (10 minutes for a 60-minute test). The console
lets in a candidate who arrived within it but could not log in before it, with the time the proctor
saw them arrive; an arrival after the limit is refused, as the log-in refuses it. The admission is
checked, recorded as an incident (audited with before and after) and flushed by
late_entry.admit_late; the console only commits."""
from __future__ import annotations

from datetime import timedelta

import pytest

from exam.day import late_entry
from exam.day.models import Placement, Sitting
from recruitment import errors
from recruitment.audit import AuditEntry
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.i18n import local_time, stored_utc
from tests.support.candidate import candidate_login, placement_of, shows_the_exam
from tests.support.factories import build_day, staffed


def test_a_late_entry_is_admitted_once_and_only_before_the_start(day, make_user):
    proctor = staffed(day, make_user("giamthi_tre", "proctor"))
    first, second = db.session.scalars(db.select(Placement).filter_by(sitting_id=day.sitting_id)).all()[:2]
    late_entry.admit_late(first, proctor, utcnow())
    db.session.commit()
    assert first.late_admitted
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="incident_note", object_id=str(first.attempt_id)))
    assert entry is not None and "late_admitted" in entry.before and "arrived_at" in entry.after
    with pytest.raises(errors.Refused):
        late_entry.admit_late(first, proctor, utcnow())
    second.attempt.status = "in_progress"
    with pytest.raises(errors.Refused):
        late_entry.admit_late(second, proctor, utcnow())
    assert not second.late_admitted


def _forty_minutes_late(tmp_path, make_user, login):
    day = build_day(tmp_path, minutes=60, started_minutes_ago=40)
    db.session.get(Sitting, day.sitting_id).opened_at = utcnow()
    db.session.commit()
    return day, login(staffed(day, make_user("giamthi", "proctor")))


def test_an_arrival_after_the_limit_is_not_admitted(app, tmp_path, make_user, login):
    day, proctor = _forty_minutes_late(tmp_path, make_user, login)
    placement = placement_of(1)
    proctor.post(f"/exam/sittings/placements/{placement.id}/admit",
                 data={"arrived_at": local_time(utcnow()).strftime("%H:%M")})
    db.session.expire_all()
    assert not placement_of(1).late_admitted
    assert not shows_the_exam(candidate_login(app.test_client(), day, 1))


def test_an_arrival_within_the_limit_is_admitted_and_logs_in(app, tmp_path, make_user, login):
    day, proctor = _forty_minutes_late(tmp_path, make_user, login)
    placement = placement_of(1)
    arrived = local_time(db.session.get(Sitting, day.sitting_id).starts_at + timedelta(minutes=8))
    proctor.post(f"/exam/sittings/placements/{placement.id}/admit", data={"arrived_at": arrived.strftime("%H:%M")})
    db.session.expire_all()
    assert placement_of(1).late_admitted
    assert shows_the_exam(candidate_login(app.test_client(), day, 1))


def test_an_arrival_still_to_come_or_not_a_time_is_refused(app, tmp_path, make_user, login):
    day, proctor = _forty_minutes_late(tmp_path, make_user, login)
    placement = placement_of(1)
    with pytest.raises(errors.Refused):
        late_entry.admit_late(placement, proctor, utcnow() + timedelta(minutes=5))
    proctor.post(f"/exam/sittings/placements/{placement.id}/admit", data={"arrived_at": "tám giờ"})
    db.session.expire_all()
    assert not placement_of(1).late_admitted


def test_an_arrival_after_midnight_is_read_on_the_day_after_a_late_start(app, tmp_path, make_user, login):
    """A sitting at 23:55 (Vietnam's clock) has its entry limit at 00:05 the next day: an arrival typed
    00:30 is that night's, after the limit, not 00:30 the morning before the start."""
    day, proctor = _forty_minutes_late(tmp_path, make_user, login)
    sitting = db.session.get(Sitting, day.sitting_id)
    local_start = local_time(utcnow()).replace(hour=23, minute=55, second=0, microsecond=0) - timedelta(days=1)
    sitting.starts_at = stored_utc(local_start)
    sitting.ends_at = sitting.starts_at + timedelta(minutes=600)
    db.session.commit()
    placement = placement_of(1)
    proctor.post(f"/exam/sittings/placements/{placement.id}/admit", data={"arrived_at": "00:30"})
    db.session.expire_all()
    assert not placement_of(1).late_admitted
    proctor.post(f"/exam/sittings/placements/{placement.id}/admit", data={"arrived_at": "00:03"})
    db.session.expire_all()
    assert placement_of(1).late_admitted


def test_the_audit_log_shows_the_arrival_on_vietnams_clock(app, tmp_path, make_user, login):
    day, proctor = _forty_minutes_late(tmp_path, make_user, login)
    arrived = local_time(db.session.get(Sitting, day.sitting_id).starts_at + timedelta(minutes=8))
    proctor.post(f"/exam/sittings/placements/{placement_of(1).id}/admit", data={"arrived_at": arrived.strftime("%H:%M")})
    page = login(make_user("giamsat", "supervisor")).get("/audit/").get_data(as_text=True)
    assert arrived.strftime("%d/%m/%Y %H:%M") in page
