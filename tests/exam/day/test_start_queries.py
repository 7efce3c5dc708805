"""The start of a sitting, the first peak of exam day: what one candidate costs the database from
the log-in to holding the paper (statement counts, not timings; the timings are bench.examday's)."""
from __future__ import annotations

from sqlalchemy import event

from exam.day import seating
from exam.day.models import Placement, Sitting
from exam.models import Attempt
from recruitment.extensions import db

# Log-in, exam page, state and paper took 57 statements, 28 of them lazy loads, and two durable
# commits; the placement is now loaded with what they read, and the log-in begins the attempt. The
# exam-day integrity checks add a few (two lock-out counts, the live-session token, the recorded
# round-1 result): 37 in all.
MOST_STATEMENTS = 37


def _count_statements():
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda _c, _cur, statement, *_a: seen.append(statement))
    return seen


def test_the_log_in_begins_the_attempt_when_the_sitting_is_open(day, client):
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    db.session.commit()
    seen = _count_statements()
    assert client.post("/exam/candidate/login", data={"round_id": day.round_id, "candidate_number": 1,
                                                      "access_code": day.access[1]}).status_code == 302
    db.session.expire_all()
    attempt = db.session.scalar(db.select(Attempt).join(Placement, Placement.attempt_id == Attempt.id)
                                .where(Placement.sitting_id == day.sitting_id, Attempt.status == "in_progress"))
    assert attempt is not None and attempt.started_at is not None and attempt.deadline is not None
    placement = db.session.scalar(db.select(Placement).filter_by(attempt_id=attempt.id))
    assert placement.last_seen is not None
    assert client.get("/exam/candidate/").status_code == 200
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "in_progress"
    assert client.get("/exam/candidate/api/paper").status_code == 200
    assert len(seen) <= MOST_STATEMENTS, "\n".join(seen)


def test_the_state_asked_right_after_writes_nothing_and_still_begins_a_waiting_candidate(day, client):
    assert client.post("/exam/candidate/login", data={"round_id": day.round_id, "candidate_number": 1,
                                                      "access_code": day.access[1]}).status_code == 302
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "not_started"  # not open yet
    seen = _count_statements()
    client.get("/exam/candidate/api/state")
    assert not [s for s in seen if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]  # seen 0 s ago
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    db.session.commit()
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "in_progress"
