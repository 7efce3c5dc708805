"""The autosave's lane (exam/day/autosave_lane.py): a page's save with its signed cookie and token
is stored without Flask's request machinery, with the view's own answer; everything
else (a refusal, a malformed body, a stranger's token, the screens' socket, HTTPS's referrer check,
an error) is answered by the view as before."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask import jsonify

from exam.day import autosave, autosave_lane
from exam.models import AttemptAnswer
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.candidate import candidate_login, layout, placement_of, sitting_in

ANSWER = "/exam/candidate/api/answer"


@pytest.fixture
def by_the_view(monkeypatch) -> list[int]:
    """The seq of each save the view handled (the lane never calls save_answer)."""
    handled: list[int] = []
    real = autosave.save_answer

    def counted(*args, **kwargs):
        handled.append(args[3])
        return real(*args, **kwargs)

    monkeypatch.setattr(autosave, "save_answer", counted)
    return handled


def _save(client, token: str, slot: int, seq: int, choice: int = 1, headers: dict | None = None, **kw):
    return client.post(ANSWER, json={"slot": slot, "seq": seq, "choice": choice},
                       headers={"X-CSRFToken": token, **(headers or {})}, **kw)


def _saving(client, day):
    """Candidate 1's page with its one token, which has saved seq 1 (choice 1) of a choice question."""
    attempt = sitting_in(client, day)
    slot, options, _fill_in = layout(attempt)
    token = client.csrf_token()  # the page's one token, sent with every call
    assert _save(client, token, slot, 1).status_code == 200
    return attempt, slot, options, token


def _stored(slot: int):
    db.session.expire_all()
    return db.session.execute(db.select(AttemptAnswer.seq, AttemptAnswer.choice).filter_by(slot=slot)).one_or_none()


def test_a_page_s_saves_take_the_lane_and_get_the_view_s_answer(app, day, client, by_the_view):
    attempt = sitting_in(client, day)
    slot, options, _fill_in = layout(attempt)
    token = client.csrf_token()  # the page's one token, sent with every call
    first = _save(client, token, slot, 1, choice=1)
    second = _save(client, token, slot, 2, choice=options - 1)
    assert first.status_code == second.status_code == 200 and by_the_view == []
    assert tuple(_stored(slot)) == (2, options - 1)
    with app.test_request_context():
        assert second.get_data() == jsonify(autosave.Ack(slot, 2, 2).answer()).get_data()
    by_view = _save(client, token, slot, 1, choice=1)  # sent again late: stored nothing, so the view's
    assert by_view.status_code == 200 and by_the_view == [1]
    for header in ("Content-Type", "Cache-Control", "Vary"):
        assert second.headers[header] == by_view.headers[header], header
    assert second.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in second.headers


def test_a_save_the_lane_does_not_store_is_answered_by_the_view_in_the_reader_s_words(day, client, by_the_view):
    attempt, slot, _options, token = _saving(client, day)
    attempt.deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    refused = _save(client, token, slot, 2)
    assert refused.status_code == 409 and by_the_view == [2]
    assert refused.get_json()["retry"] is False and "hết giờ" in refused.get_json()["error"]
    assert tuple(_stored(slot))[0] == 1


def test_an_older_save_arriving_late_is_acknowledged_as_already_stored(day, client, by_the_view):
    attempt = sitting_in(client, day)
    slot, _options, _fill_in = layout(attempt)
    token = client.csrf_token()
    assert _save(client, token, slot, 5, choice=0).status_code == 200
    late = _save(client, token, slot, 4, choice=1)
    assert late.status_code == 200 and late.get_json()["stored_seq"] == 5 and by_the_view == [4]
    assert tuple(_stored(slot)) == (5, 0)


def test_a_malformed_save_gets_the_view_s_refusal_naming_the_field(day, client, by_the_view):
    attempt, slot, options, token = _saving(client, day)
    refused = _save(client, token, slot, 2, choice=options + 3)
    assert refused.status_code == 400 and refused.get_json()["field"] == "choice"
    assert tuple(_stored(slot))[0] == 1


def test_another_session_s_token_is_refused_though_this_worker_verified_it(app, day, client, by_the_view):
    attempt = sitting_in(client, day)
    slot, _options, _fill_in = layout(attempt)
    own = client.csrf_token()
    assert _save(client, own, slot, 1).status_code == 200
    other = app.test_client()
    candidate_login(other, day, 2)
    other.get("/exam/candidate/api/state")
    strangers = other.csrf_token()
    their_slot = layout(placement_of(2).attempt)[0]
    assert _save(other, strangers, their_slot, 1).status_code == 200  # verified, for candidate 2's session
    forged = _save(client, strangers, slot, 2)
    assert forged.status_code == 400
    assert tuple(_stored_of(attempt.id, slot))[0] == 1


def _stored_of(attempt_id: int, slot: int):
    db.session.expire_all()
    return db.session.execute(db.select(AttemptAnswer.seq).filter_by(attempt_id=attempt_id, slot=slot)).one()


def test_a_superseded_session_is_told_so_by_the_view(app, day, client, by_the_view):
    attempt, slot, _options, token = _saving(client, day)
    elsewhere = app.test_client()
    candidate_login(elsewhere, day, 1)  # the same candidate on another computer
    refused = _save(client, token, slot, 2)
    assert refused.status_code == 409 and refused.get_json()["superseded"] is True and by_the_view == [2]


def test_over_https_the_referrer_check_is_flask_wtf_s_own(day, client, by_the_view):
    attempt, slot, _options, token = _saving(client, day)
    refused = _save(client, token, slot, 2, base_url="https://localhost")  # no Referer: refused
    assert refused.status_code == 400 and by_the_view == []
    assert tuple(_stored(slot))[0] == 1


def test_behind_a_trusted_proxy_the_lane_sees_the_forwarded_scheme(app_factory, tmp_path):
    from tests.support.factories import build_day

    app = app_factory(TRUSTED_PROXIES=1)
    with app.app_context():
        day = build_day(tmp_path)
        client = app.test_client()
        _attempt, slot, _options, token = _saving(client, day)
        over_https = _save(client, token, slot, 2, headers={"X-Forwarded-Proto": "https"})
        assert over_https.status_code == 400  # the referrer check, though the app server itself saw http
        assert tuple(_stored(slot))[0] == 1


def test_the_screens_socket_refuses_a_save_the_lane_would_have_stored(app_factory, tmp_path):
    from tests.recruitment.test_screens_lane import SCREENS, Accepted
    from tests.support.factories import build_day

    app = app_factory(SCREENS_PORT=SCREENS)
    with app.app_context():
        day = build_day(tmp_path)
        client = app.test_client()
        _attempt, slot, _options, token = _saving(client, day)
        refused = _save(client, token, slot, 2, environ_base={"gunicorn.socket": Accepted(SCREENS)})
        assert refused.status_code == 404
        assert tuple(_stored(slot))[0] == 1


def test_an_error_in_the_lane_leaves_the_save_to_the_view(day, client, by_the_view, monkeypatch):
    attempt, slot, options, token = _saving(client, day)

    def broken(*_args):
        raise RuntimeError("the lane's database call failed")

    monkeypatch.setattr(autosave, "stored_at_once", broken)
    saved = _save(client, token, slot, 2, choice=options - 1)
    assert saved.status_code == 200 and saved.get_json()["saved"] and by_the_view == [2]
    assert tuple(_stored(slot)) == (2, options - 1)


def test_the_lane_s_address_is_the_answer_view_s(app):
    assert app.url_map.bind("localhost").match(autosave_lane.PATH, method="POST")[0] == "exam_candidate.answer"


def test_a_cookie_changed_by_the_client_is_not_believed(app, day, client, by_the_view):
    attempt, slot, _options, token = _saving(client, day)
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name).value
    forged = app.test_client()
    forged.set_cookie(name, cookie[:5] + ("A" if cookie[5] != "A" else "B") + cookie[6:])
    refused = _save(forged, token, slot, 2)
    assert refused.status_code in (400, 401, 409) and by_the_view == []
    assert tuple(_stored(slot))[0] == 1
