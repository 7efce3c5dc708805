"""Results day: the public look-up by POST, failures counted per (candidate number, address), and
published versions served from the in-process cache yet always the latest."""
from __future__ import annotations

import re

from recruitment.extensions import db
from recruitment.models import Application
from results import published, service
from tests.support.client import through_confirmation

URL = "/public/results/lookup"


def _someone(round_, status="selected") -> Application:
    row = next(r for r in service.rows_of(service.latest(round_)) if r["status"] == status)
    return db.session.get(Application, row["application_id"])


def _look_up(client, round_id: int, number, born: str, address="203.0.113.5", **kw):
    return client.post(URL, data={"round_id": round_id, "candidate_number": number, "date_of_birth": born},
                       environ_base={"REMOTE_ADDR": address}, **kw)


def test_a_look_up_posts_the_birth_date_and_finds_the_own_result(demo_round, client):
    application = _someone(demo_round)
    born = application.date_of_birth.strftime("%d/%m/%Y")
    page = _look_up(client, demo_round.id, application.candidate_number, born)
    assert page.status_code == 200 and application.full_name in page.get_data(as_text=True)
    form = client.get(URL).get_data(as_text=True)
    assert re.search(r'<form method="post"', form)
    # An old link with the birth date in its address shows only the empty form.
    old = client.get(f"{URL}?candidate_number={application.candidate_number}&date_of_birth={born}")
    assert application.full_name not in old.get_data(as_text=True)
    wrong = _look_up(client, demo_round.id, application.candidate_number, "01/01/1900")
    assert application.full_name not in wrong.get_data(as_text=True)
    assert "No published result matches" in wrong.get_data(as_text=True) or "Không" in wrong.get_data(as_text=True)


def test_the_look_up_form_needs_its_csrf_token(demo_round, client):
    application = _someone(demo_round)
    born = application.date_of_birth.strftime("%d/%m/%Y")
    refused = _look_up(client, demo_round.id, application.candidate_number, born, csrf=False)
    assert refused.status_code == 400 and application.full_name not in refused.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(URL).get_data(as_text=True))
    page = client.post(URL, data={"csrf_token": token.group(1), "round_id": demo_round.id,
                                  "candidate_number": application.candidate_number,
                                  "date_of_birth": born})
    assert page.status_code == 200 and application.full_name in page.get_data(as_text=True)


def test_correct_look_ups_are_never_counted(demo_round, client, app):
    """Many people behind one mobile-network address, each finding their own result."""
    limit = app.config["PUBLIC_LOOKUP_PER_MINUTE"]
    applications = db.session.scalars(db.select(Application).where(Application.candidate_number.is_not(None))).all()
    found = {a.id for a in applications if a.status == "admitted"}
    codes = [_look_up(client, demo_round.id, a.candidate_number, a.date_of_birth.strftime("%d/%m/%Y")).status_code
             for _ in range(3) for a in applications if a.id in found][: 3 * limit]
    assert len(codes) == 3 * limit and set(codes) == {200}


def test_a_right_look_up_takes_the_lock_of_its_own_number_and_address_only(demo_round, client, monkeypatch):
    """Results day is mostly right look-ups, many people behind one mobile network's address: each
    took the lock of that address's count too (PostgreSQL), although it writes nothing. Only a
    failure, which is counted against both, takes both."""
    from contextlib import contextmanager

    from recruitment import throttle
    from results import public

    checked: list[tuple] = []
    one_check_at_a_time = throttle.one_check_at_a_time

    @contextmanager
    def watched(keys):
        keys = list(keys)
        checked.append(tuple(keys))
        with one_check_at_a_time(keys):
            yield
    monkeypatch.setattr(public.throttle, "one_check_at_a_time", watched)
    application = _someone(demo_round)
    page = _look_up(client, demo_round.id, application.candidate_number, application.date_of_birth.strftime("%d/%m/%Y"))
    assert page.status_code == 200 and application.full_name in page.get_data(as_text=True)
    assert checked == [(("public_lookup", f"{application.candidate_number}@203.0.113.5"),)]
    wrong = _look_up(client, demo_round.id, application.candidate_number, "01/01/1900")
    assert wrong.status_code == 200 and len(checked) == 2 and len(checked[1]) == 2


def test_failures_are_counted_per_candidate_number_and_address(demo_round, client, app):
    limit = app.config["PUBLIC_LOOKUP_PER_MINUTE"]
    target, other = _someone(demo_round), _someone(demo_round, "not_selected")
    codes = [_look_up(client, demo_round.id, target.candidate_number, f"{1 + i:02d}/01/1900").status_code for i in range(limit + 1)]
    assert codes[:limit] == [200] * limit and codes[-1] == 429
    # Guessing stops for that number from that address, the right date included ...
    blocked = _look_up(client, demo_round.id, target.candidate_number, target.date_of_birth.strftime("%d/%m/%Y"))
    assert blocked.status_code == 429 and target.full_name not in blocked.get_data(as_text=True)
    # ... but not for the other people behind that address, nor for that number from elsewhere.
    neighbour = _look_up(client, demo_round.id, other.candidate_number, other.date_of_birth.strftime("%d/%m/%Y"))
    assert neighbour.status_code == 200 and other.full_name in neighbour.get_data(as_text=True)
    elsewhere = _look_up(client, demo_round.id, target.candidate_number, target.date_of_birth.strftime("%d/%m/%Y"), "198.51.100.3")
    assert elsewhere.status_code == 200 and target.full_name in elsewhere.get_data(as_text=True)


def test_an_address_guessing_across_many_numbers_is_stopped(demo_round, client, app):
    from results.public import ADDRESS_FACTOR

    limit = app.config["PUBLIC_LOOKUP_PER_MINUTE"] * ADDRESS_FACTOR
    codes = [_look_up(client, demo_round.id, 900000 + i, "01/01/1900").status_code for i in range(limit + 1)]
    assert codes[-2] == 200 and codes[-1] == 429


def test_behind_the_trusted_proxy_each_client_address_counts_apart(demo_round, app_factory):
    app = app_factory(TRUSTED_PROXIES=1)
    target = _someone(demo_round)
    with app.app_context():
        client = app.test_client()
        for i in range(app.config["PUBLIC_LOOKUP_PER_MINUTE"]):
            _look_up(client, demo_round.id, target.candidate_number, f"{1 + i:02d}/01/1900", "127.0.0.1",
                     headers={"X-Forwarded-For": "198.51.100.1"})
        right = target.date_of_birth.strftime("%d/%m/%Y")
        assert _look_up(client, demo_round.id, target.candidate_number, right, "127.0.0.1",
                        headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 429
        assert _look_up(client, demo_round.id, target.candidate_number, right, "127.0.0.1",
                        headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200


def test_a_new_version_shows_at_once_on_the_cached_pages(demo_round, client, make_user, login):
    row = next(r for r in service.rows_of(service.latest(demo_round)) if r["status"] == "tie_pending")
    page = client.get(f"/public/results/{demo_round.id}/{row['position_code']}").get_data(as_text=True)
    assert "phiên bản 1" in page or "version 1" in page
    tied = [r["application_id"] for r in service.rows_of(service.latest(demo_round)) if r["status"] == "tie_pending"]
    chair = client.application.test_client()
    login(make_user("chair", "council_chair"))
    for application_id, decision in zip(tied, ("selected", "not_selected"), strict=False):
        client.post(f"/results/{demo_round.id}/decide/{application_id}", data={"decision": decision, "reason": "Kinh nghiệm"})
    through_confirmation(client, f"/results/{demo_round.id}/publish", {"note": "Quyết định"})
    page = chair.get(f"/public/results/{demo_round.id}/{row['position_code']}").get_data(as_text=True)
    assert ("phiên bản 2" in page or "version 2" in page) and "tie" not in page.split("<table", 1)[1].split("</table>")[0]
    index = chair.get("/public/results/").get_data(as_text=True)
    assert service.latest(demo_round).digest[:16] in index


def test_wrong_look_ups_from_one_ipv6_subscriber_are_limited(demo_round, app, client):
    row = next(r for r in service.rows_of(service.latest(demo_round)) if r["status"] == "selected")
    number = db.session.get(Application, row["application_id"]).candidate_number
    limit = app.config["PUBLIC_LOOKUP_PER_MINUTE"]
    codes = [client.post(URL, data={"round_id": demo_round.id, "candidate_number": number,
                                    "date_of_birth": f"{1 + i % 28:02d}/{1 + i // 28:02d}/1901"},
                         environ_base={"REMOTE_ADDR": f"2001:db8:5:7::{i + 1:x}"}).status_code
             for i in range(3 * limit)]
    assert codes.count(429) >= 2 * limit, f"{codes.count(200)} wrong look-ups checked from one /64, limit {limit}"


def test_the_cached_index_shows_what_the_database_holds(demo_round, client, monkeypatch):
    """The published rounds' list is read again with the latest versions (at most a second old) and
    rendered once per process, keyed by every value it shows: a renamed round shows within the
    second, and its name stays text."""
    clock = [1000.0]
    monkeypatch.setattr(published.time, "monotonic", lambda: clock[0])
    assert demo_round.name in client.get("/public/results/").get_data(as_text=True)
    demo_round.name = "Kỳ tuyển <b>2026</b>"
    db.session.commit()
    clock[0] += published.HEADS_FRESH_SECONDS
    page = client.get("/public/results/").get_data(as_text=True)
    assert "Kỳ tuyển &lt;b&gt;2026&lt;/b&gt;" in page and "<b>2026" not in page


def test_the_cached_index_is_kept_apart_per_language(demo_round, client):
    vietnamese = client.get("/public/results/").get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = client.get("/public/results/").get_data(as_text=True)
    assert "phiên bản 1" in vietnamese and "version 1" not in vietnamese
    assert "version 1" in english and "phiên bản 1" not in english
