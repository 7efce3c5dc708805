"""Guesses sent at once are counted as if sent one by one: the count of failures was read, then the
guess checked, then the failure written, so requests made together all passed the count before any
had written its failure, and a burst of 30 wrong guesses from one address was checked 24 times with
a limit of 10 - at an access code at the exam log-in, item 6 (and at a birth date, tests/results/test_lookups_at_once.py).
A barrier holds the checks until as many requests as the limit allows, plus one, are in: with the
count kept, the extra ones are refused and the barrier gives up waiting for them."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import text as sql_text

from exam.day import admission, lockouts
from recruitment import throttle
from recruitment.extensions import db
from tests.support.at_once import a_guess_in_flight, held_at_a_barrier, sent_at_once
from tests.support.client import client_from
from tests.support.pg import using_postgres


def test_concurrent_wrong_access_codes_from_one_computer_are_limited_all_the_same(day, app, monkeypatch):
    limit = app.config["EXAM_LOGIN_MAX_FAILURES"]
    guesses = 3 * limit
    db.session.commit()
    db.session.remove()
    monkeypatch.setattr(admission, "login", held_at_a_barrier(admission.login, limit + 1))
    wrong = [f"{(int(day.access[1]) + 1 + i) % 10**6:06d}" for i in range(guesses)]
    clients = [client_from(app, "10.9.9.9") for _ in range(guesses)]
    tokens = [c.csrf_token() for c in clients]
    pages = sent_at_once(app, guesses, lambda i: clients[i].post("/exam/candidate/login", data={
        "round_id": day.round_id, "candidate_number": 1, "access_code": wrong[i],
        "csrf_token": tokens[i]}).get_data(as_text=True))
    tried = sum("wrong candidate number or access code" in p or "sai số báo danh" in p.lower() for p in pages)
    locked = sum("Too many wrong codes" in p or "Nhập sai mã quá nhiều lần" in p for p in pages)
    assert tried + locked == guesses, (tried, locked)
    assert tried <= limit, f"{tried} wrong codes checked for one candidate from one computer, limit {limit}"


def test_the_right_code_is_checked_after_a_guess_in_flight_at_its_candidate_from_its_computer(day, app):
    """One wrong code short of the lock, a guess is in flight (counted, not yet committed) when the right
    code comes from the same computer: the right code is checked after it, and so turned away. Checked
    against the count as it stood before (d45b1aa), it went in: a burst of guesses tried every code it
    held (a second reviewer's finding)."""
    limit = app.config["EXAM_LOGIN_MAX_FAILURES"]
    wrong = iter(f"{(int(day.access[1]) + 1 + i) % 10**6:06d}" for i in range(limit))
    first = client_from(app, "10.9.9.9")
    token = first.csrf_token()
    for _ in range(limit - 1):
        first.post("/exam/candidate/login", data={"round_id": day.round_id, "candidate_number": 1,
                                                  "access_code": next(wrong), "csrf_token": token})
    db.session.commit()
    db.session.remove()
    limits = lockouts.limits(app.config, day.round_id, 1, "10.9.9.9")
    window = app.config["EXAM_LOGIN_LOCKOUT_SECONDS"]
    right = client_from(app, "10.9.9.9")
    token = right.csrf_token()
    with a_guess_in_flight(app, lambda: throttle.counted(lockouts.SCOPE, limits, window),
                           lambda: throttle.fail(lockouts.SCOPE, limits, window)):
        page = right.post("/exam/candidate/login", data={"round_id": day.round_id, "candidate_number": 1,
                                                         "access_code": day.access[1], "csrf_token": token})
    text = page.get_data(as_text=True)
    assert 'id="exam" data-api' not in text, "the right code went in after the guess that reached the lock"
    assert "Too many wrong codes" in text or "Nhập sai mã quá nhiều lần" in text


@pytest.mark.skipif(not using_postgres(), reason="PostgreSQL's locks on the counts' keys (SQLite: the writers' queue)")
def test_the_right_code_is_not_held_up_by_guesses_in_flight_from_its_computer(day, app):
    """A lab behind one address: every log-in from it shares the address's count. A right code only
    reads the counts, so it does not wait for the lock a guess in flight holds on them: at the start
    of a sitting the whole lab logged in one at a time behind it."""
    db.session.commit()
    db.session.remove()
    client = client_from(app, "10.9.9.9")
    token = client.csrf_token()
    held = db.engine.connect()  # a guess from the lab, between its count and its failure
    transaction = held.begin()
    held.execute(sql_text("SELECT pg_advisory_xact_lock(:lock)"),
                 {"lock": throttle._lock_number(lockouts.SCOPE, lockouts.address_key("10.9.9.9"))})
    pages: list[str] = []

    def log_in() -> None:
        with app.app_context():
            pages.append(client.post("/exam/candidate/login", data={
                "round_id": day.round_id, "candidate_number": 1, "access_code": day.access[1],
                "csrf_token": token}).get_data(as_text=True))
            db.session.remove()

    thread = threading.Thread(target=log_in)
    thread.start()
    try:
        thread.join(15)
        assert pages, "the right code waited for the lock a guess in flight holds on its computer's count"
    finally:
        transaction.rollback()
        held.close()
        thread.join(30)
    assert 'id="exam" data-api' in pages[0]  # the exam page: in
