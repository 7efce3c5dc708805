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
    response = client.post(f"/exam/sittings/placements/{placement.id}/credit",
                           data={"minutes": "10", "reason": "mất điện", "confirmed": "1"})
    assert response.status_code == 302
    db.session.refresh(placement.attempt)
    assert placement.attempt.credited_minutes == 10


def test_a_proctor_reads_on_the_console_only_the_rooms_they_staff(day, make_user, login):
    """The console of a sitting showed a proctor of one room every other room's candidates: names,
    the computers they logged in from and their counts of right answers, which the proctor may not
    act on nor print (their slips answer 403). It shows them the rooms they staff; an overseer, all."""
    from datetime import datetime

    from exam.day import handing_in
    from exam.day.models import Seat
    from tests.support.candidate import answer_right
    from tests.support.factories import staffed

    other = Room(sitting_id=day.sitting_id, name="P2")
    db.session.add(other)
    db.session.flush()
    seat = Seat(room_id=other.id, number=1, spare=False)
    db.session.add(seat)
    db.session.flush()
    elsewhere = started(day, 4)
    elsewhere.seat_id, elsewhere.login_address = seat.id, "10.9.9.9"
    answer_right(elsewhere.attempt)
    handing_in.submit(elsewhere.attempt, datetime.utcnow())
    db.session.commit()
    name = elsewhere.attempt.application.full_name
    client = login(staffed(day, make_user("gt_p1", "proctor")))  # staffs the first room only
    page = client.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert "10.9.9.9" not in page and name not in page  # (its staffing, G3, is still named)
    login(make_user("hr_p", "hr"))
    page = client.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert "10.9.9.9" in page and name in page
