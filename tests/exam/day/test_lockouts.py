"""Issue "Exam day you can trust", item 6 (and item 5's log-in part): wrong access codes count per
(candidate number, address) and per address, so an attacker slows only their own address and the
right code from another computer is always accepted; the proctor clears a lock from the console;
every lock is audited; an access code replaced by a reissue is refused with "ask the proctor"."""
from __future__ import annotations

from exam.day import lockouts, seating
from exam.day.models import Placement, Sitting
from exam.models import Attempt
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.candidate import candidate_login, shows_the_exam
from tests.support.client import client_from
from tests.support.factories import staffed


def _wrong(client, day, number, times):
    for i in range(times):
        candidate_login(client, day, number, code=f"{(i * 7919) % 10**6:06d}" if f"{(i * 7919) % 10**6:06d}" != day.access[number]
               else "999999x")


def test_wrong_codes_from_one_address_lock_no_one_out_elsewhere(day, app):
    attacker = client_from(app, "203.0.113.7")
    for number in day.access:
        _wrong(attacker, day, number, app.config["EXAM_LOGIN_MAX_FAILURES"])
    assert not shows_the_exam(candidate_login(attacker, day, 2))  # the attacker's address is slowed
    for number in day.access:  # every candidate at their own computer gets in with the right code
        assert shows_the_exam(candidate_login(client_from(app, f"10.0.0.{number}"), day, number))
    locked = db.session.scalars(db.select(AuditEntry).filter_by(action="login_locked")).all()
    assert locked and all("203.0.113.7" in (e.after or "") for e in locked)


def test_one_address_trying_many_numbers_is_slowed_on_its_own(day, app):
    app.config["EXAM_LOGIN_ADDRESS_MAX_FAILURES"] = 6
    attacker = client_from(app, "203.0.113.8")
    _wrong(attacker, day, 1, 3)
    _wrong(attacker, day, 2, 3)
    assert not shows_the_exam(candidate_login(attacker, day, 3))
    assert shows_the_exam(candidate_login(client_from(app, "10.0.0.3"), day, 3))


def test_the_proctor_clears_a_lock_from_the_console(day, app, make_user, login):
    computer = client_from(app, "10.0.0.40")
    _wrong(computer, day, 1, app.config["EXAM_LOGIN_MAX_FAILURES"])
    assert not shows_the_exam(candidate_login(computer, day, 1))
    placement = db.session.scalar(db.select(Placement).join(Attempt).where(Attempt.application.has(candidate_number=1)))
    proctor = login(staffed(day, make_user("gt_lock", "proctor")))
    page = proctor.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert f"/exam/sittings/placements/{placement.id}/unlock" in page
    assert proctor.post(f"/exam/sittings/placements/{placement.id}/unlock").status_code == 302
    assert shows_the_exam(candidate_login(computer, day, 1))
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="login_lock_cleared")) is not None


def test_an_access_code_replaced_by_a_reissue_says_ask_the_proctor(day, app):
    old = day.access[1]
    seating.issue_access_codes(db.session.get(Sitting, day.sitting_id))
    db.session.commit()
    refused = candidate_login(client_from(app, "10.0.0.50"), day, 1, code=old)
    assert not shows_the_exam(refused)
    page = refused.get_data(as_text=True)
    assert "proctor" in page or "coi thi" in page
    assert "replaced" in page or "đã được thay" in page


LOCKED = ("Too many wrong codes from this computer", "Nhập sai mã quá nhiều lần từ máy này")


def test_the_proctors_unlock_lets_the_candidate_in_at_a_computer_locked_by_others_wrong_codes(day, app, make_user, login):
    computer = client_from(app, "10.0.0.41")  # e.g. the spare computer a candidate is moved to (B5)
    for i in range(app.config["EXAM_LOGIN_ADDRESS_MAX_FAILURES"]):  # someone tries numbers that are not theirs
        candidate_login(computer, day, 9000 + i, code="123456")
    refused = candidate_login(computer, day, 1)
    assert any(s in refused.get_data(as_text=True) for s in LOCKED)  # candidate 1, right code, never mistyped: locked out at this computer
    placement = db.session.scalar(db.select(Placement).join(Attempt).where(Attempt.application.has(candidate_number=1)))
    proctor = login(staffed(day, make_user("gt_lock", "proctor")))
    assert proctor.post(f"/exam/sittings/placements/{placement.id}/unlock").status_code == 302
    again = candidate_login(computer, day, 1)
    assert not any(s in again.get_data(as_text=True) for s in LOCKED), "still locked after the unlock"
    assert shows_the_exam(again)


def test_the_console_shows_a_candidate_turned_away_by_a_computers_lock(day, app, make_user, login):
    computer = client_from(app, "10.0.0.42")
    for i in range(app.config["EXAM_LOGIN_ADDRESS_MAX_FAILURES"]):
        candidate_login(computer, day, 9000 + i, code="123456")
    candidate_login(computer, day, 2)
    assert 2 in lockouts.locked_numbers(app.config, day.round_id)


def test_a_locked_computer_cannot_flag_other_candidates_nor_reset_itself(day, app, make_user, login):
    """Only the right code turned away by a lock marks its candidate for the console: a locked
    computer typing every number with any code flagged the whole round, and a proctor's unlock of
    any of them gave that computer a fresh budget of guesses."""
    attacker = client_from(app, "198.51.100.23")  # not a room computer
    for i in range(app.config["EXAM_LOGIN_ADDRESS_MAX_FAILURES"]):
        candidate_login(attacker, day, 9000 + i, code="123456")
    for number in day.access:  # any code: the lock answers before the code matters
        candidate_login(attacker, day, number, code="000000")
    assert not set(day.access) & lockouts.locked_numbers(app.config, day.round_id)
    placement = db.session.scalar(db.select(Placement).join(Attempt).where(Attempt.application.has(candidate_number=1)))
    proctor = login(staffed(day, make_user("gt_lock", "proctor")))
    assert proctor.post(f"/exam/sittings/placements/{placement.id}/unlock").status_code == 302
    page = candidate_login(attacker, day, 9999, code="123456").get_data(as_text=True)
    assert any(s in page for s in LOCKED), "the attacker's computer got a fresh budget"



def _writes_of(app, send) -> list[str]:
    """The statements that change the database while `send` runs."""
    from sqlalchemy import event

    written: list[str] = []

    def statement(_conn, _cursor, sql, *_args):
        if sql.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            written.append(sql)

    event.listen(db.engine, "before_cursor_execute", statement)
    try:
        send()
    finally:
        event.remove(db.engine, "before_cursor_execute", statement)
    return written


def test_a_locked_computer_learns_nothing_from_how_long_the_answer_takes(day, app):
    """Turned away by a lock, the right code wrote a note for the console and committed it (a write
    to the disk), a wrong code wrote nothing: the same words, but the right code answered a few
    milliseconds later, so a locked computer could go on guessing and time the answers. Now nothing
    is written before either answer is sent; the right code's note follows, once it is."""
    computer = client_from(app, "10.0.0.43")
    for i in range(app.config["EXAM_LOGIN_ADDRESS_MAX_FAILURES"]):
        candidate_login(computer, day, 9000 + i, code="123456")
    answers = []
    right = _writes_of(app, lambda: answers.append(candidate_login(computer, day, 1, buffered=False)))
    wrong = _writes_of(app, lambda: answers.append(candidate_login(computer, day, 2, code="000000", buffered=False)))
    assert right == wrong == []
    assert all(any(s in a.get_data(as_text=True) for s in LOCKED) for a in answers)
    for answer in answers:
        answer.close()  # the answer is sent
    assert 1 in lockouts.locked_numbers(app.config, day.round_id)  # the console shows the one turned away
    assert 2 not in lockouts.locked_numbers(app.config, day.round_id)
