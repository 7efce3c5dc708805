"""Guesses sent at once are counted as if sent one by one: the count of failures was read, then the
guess checked, then the failure written, so requests made together all passed the count before any
had written its failure, and a burst of 30 wrong guesses from one address was checked 24 times with
a limit of 10 - at an access code at the exam log-in, item 6 (and at a birth date, tests/results/test_lookups_at_once.py).
A barrier holds the checks until as many requests as the limit allows, plus one, are in: with the
count kept, the extra ones are refused and the barrier gives up waiting for them."""
from __future__ import annotations

from exam.day import admission
from recruitment.extensions import db
from tests.support.at_once import held_at_a_barrier, sent_at_once
from tests.support.client import client_from


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
