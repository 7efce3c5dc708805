"""A refused save tells the exam page whether to send it again (docs/exam-api.md): `"retry": true`
when the server could not store it this time though nothing about it is wrong (the page keeps it and
sends it again), `"retry": false` when it never will be stored (the time is up, the test handed in:
the page says so instead of "saved")."""
from __future__ import annotations

from datetime import timedelta

from exam.day import autosave, handing_in
from exam.models import Attempt, AttemptAnswer
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.candidate import sitting_in


def _choice_slot(client) -> int:
    return next(q["slot"] for q in client.get("/exam/candidate/api/paper").get_json()["questions"] if q["type"] == "single")


def _post(client, slot: int, seq: int, choice: int):
    return client.post("/exam/candidate/api/answer", json={"slot": slot, "seq": seq, "choice": choice})


def test_a_save_not_stored_this_time_is_refused_with_retry_and_stored_when_sent_again(day, client, monkeypatch):
    sitting_in(client, day)
    slot = _choice_slot(client)
    real_store = autosave._store
    monkeypatch.setattr(autosave, "_store", lambda _params: False)  # the writer stored nothing, the save is sound
    refused = _post(client, slot, 1, 2)
    assert refused.status_code == 409
    assert refused.get_json()["retry"] is True and "gửi lại" in refused.get_json()["error"]
    assert db.session.scalar(db.select(AttemptAnswer)) is None
    monkeypatch.setattr(autosave, "_store", real_store)
    again = _post(client, slot, 1, 2)  # the page sends the same save again
    assert again.status_code == 200 and again.get_json()["saved"]
    assert db.session.scalar(db.select(AttemptAnswer.choice).filter_by(slot=slot)) == 2


def test_a_save_after_the_deadline_is_refused_for_good(day, client):
    attempt = sitting_in(client, day)
    slot = _choice_slot(client)
    attempt.deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    refused = _post(client, slot, 1, 2)
    assert refused.status_code == 409
    assert refused.get_json()["retry"] is False and refused.get_json()["status"] == "in_progress"
    assert db.session.scalar(db.select(AttemptAnswer)) is None


def test_a_save_after_the_hand_in_is_refused_for_good(day, client):
    attempt = sitting_in(client, day)
    slot = _choice_slot(client)
    handing_in.submit(attempt, utcnow())
    db.session.commit()
    refused = _post(client, slot, 1, 2)
    assert refused.status_code == 409
    assert refused.get_json()["retry"] is False and refused.get_json()["status"] == "submitted"
    assert db.session.scalar(db.select(AttemptAnswer)) is None
    assert db.session.scalar(db.select(Attempt.status).filter_by(id=attempt.id)) == "submitted"
