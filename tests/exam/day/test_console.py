"""The proctor console and the papers: G3 staffing, B5 seat moves, credited minutes and voids, B6
sanctions with their reason, each in the audit log; tickets, the room's result list (G4) and score
slips as real PDFs and CSV; collection from the command line."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from exam import form_draws
from exam.day import handing_in, proctoring, sanctions, seating
from exam.day.models import Incident, Placement, Seat, Sitting
from exam.models import Attempt
from recruitment import codes
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.candidate import started
from tests.support.factories import staffed


def _actions(kind: str) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).where(AuditEntry.action == kind))


def test_g3_staffing_is_checked_per_room(day, make_user):
    sitting = db.session.get(Sitting, day.sitting_id)
    problems = seating.staff_problems(sitting, sitting.test.round.rules)
    assert len(problems) == 2 and "G3" in problems[0]
    sitting.rooms[0].staff = [make_user("gt1", "proctor"), make_user("gt2", "proctor"), make_user("kt", "technician")]
    assert seating.staff_problems(sitting, sitting.test.round.rules) == []


def test_a_wrong_sitting_code_does_not_open_it(day, make_user, login):
    client = login(staffed(day, make_user("giamthi", "proctor")))
    assert client.get(f"/exam/sittings/{day.sitting_id}").status_code == 200
    client.post(f"/exam/sittings/{day.sitting_id}/open", data={"code": "WRONG1"})
    assert db.session.get(Sitting, day.sitting_id).opened_at is None
    client.post(f"/exam/sittings/{day.sitting_id}/open", data={"code": day.code.lower()})
    assert db.session.get(Sitting, day.sitting_id).opened_at is not None
    assert _actions("sitting_opened") == 1


def test_move_credit_and_sanction_from_the_console_are_audited(day, make_user, login):
    placement = started(day)
    deadline = placement.attempt.deadline
    spare = db.session.scalar(db.select(Seat).where(Seat.spare.is_(True)))
    client = login(staffed(day, make_user("giamthi", "proctor")))
    assert client.get(f"/exam/sittings/{day.sitting_id}").status_code == 200
    client.post(f"/exam/sittings/placements/{placement.id}/move", data={"seat_id": spare.id,
                                                                        "reason": "Máy treo"})
    client.post(f"/exam/sittings/placements/{placement.id}/credit", data={"minutes": 7, "confirmed": "1",
                                                                          "reason": "Mất 7 phút do hỏng máy"})
    client.post(f"/exam/sittings/placements/{placement.id}/sanction", data={"kind": "warning",
                                                                            "reason": ""})  # B6: no reason, refused
    assert placement.attempt.sanction is None
    client.post(f"/exam/sittings/placements/{placement.id}/sanction", data={"kind": "warning",
                                                                            "reason": "Sử dụng tài liệu",
                                                                            "confirmed": "1"})  # after its confirmation
    db.session.expire_all()
    placement = db.session.get(Placement, placement.id)
    assert placement.seat_id == spare.id
    assert placement.attempt.credited_minutes == 7 and placement.attempt.deadline == deadline + timedelta(minutes=7)
    assert (placement.attempt.sanction, placement.attempt.sanction_reason) == ("warning", "Sử dụng tài liệu")
    kinds = sorted(db.session.scalars(db.select(Incident.kind)))
    assert kinds == ["sanction", "seat_moved", "time_credited"]
    assert _actions("incident_seat_moved") == _actions("incident_time_credited") == _actions("incident_sanction") == 1
    page = client.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert "cảnh cáo" in page  # the sanction in words, never its code


def test_a_sanction_reason_over_the_limit_is_refused_before_its_confirmation(day, make_user, login):
    """The console's reason had no limit: a 4,000-character reason was recorded and then broke the
    score slip (a 500). Over the limit it is refused, at once rather than after the confirmation page,
    and saying how long a reason may be."""
    placement = started(day)
    client = login(staffed(day, make_user("giamthi", "proctor")))
    path = f"/exam/sittings/placements/{placement.id}/sanction"
    long = "Sử dụng tài liệu " * 70  # 1,190 characters
    for confirmed in ("", "1"):
        answered = client.post(path, data={"kind": "warning", "reason": long, "confirmed": confirmed},
                               follow_redirects=True)
        page = answered.get_data(as_text=True)
        assert answered.status_code == 200 and "1000" in page and 'name="confirmed"' not in page
    db.session.expire_all()
    assert db.session.get(Attempt, placement.attempt.id).sanction is None
def test_every_reason_the_console_records_is_bounded(day, make_user):
    """The sanction's reason was bounded, the others were not: a seat move, credited minutes, a void
    for a retake, a sanction's withdrawal and a replaced result took a reason of any length, kept in
    the sitting's record and shown on the console. Each refuses one over the limit, changing nothing."""
    placement = started(day)
    attempt, proctor = placement.attempt, staffed(day, make_user("giamthi", "proctor"))
    chair = make_user("chutich", "council_chair")
    spare = db.session.scalar(db.select(Seat).where(Seat.spare.is_(True)))
    long = "Máy treo " * 120  # 1,080 characters
    for act in (lambda: proctoring.move_seat(placement, spare, long, proctor),
                lambda: proctoring.credit_minutes(attempt, 5, long, proctor),
                lambda: proctoring.void_for_retake(attempt, long, chair),
                lambda: sanctions.withdraw(attempt, long, chair),
                lambda: proctoring.replace_result(attempt, long, chair)):
        with pytest.raises(seating.Refused, match="1000"):
            act()
    assert placement.seat_id != spare.id and not attempt.credited_minutes and attempt.status == "in_progress"
    assert db.session.scalar(db.select(db.func.count()).select_from(Incident)) == 0


def test_only_the_chair_voids_for_a_retake(day, make_user, login, client):
    placement = started(day)
    proctor = login(staffed(day, make_user("giamthi", "proctor")))
    assert proctor.get(f"/exam/sittings/{day.sitting_id}").status_code == 200
    assert proctor.post(f"/exam/sittings/placements/{placement.id}/void").status_code == 403
    chair = make_user("chutich", "council_chair")
    login(chair)
    assert client.get(f"/exam/sittings/{day.sitting_id}").status_code == 200
    client.post(f"/exam/sittings/placements/{placement.id}/void", data={"reason": "Mất điện"})
    assert db.session.get(Placement, placement.id).attempt.status == "in_progress"  # the confirmation first
    client.post(f"/exam/sittings/placements/{placement.id}/void", data={"reason": "Mất điện",
                                                                        "confirmed": "1"})
    db.session.expire_all()
    voided = db.session.get(Placement, placement.id).attempt
    assert voided.status == "voided"
    assert _actions("incident_voided") == 1

    # B5: the retake has its own form and attempt, seated by the next sitting of the test.
    retake = db.session.scalar(db.select(Attempt).where(Attempt.application_id == voided.application_id,
                                                        Attempt.id != voided.id))
    assert retake.status == "not_started" and retake.form.retake == 1
    assert retake.form.version_ids != voided.form.version_ids
    sitting = db.session.get(Sitting, day.sitting_id)
    later = sitting.starts_at + timedelta(hours=4)
    again, _code = seating.create_sitting(sitting.test, "Ca thi lại", later, later + timedelta(minutes=60),
                                        [seating.RoomPlan("P9", 2, 0)])
    db.session.commit()
    assert [p.attempt_id for p in db.session.scalars(db.select(Placement).filter_by(sitting_id=again.id))] == [retake.id]
    check = form_draws.verify_forms(sitting.test_id)
    assert check.mismatched == [] and check.matching == check.forms  # the retake's form rebuilds from its seed too
    with pytest.raises(seating.Refused):
        proctoring.void_for_retake(voided, "lần nữa", chair)  # already voided


def test_a_taken_seat_or_a_seat_of_another_sitting_is_refused(day, make_user):
    placement = started(day)
    other = db.session.scalar(db.select(Placement).where(Placement.id != placement.id))
    proctor = staffed(day, make_user("giamthi", "proctor"))
    try:
        proctoring.move_seat(placement, other.seat, "thử", proctor)
    except seating.Refused as refused:
        assert "taken" in str(refused) or "người" in str(refused)
    else:
        raise AssertionError("a taken seat was accepted")


def test_papers_are_real_pdfs_and_csv(day, make_user, login):
    placement = started(day)
    handing_in.submit(placement.attempt, placement.attempt.started_at + timedelta(minutes=30))
    db.session.commit()
    hr = login(make_user("nhansu", "hr"))
    assert hr.get("/exam/sittings/").status_code == 200
    tickets = hr.post(f"/exam/sittings/{day.sitting_id}/tickets.pdf", data={"confirmed": "1"})
    assert tickets.status_code == 200 and tickets.data.startswith(b"%PDF")
    room = db.session.get(Sitting, day.sitting_id).rooms[0]
    pdf = hr.get(f"/exam/sittings/{day.sitting_id}/rooms/{room.id}/results.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    rows = list(csv.reader(io.StringIO(hr.get(f"/exam/sittings/{day.sitting_id}/rooms/{room.id}/results.csv")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:2] == ["seat", "candidate_number"] and len(rows) == 1 + len(day.access)
    slip = hr.get(f"/exam/sittings/placements/{placement.id}/slip.pdf")
    assert slip.status_code == 200 and slip.data.startswith(b"%PDF")


def test_new_tickets_replace_the_old_access_codes(day):
    sitting = db.session.get(Sitting, day.sitting_id)
    issued = seating.issue_access_codes(sitting)
    db.session.commit()
    placement = db.session.get(Placement, next(iter(issued)))
    assert codes.matches(placement.access_hash, issued[placement.id])
    number = placement.attempt.application.candidate_number
    if day.access[number] != issued[placement.id]:
        assert not codes.matches(placement.access_hash, day.access[number])


def test_the_collect_command_collects_overdue_attempts(day, app):
    placement = started(day)
    placement.attempt.deadline = placement.attempt.deadline - timedelta(hours=3)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["exam", "collect"])
    assert result.exit_code == 0 and "1 attempt(s) collected" in result.output
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).attempt.status == "collected"


def test_times_are_entered_and_shown_in_vietnam_time_and_stored_in_utc(day, make_user, login):
    client = login(make_user("hr_day", "hr"))
    test_id = db.session.get(Sitting, day.sitting_id).test_id
    response = client.post("/exam/sittings/new", data={"test_id": test_id, "name": "Ca chiều",
                                                      "starts_at": "2026-12-05T14:00", "rooms": "P201:10:1"})
    sitting = db.session.scalar(db.select(Sitting).filter_by(name="Ca chiều"))
    assert sitting.starts_at.strftime("%d/%m %H:%M") == "05/12 07:00"  # UTC
    page = client.get(response.location).get_data(as_text=True)
    assert "05/12/2026 14:00" in page and "05/12/2026 07:00" not in page
    assert "05/12/2026 14:00" in client.get("/exam/sittings/").get_data(as_text=True)
