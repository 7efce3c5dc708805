"""Issue "Exam day you can trust", item 8: an optional address range per room (Moodle's "subnet",
TCExam's test IP range): a candidate logs in to a sitting only from their room's computers; the
range is set from the console, checked, audited; the console shows each log-in's address."""
from __future__ import annotations

from exam.day.models import Room
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.candidate import candidate_login, shows_the_exam
from tests.support.client import client_from
from tests.support.factories import staffed


def _room(day) -> Room:
    return db.session.scalar(db.select(Room).filter_by(sitting_id=day.sitting_id))


def test_a_candidate_logs_in_only_from_the_rooms_computers(day, app, make_user, login):
    room = _room(day)
    technician = login(staffed(day, make_user("ktv", "technician")))
    assert technician.post(f"/exam/sittings/rooms/{room.id}/addresses",
                           data={"address_range": "10.1.2.0/24, 10.1.3.5"}).status_code == 302
    db.session.expire_all()
    assert _room(day).address_range == "10.1.2.0/24, 10.1.3.5/32"
    refused = candidate_login(client_from(app, "192.0.2.44"), day, 1)
    assert refused.status_code == 200 and not shows_the_exam(refused)
    assert "room" in refused.get_data(as_text=True) or "phòng" in refused.get_data(as_text=True)
    assert shows_the_exam(candidate_login(client_from(app, "10.1.3.5"), day, 2))
    assert shows_the_exam(candidate_login(client_from(app, "10.1.2.77"), day, 1))
    page = technician.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert "10.1.2.77" in page and "10.1.2.0/24" in page
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="room_address_range_set")) is not None


def test_a_malformed_range_is_refused_and_an_empty_one_means_anywhere(day, app, make_user, login):
    room = _room(day)
    chair = login(make_user("ct_a", "council_chair"))
    chair.post(f"/exam/sittings/rooms/{room.id}/addresses", data={"address_range": "10.1.2.0/33"})
    db.session.expire_all()
    assert _room(day).address_range is None
    chair.post(f"/exam/sittings/rooms/{room.id}/addresses", data={"address_range": "2001:db8::/64"})
    chair.post(f"/exam/sittings/rooms/{room.id}/addresses", data={"address_range": ""})
    db.session.expire_all()
    assert _room(day).address_range is None
    assert shows_the_exam(candidate_login(client_from(app, "198.51.100.3"), day, 1))
