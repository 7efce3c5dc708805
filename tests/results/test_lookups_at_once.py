"""Guesses sent at once are counted as if sent one by one: the count of failures was read, then the
guess checked, then the failure written, so requests made together all passed the count before any
had written its failure, and a burst of 30 wrong guesses from one address was checked 24 times with
a limit of 10 - at a birth date in the public look-up (and at an access code, tests/exam/day/test_guesses_at_once.py).
A barrier holds the checks until as many requests as the limit allows, plus one, are in: with the
count kept, the extra ones are refused and the barrier gives up waiting for them."""
from __future__ import annotations

from recruitment import throttle
from recruitment.extensions import db
from recruitment.models import Application
from results import public, service
from tests.support.at_once import a_guess_in_flight, held_at_a_barrier, sent_at_once

URL = "/public/results/lookup"


def test_concurrent_wrong_look_ups_from_one_address_are_limited_all_the_same(demo_round, app, monkeypatch):
    row = next(r for r in service.rows_of(service.latest(demo_round)) if r["status"] == "selected")
    target = db.session.get(Application, row["application_id"])
    number, round_id = target.candidate_number, demo_round.id
    limit = app.config["PUBLIC_LOOKUP_PER_MINUTE"]
    guesses = 3 * limit  # birth dates tried at once, all wrong
    db.session.commit()
    db.session.remove()
    monkeypatch.setattr(public, "find_own_result", held_at_a_barrier(public.find_own_result, limit + 1))
    clients = [app.test_client() for _ in range(guesses)]
    tokens = [c.csrf_token() for c in clients]
    codes = sent_at_once(app, guesses, lambda i: clients[i].post(URL, data={
        "round_id": round_id, "candidate_number": number,
        "date_of_birth": f"{1 + i % 28:02d}/{1 + i // 28:02d}/1901",
        "csrf_token": tokens[i]}, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code)
    looked_up = codes.count(200)  # each a guess answered "no result": the guess was checked
    assert looked_up <= limit, f"{looked_up} wrong look-ups answered from one address, limit {limit}: {sorted(codes)}"


def test_the_right_birth_date_is_checked_after_a_guess_in_flight_at_its_number_from_its_address(demo_round, app):
    """One failure short of the limit, a wrong look-up is in flight (counted, not yet committed) when
    the right date comes from the same address: the right one is checked after it, and so refused. A
    right look-up checked against the count as it stood before would be answered: a burst of guesses
    would try every date it held."""
    row = next(r for r in service.rows_of(service.latest(demo_round)) if r["status"] == "selected")
    target = db.session.get(Application, row["application_id"])
    number, born, round_id = target.candidate_number, target.date_of_birth.strftime("%d/%m/%Y"), demo_round.id
    limit = app.config["PUBLIC_LOOKUP_PER_MINUTE"]
    first = app.test_client()
    token = first.csrf_token()
    for i in range(limit - 1):
        first.post(URL, data={"round_id": round_id, "candidate_number": number,
                              "date_of_birth": f"{1 + i:02d}/01/1901", "csrf_token": token},
                   environ_base={"REMOTE_ADDR": "203.0.113.9"})
    db.session.commit()
    db.session.remove()
    limits = {("public_lookup", f"{number}@203.0.113.9"): limit,
              ("public_lookup_address", "203.0.113.9"): limit * public.ADDRESS_FACTOR}
    right = app.test_client()
    token = right.csrf_token()
    with a_guess_in_flight(app, lambda: throttle.one_check_at_a_time(limits),
                           lambda: [throttle.note(scope, key) for scope, key in limits]):
        page = right.post(URL, data={"round_id": round_id, "candidate_number": number, "date_of_birth": born,
                                     "csrf_token": token},
                          environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert page.status_code == 429, "the right date was answered after the guess that reached the limit"
