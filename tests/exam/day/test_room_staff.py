"""G3: each room has its own proctors and technician. A proctor or technician acts on, and reads, only
the rooms they staff: before, any proctor could print a new access code for any seat of any sitting
and sit the exam in the candidate's place, credit time or record a sanction; any technician could
change any room's address range."""
from __future__ import annotations

import pytest

from exam.day.models import Placement, Room
from recruitment.extensions import db
from tests.support.candidate import started


def _requests(day, placement: Placement) -> list[tuple[str, str, dict]]:
    base, room = "/exam/sittings", placement.seat.room
    spare = next(s for s in room.seats if s.spare)
    return [("get", f"{base}/{day.sitting_id}", {}),
            ("post", f"{base}/{day.sitting_id}/open", {"code": day.code}),
            ("post", f"{base}/placements/{placement.id}/ticket.pdf", {}),
            ("post", f"{base}/placements/{placement.id}/admit", {"confirmed": "1"}),
            ("post", f"{base}/placements/{placement.id}/unlock", {}),
            ("post", f"{base}/placements/{placement.id}/move", {"seat_id": spare.id, "reason": "máy hỏng"}),
            ("post", f"{base}/placements/{placement.id}/credit", {"minutes": "10", "reason": "mất điện"}),
            ("post", f"{base}/placements/{placement.id}/sanction", {"kind": "warning", "reason": "trao đổi",
                                                                   "confirmed": "1"}),
            ("get", f"{base}/placements/{placement.id}/slip.pdf", {}),
            ("get", f"{base}/{day.sitting_id}/rooms/{room.id}/results.csv", {}),
            ("post", f"{base}/rooms/{room.id}/addresses", {"address_range": "0.0.0.0/0"})]


def test_staff_of_another_room_can_neither_act_on_nor_read_this_room(day, client, make_user, login):
    placement = started(day)
    attempt_before = (placement.attempt.credited_minutes, placement.attempt.status, placement.seat_id)
    codes_before = placement.access_hash
    for who in (make_user("gt-khac", "proctor"), make_user("kt-khac", "technician")):
        login(who)
        for method, path, data in _requests(day, placement):
            response = getattr(client, method)(path, data=data)
            assert response.status_code == 403, (who.username, path, response.status_code)
    db.session.refresh(placement)
    assert (placement.attempt.credited_minutes, placement.attempt.status, placement.seat_id) == attempt_before
    assert placement.access_hash == codes_before and placement.attempt.sanction is None


@pytest.mark.parametrize("role", ["proctor", "council_chair"])
def test_the_rooms_proctor_and_the_chair_still_act(day, client, make_user, login, role):
    placement = started(day)
    user = make_user("gt", role)
    if role == "proctor":
        room = db.session.get(Room, placement.seat.room_id)
        room.staff.append(user)
        db.session.commit()
    login(user)
    assert client.get(f"/exam/sittings/{day.sitting_id}").status_code == 200
    response = client.post(f"/exam/sittings/placements/{placement.id}/credit", data={"minutes": "10", "reason": "mất điện"})
    assert response.status_code == 302
    db.session.refresh(placement.attempt)
    assert placement.attempt.credited_minutes == 10
