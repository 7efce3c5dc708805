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
from tests.support.at_once import held_at_a_barrier, sent_at_once
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


@pytest.mark.parametrize("right_at", [0, 7, 14])
def test_a_burst_of_guesses_with_the_right_code_among_them_is_counted_one_by_one(day, app, monkeypatch, right_at):
    """One wrong code short of the lock, a burst of guesses with the right code among them: counted one
    by one, at most one of them is answered (the right code if it comes first). A right code checked
    against the count as it stood before the burst went in almost every time: the burst tried every
    code it held (a second reviewer's finding)."""
    limit = app.config["EXAM_LOGIN_MAX_FAILURES"]
    burst = 15
    wrong = iter(f"{(int(day.access[1]) + 1 + i) % 10**6:06d}" for i in range(limit + burst))
    first = client_from(app, "10.9.9.9")
    token = first.csrf_token()
    for _ in range(limit - 1):
        first.post("/exam/candidate/login", data={"round_id": day.round_id, "candidate_number": 1,
                                                  "access_code": next(wrong), "csrf_token": token})
    db.session.commit()
    db.session.remove()
    monkeypatch.setattr(admission, "login", held_at_a_barrier(admission.login, burst))
    codes = [next(wrong) for _ in range(burst - 1)]
    codes.insert(right_at, day.access[1])
    clients = [client_from(app, "10.9.9.9") for _ in range(burst)]
    tokens = [c.csrf_token() for c in clients]
    pages = sent_at_once(app, burst, lambda i: clients[i].post("/exam/candidate/login", data={
        "round_id": day.round_id, "candidate_number": 1, "access_code": codes[i],
        "csrf_token": tokens[i]}).get_data(as_text=True))
    tried = sum("wrong candidate number or access code" in p or "sai số báo danh" in p.lower() for p in pages)
    went_in = sum('id="exam" data-api' in p for p in pages)
    assert tried + went_in <= 1, f"one guess left: {tried} wrong and {went_in} right codes were checked"


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
