"""Log-in, lock-out after repeated failures, CSRF on forms, roles, the language switch."""
from __future__ import annotations

import re

from recruitment.candidates import candidate_user
from recruitment.extensions import db
from recruitment.models import User
from tests.support.at_once import held_at_a_barrier, sent_at_once
from tests.support.auth import PASSWORD
from tests.support.client import client_from
from tests.support.factories import make_round


def _login(client, username, password):
    return client.post("/login", data={"username": username, "password": password})


def test_a_staff_member_logs_in_and_out(app, client, make_user):
    make_user("lan", "hr", full_name="Nguyễn Thị Lan")
    response = _login(client, "lan", PASSWORD)
    assert response.status_code == 302 and response.location == "/"
    assert "Nguyễn Thị Lan" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_is_refused_and_audited(app, client, make_user):
    make_user("lan", "hr")
    assert _login(client, "lan", "wrong").status_code == 200  # the form again, with the message
    assert client.get("/").status_code == 302
    from recruitment.audit import AuditEntry
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="login_failed")).object_id == "lan"


def test_repeated_failures_lock_the_account_even_with_the_right_password(app, client, make_user):
    make_user("lan", "hr")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login(client, "lan", "wrong")
    response = _login(client, "lan", PASSWORD)
    assert response.status_code == 429


def test_the_time_of_a_wrong_log_in_does_not_tell_whether_the_user_exists(app, client, make_user, monkeypatch):
    """The slow password hash was worked out only for an active staff member: a user name that did
    not exist (or an inactive one) was answered some tens of milliseconds sooner, so the names of the
    staff could be found by the clock. Every wrong log-in now works one hash out."""
    from werkzeug import security

    from recruitment import log_ins

    log_ins.password_right(None, "made once per process")
    worked_out = []
    real = security._hash_internal
    monkeypatch.setattr(security, "_hash_internal", lambda *args: worked_out.append(1) or real(*args))
    make_user("lan", "hr")
    make_user("old", "hr").active = False
    db.session.commit()
    for username in ("lan", "nobody", "old"):
        worked_out.clear()
        assert _login(client, username, "wrong").status_code == 200
        assert len(worked_out) == 1, username


def test_a_candidate_account_cannot_use_the_staff_form(app, client, tmp_path):
    user = candidate_user(_application())
    user.set_password("known-password")
    db.session.commit()
    assert _login(client, user.username, "known-password").status_code == 200  # stays on the form


def _application():
    from datetime import date

    from recruitment.models import Application, Position
    round_ = make_round()
    position = Position(round_id=round_.id, code="P", name="P", agency="A", grade="chuyen_vien", quota=1,
                        round2_form="written", degree_level="dai_hoc")
    db.session.add(position)
    db.session.flush()
    application = Application(round_id=round_.id, position_id=position.id, national_id="031000000001",
                              full_name="Trần An", name_key="tran an", date_of_birth=date(1990, 1, 1), gender="nam",
                              degree_level="dai_hoc", status="admitted", candidate_number=1)
    db.session.add(application)
    db.session.flush()
    return application


def test_a_first_log_in_finds_the_account_another_made_a_moment_ago(app, monkeypatch):
    """Two first log-ins at once (two computers; on PostgreSQL they do not wait for each other) both
    found no account and both made one: the second's INSERT broke the unique user name, a 500 for a
    candidate at the start of the test. The second now takes the account the first made."""
    from recruitment import candidates

    application = _application()
    made = candidate_user(application)
    db.session.commit()
    reads = []
    real = candidates.account_of

    def read_before_the_other_committed(of):
        reads.append(of)
        return None if len(reads) == 1 else real(of)

    monkeypatch.setattr(candidates, "account_of", read_before_the_other_committed)
    assert candidate_user(application).id == made.id
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(User).filter_by(application_id=application.id)) == 1


def test_forms_need_their_csrf_token(client, make_user):
    make_user("lan", "hr")
    form = {"username": "lan", "password": PASSWORD}
    assert client.post("/login", data=form, csrf=False).status_code == 400
    refused = client.post("/login", data={**form, "csrf_token": "forged"}, csrf=False)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)  # a page of the site, in Vietnamese, saying what to do
    assert "tải lại trang" in page and "CSRF" not in page and "Bad Request" not in page
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={**form, "csrf_token": token}).status_code == 302


def test_roles_decide_and_the_supervisor_only_reads(app, client, make_user, login):
    login(make_user("qs", "question_setter"))
    assert client.get("/hr/rounds").status_code == 403
    login(make_user("gs", "supervisor"))
    assert client.get("/hr/rounds").status_code == 200
    assert client.post("/hr/rounds/new", data={"code": "X", "name": "X", "rules_code": "vn-2025"}).status_code == 403


def test_the_interface_is_vietnamese_first_and_switches_to_english(app, client, make_user, login):
    page = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in page
    client.post("/lang/en", data={"next": "/login"})
    assert "Log in" in client.get("/login").get_data(as_text=True)
    login(make_user("lan", "hr"))
    client.post("/lang/vi")
    assert db.session.scalar(db.select(User).filter_by(username="lan")).locale == "vi"


def test_wrong_passwords_from_one_address_do_not_lock_the_user_out_elsewhere(app, make_user):
    """Issue "Exam day you can trust", item 6: 5 wrong passwords from anywhere locked the chair out."""
    from recruitment.audit import AuditEntry
    make_user("chu_tich", "council_chair")
    attacker, chair = client_from(app, "203.0.113.9"), client_from(app, "10.1.1.5")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login(attacker, "chu_tich", "wrong")
    assert _login(attacker, "chu_tich", PASSWORD).status_code == 429  # the attacker's address is slowed
    assert _login(chair, "chu_tich", PASSWORD).status_code == 302  # the chair at their own computer is not
    locked = db.session.scalar(db.select(AuditEntry).filter_by(action="login_locked"))
    assert locked is not None and "203.0.113.9" in (locked.after or "")


def test_the_admin_unlocks_a_staff_lock_and_it_is_audited(app, make_user, login):
    from recruitment.audit import AuditEntry
    chair = make_user("chu_tich", "council_chair")
    attacker = client_from(app, "203.0.113.9")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        _login(attacker, "chu_tich", "wrong")
    admin = login(make_user("quan_tri", "admin"))
    assert admin.post(f"/users/{chair.id}/unlock").status_code == 302
    assert _login(attacker, "chu_tich", PASSWORD).status_code == 302
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="login_unlocked")).object_id == str(chair.id)
    assert client_from(app, "10.9.9.9").post(f"/users/{chair.id}/unlock").status_code in (302, 401, 403)


def test_wrong_passwords_sent_at_once_are_counted_as_one_by_one(app, make_user, monkeypatch):
    """The password was checked before the count of failures was written: a burst of guesses sent at
    once was checked whole, whatever the limit (throttle.one_check_at_a_time)."""
    make_user("ketoan", "hr")
    limit = app.config["LOGIN_MAX_FAILURES"]
    guesses = 3 * limit
    db.session.commit()
    db.session.remove()
    monkeypatch.setattr(User, "check_password", held_at_a_barrier(User.check_password, limit + 1))
    clients = [client_from(app, "10.9.9.8") for _ in range(guesses)]
    tokens = [c.csrf_token() for c in clients]
    codes = sent_at_once(app, guesses, lambda i: clients[i].post("/login", data={
        "username": "ketoan", "password": f"sai-{i}", "csrf_token": tokens[i]}).status_code)
    assert codes.count(200) <= limit, f"{codes.count(200)} wrong passwords checked, limit {limit}: {sorted(codes)}"
