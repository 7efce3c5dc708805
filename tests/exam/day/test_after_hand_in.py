"""A page of the exam still open after the test was handed in must be told so, in JSON it reads.
- Without a log-in in the session (a second tab of the browser in which the test was handed in): a
  call was answered with the log-in page's HTML, which the page cannot read (it showed "offline"
  and asked again for ever). In a browser a save is refused first by its CSRF token, which was the
  ended session's (tests/e2e/test_save_refusals_browser.py); the page's GET calls were not.
- With an old copy of the session (the computer the candidate left, after the hand-in on the new
  one): "your exam continues on another computer", where the test is over."""
from __future__ import annotations

from tests.support.candidate import layout, sitting_in

API = "/exam/candidate/api"


def _handed_in_message(answer) -> bool:
    error = answer.get_json()["error"]
    return "handed in" in error or "đã nộp" in error


def test_a_second_tab_of_the_browser_is_told_the_test_is_handed_in(day, app, client):
    attempt = sitting_in(client, day)
    slot, _options, _fill = layout(attempt)
    assert client.post(f"{API}/submit", json={}).get_json()["status"] == "submitted"
    for answer in (client.post(f"{API}/answer", json={"slot": slot, "seq": 30, "choice": 1}),
                   client.get(f"{API}/state"), client.get(f"{API}/paper")):
        assert answer.status_code == 401 and answer.is_json, (answer.status_code, answer.get_data(as_text=True)[:200])
        assert answer.get_json()["superseded"] is True
        assert "access code" in answer.get_json()["error"] or "mã truy cập" in answer.get_json()["error"]


def test_an_old_copy_of_the_session_is_told_the_test_is_handed_in(day, app, client):
    attempt = sitting_in(client, day)
    slot, _options, _fill = layout(attempt)
    old_copy = app.test_client()
    old_copy._cookies = dict(client._cookies)
    assert client.post(f"{API}/submit", json={}).get_json()["status"] == "submitted"
    for answer in (old_copy.post(f"{API}/answer", json={"slot": slot, "seq": 31, "choice": 1}),
                   old_copy.get(f"{API}/state")):
        assert answer.status_code == 409 and answer.get_json()["superseded"] is True
        assert _handed_in_message(answer), answer.get_json()
        assert "another computer" not in answer.get_json()["error"] and "máy khác" not in answer.get_json()["error"]


def test_a_copy_of_a_session_logged_out_elsewhere_is_answered_in_json(day, app, client):
    """The log-out ends every copy of the session (its user no longer loads), yet the page's polls
    of such a copy still held a log-in key in the session, and got the log-in page."""
    sitting_in(client, day)
    old_copy = app.test_client()
    old_copy._cookies = dict(client._cookies)
    client.post("/logout")
    for answer in (old_copy.get(f"{API}/state"), old_copy.get(f"{API}/paper")):
        assert answer.status_code == 401 and answer.is_json, (answer.status_code, answer.get_data(as_text=True)[:200])
        assert answer.get_json()["superseded"] is True


def test_the_score_on_100_is_shown_with_the_reader_s_decimal_sign(day, app):
    """C2: a round-2 test on computer shows its score on 100 at the hand-in (B3), written as the score
    slip writes it (87,50 in Vietnamese), not as the JSON number 87.5."""
    from exam.models import ExamTest
    from recruitment.extensions import db
    from tests.support.candidate import answer_right, candidate_client, started

    db.session.get(ExamTest, day.test_id).scale_to_100 = True
    db.session.commit()
    placement = started(day)
    assert answer_right(placement.attempt) == 7
    shown = candidate_client(app, placement).post(f"{API}/submit").get_json()
    assert shown["score"] == 87.5 and shown["score_text"] == "87,50"
