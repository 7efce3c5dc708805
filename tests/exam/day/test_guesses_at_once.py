"""Guesses sent at once are counted as if sent one by one: the count of failures was read, then the
guess checked, then the failure written, so requests made together all passed the count before any
had written its failure, and a burst of 30 wrong guesses from one address was checked 24 times with
a limit of 10 - at an access code at the exam log-in, item 6 (and at a birth date, tests/results/test_lookups_at_once.py).
A barrier holds the checks until as many requests as the limit allows, plus one, are in: with the
count kept, the extra ones are refused and the barrier gives up waiting for them."""
from __future__ import annotations

import threading

from exam.day import admission
from recruitment.extensions import db
from tests.support.client import client_from


def test_concurrent_wrong_access_codes_from_one_computer_are_limited_all_the_same(day, app, monkeypatch):
    limit = app.config["EXAM_LOGIN_MAX_FAILURES"]
    guesses = 3 * limit
    db.session.commit()
    db.session.remove()
    together = threading.Barrier(limit + 1, timeout=5)  # a correct limit lets no more than `limit` through
    real = admission.login

    def login_when_others_are_in(*args, **kwargs):
        try:
            together.wait()
        except threading.BrokenBarrierError:
            pass
        return real(*args, **kwargs)

    monkeypatch.setattr(admission, "login", login_when_others_are_in)
    wrong = [f"{(int(day.access[1]) + 1 + i) % 10**6:06d}" for i in range(guesses)]
    clients = [client_from(app, "10.9.9.9") for _ in range(guesses)]
    tokens = [c.csrf_token() for c in clients]
    pages: list[str] = []

    def guess(i):
        with app.app_context():
            page = clients[i].post("/exam/candidate/login", data={
                "round_id": day.round_id, "candidate_number": 1, "access_code": wrong[i], "csrf_token": tokens[i]})
            pages.append(page.get_data(as_text=True))
            db.session.remove()

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(guesses)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(pages) == guesses
    tried = sum("wrong candidate number or access code" in p or "sai số báo danh" in p.lower() for p in pages)
    locked = sum("Too many wrong codes" in p or "Nhập sai mã quá nhiều lần" in p for p in pages)
    assert tried + locked == guesses, (tried, locked)
    assert tried <= limit, f"{tried} wrong codes checked for one candidate from one computer, limit {limit}"
