"""Issue "Exam day you can trust", item 2: one live session per attempt. A new log-in or a seat move
ends the previous session (its next save gets 409 and the page says the exam continues on another
computer); the console shows each re-login with its time and address; log-out ends the session on
the server, for candidates and staff, so a cookie captured before it is worthless."""
from __future__ import annotations

import threading

from exam.day import admission, proctoring
from exam.day.models import Incident, Placement, Seat
from exam.models import Attempt, AttemptAnswer
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.auth import PASSWORD
from tests.support.candidate import candidate_login, layout, open_sitting, shows_the_exam, sitting_in
from tests.support.client import client_from
from tests.support.factories import staffed


def _cookie(client):
    return client.get_cookie(client.application.config.get("SESSION_COOKIE_NAME", "session")).value


def _with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie(app.config.get("SESSION_COOKIE_NAME", "session"), value)
    return other


def test_a_second_log_in_ends_the_first_computers_session(day, app, make_user, login):
    first = client_from(app, "10.0.0.11")
    attempt = sitting_in(first, day)
    slot, _options, _fill = layout(attempt)
    assert first.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 1, "choice": 0}).status_code == 200
    second = client_from(app, "10.0.0.12")
    assert shows_the_exam(candidate_login(second, day))
    refused = first.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 2, "choice": 1})
    assert refused.status_code == 409 and refused.get_json()["superseded"] is True
    assert "another computer" in refused.get_json()["error"] or "máy khác" in refused.get_json()["error"]
    assert first.get("/exam/candidate/api/state").status_code == 409
    assert first.get("/exam/candidate/").status_code != 200
    assert second.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 3, "choice": 1}).status_code == 200
    assert db.session.scalar(db.select(AttemptAnswer.choice)) == 1
    relogin = db.session.scalar(db.select(Incident).filter_by(attempt_id=attempt.id, kind="relogin"))
    assert relogin is not None and "10.0.0.11" in relogin.note and "10.0.0.12" in relogin.note
    page = login(staffed(day, make_user("gt_s", "proctor"))).get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert "10.0.0.12" in page and "10.0.0.11" in page  # the log-in's address and the re-login's


def test_a_seat_move_ends_the_old_computers_session(day, app, make_user):
    first = client_from(app, "10.0.0.21")
    attempt = sitting_in(first, day)
    slot, _options, _fill = layout(attempt)
    placement = db.session.scalar(db.select(Placement).filter_by(attempt_id=attempt.id))
    spare = db.session.scalar(db.select(Seat).filter_by(spare=True))
    proctoring.move_seat(placement, spare, "máy hỏng", make_user("gt_m", "proctor"))
    db.session.commit()
    assert first.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 2, "choice": 1}).status_code == 409
    at_spare = client_from(app, "10.0.0.22")
    assert shows_the_exam(candidate_login(at_spare, day))
    assert at_spare.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 3, "choice": 1}).status_code == 200


def test_a_candidates_cookie_captured_before_log_out_can_neither_save_nor_open_a_page(day, app):
    client = client_from(app, "10.0.0.31")
    attempt = sitting_in(client, day)
    slot, _options, _fill = layout(attempt)
    captured = _cookie(client)
    assert client.post("/logout").status_code == 302
    thief = _with_cookie(app, captured)
    assert thief.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 5, "choice": 1}).status_code in (302, 401, 403, 409)
    assert thief.get("/exam/candidate/").status_code != 200
    assert thief.get("/exam/candidate/api/paper").status_code != 200
    assert db.session.scalar(db.select(AttemptAnswer)) is None


def test_a_staff_cookie_captured_before_log_out_opens_nothing(app, client, make_user):
    make_user("gt_out", "proctor")  # the sittings list needs no room
    db.session.commit()
    client.post("/login", data={"username": "gt_out", "password": PASSWORD})
    assert client.get("/exam/sittings/").status_code == 200
    captured = _cookie(client)
    client.post("/logout")
    assert _with_cookie(app, captured).get("/exam/sittings/").status_code == 302  # back to the log-in


def test_two_log_ins_at_once_begin_the_attempt_once_and_the_later_one_is_a_re_login(day, app, monkeypatch):
    """Two computers log in with one candidate's code at the same moment (a copied ticket, or two
    machines tried at once): the later request read the placement before the earlier one wrote it.
    The attempt begins once (the first start stands, one audit entry), and the later log-in ends the
    earlier one's session as a re-login the console shows, with both addresses."""
    open_sitting(day)
    db.session.remove()
    real_login, first = admission.login, client_from(app, "10.0.0.31")
    started: list = []

    def read_then_the_other_computer_logs_in(*args, **kwargs):
        placement = real_login(*args, **kwargs)  # read: not begun yet, no live session
        if not started:
            started.append(None)
            worker = threading.Thread(target=lambda: started.append(_logged_in_elsewhere(app, first, day)))
            worker.start()
            worker.join()
        return placement

    monkeypatch.setattr(admission, "login", read_then_the_other_computer_logs_in)
    assert shows_the_exam(candidate_login(client_from(app, "10.0.0.32"), day))
    assert started[1] is not None  # the earlier log-in went in and began the attempt
    attempt = db.session.scalar(db.select(Attempt).where(Attempt.application.has(candidate_number=1)))
    assert attempt.status == "in_progress" and attempt.started_at == started[1]
    entries = db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.object_id == str(attempt.id))).all()
    assert entries.count("attempt_started") == 1 and entries.count("candidate_logged_in") == 2
    relogin = db.session.scalar(db.select(Incident).filter_by(attempt_id=attempt.id, kind="relogin"))
    assert relogin is not None and "10.0.0.31" in relogin.note and "10.0.0.32" in relogin.note
    slot, _options, _fill = layout(attempt)
    assert first.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 1, "choice": 0}).status_code == 409


def _logged_in_elsewhere(app, client, day):
    """The other computer's log-in, in its own thread and session (another worker); its start."""
    with app.app_context():
        if not shows_the_exam(candidate_login(client, day)):
            return None
        started = db.session.scalar(db.select(Attempt.started_at).where(Attempt.application.has(candidate_number=1)))
        db.session.remove()
        return started


def test_a_log_in_racing_the_hand_in_of_its_attempt_does_not_show_the_paper_again(day, app, monkeypatch):
    """The candidate hands in on one computer while their code logs in on another: the log-in read the
    attempt in progress, the hand-in wrote it handed in before the log-in's write. The log-in's page
    is built from the attempt as it now is (handed in: no paper), and no re-login is recorded."""
    first = client_from(app, "10.0.0.41")
    attempt_id = sitting_in(first, day).id
    db.session.remove()
    real_login, handed_in = admission.login, []

    def read_then_the_first_computer_hands_in(*args, **kwargs):
        placement = real_login(*args, **kwargs)  # read: in progress, the first computer's session live
        if not handed_in:
            worker = threading.Thread(target=lambda: handed_in.append(_handed_in_elsewhere(app, first)))
            worker.start()
            worker.join()
        return placement

    monkeypatch.setattr(admission, "login", read_then_the_first_computer_hands_in)
    page = candidate_login(client_from(app, "10.0.0.42"), day)
    assert handed_in == ["submitted"]
    assert shows_the_exam(page) and 'id="exam-paper"' not in page.get_data(as_text=True)
    assert db.session.scalar(db.select(Incident).filter_by(attempt_id=attempt_id, kind="relogin")) is None


def _handed_in_elsewhere(app, client) -> str:
    with app.app_context():
        status = client.post("/exam/candidate/api/submit").get_json()["status"]
        db.session.remove()
        return status
