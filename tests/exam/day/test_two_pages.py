"""Two pages of one session (a second tab) count on from the same paper, so both may send the same
sequence number for a question. The first one stored is kept (the save never overwrites an equal
number); the other page must not be told its answer was saved (B3: the score is of what was saved)."""
from __future__ import annotations

from exam.models import AttemptAnswer
from recruitment.extensions import db
from tests.support.candidate import layout, sitting_in

URL = "/exam/candidate/api/answer"


def test_a_save_that_was_not_stored_is_not_acknowledged_as_saved(day, app, client):
    attempt = sitting_in(client, day)
    slot, options, _fill = layout(attempt)
    second_tab = app.test_client()
    second_tab._cookies = client._cookies
    assert client.post(URL, json={"slot": slot, "seq": 21, "choice": 0}).get_json()["saved"]
    answer = second_tab.post(URL, json={"slot": slot, "seq": 21, "choice": options - 1})
    stored = db.session.scalar(db.select(AttemptAnswer.choice).filter_by(attempt_id=attempt.id, slot=slot))
    assert stored == 0
    assert answer.status_code == 409 and answer.get_json()["retry"] is False, answer.get_json()
    assert "reload" in answer.get_json()["error"] or "tải lại" in answer.get_json()["error"]


def test_the_same_save_sent_again_is_still_acknowledged(day, app, client):
    """A resent save (the page did not get the first answer) is the same answer: saved, as before."""
    attempt = sitting_in(client, day)
    slot, _options, _fill = layout(attempt)
    first = client.post(URL, json={"slot": slot, "seq": 5, "choice": 1, "flagged": True}).get_json()
    again = client.post(URL, json={"slot": slot, "seq": 5, "choice": 1, "flagged": True}).get_json()
    older = client.post(URL, json={"slot": slot, "seq": 4, "choice": 2}).get_json()
    assert first["saved"] and again["saved"] and again["stored_seq"] == 5
    assert older["saved"] and older["stored_seq"] == 5  # a newer save of this page is stored: nothing lost
