"""B3/B4: a hand-in that races the collection at the deadline. Every gunicorn worker runs the overdue
collection (sitting.collect_overdue) on its requests; when another worker collects the attempt
between the moment the hand-in request read it and the moment it hands it in, the hand-in must not
answer 500 nor hand the attempt in a second time: the attempt is collected once, graded once, and
the page is told its final state."""
from __future__ import annotations

from datetime import timedelta

from exam.day import candidate as candidate_views
from exam.day import handing_in
from exam.models import Attempt
from recruitment.audit import AuditEntry
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.candidate import layout, sitting_in
from tests.support.workers import in_another_worker


def _another_worker_collects(app, after_deadline) -> None:
    """What a second gunicorn worker does meanwhile: its own session, its own transaction, committed."""
    in_another_worker(app, lambda: handing_in.collect_overdue(after_deadline))


def test_a_hand_in_racing_another_workers_collection_answers_the_collected_state(day, app, client, monkeypatch):
    attempt = sitting_in(client, day)
    slot, _options, _fill = layout(attempt)
    assert client.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 1, "choice": 0}).status_code == 200
    attempt_id, deadline = attempt.id, attempt.deadline
    db.session.remove()  # the test's own session holds nothing the request could share

    own_placement = candidate_views._placement
    raced = []

    def placement_then_another_workers_collection():
        # The hand-in request has read its placement and attempt (still in progress); the deadline
        # falls now and another worker, a moment later, collects the attempt first.
        placement = own_placement()
        placement.attempt.status  # noqa: B018 -- loaded, as the view reads it
        if not raced:
            raced.append(True)
            _another_worker_collects(app, deadline + timedelta(seconds=1))
        return placement

    monkeypatch.setattr(candidate_views, "_placement", placement_then_another_workers_collection)
    answer = client.post("/exam/candidate/api/submit")

    assert raced
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["status"] == "collected"
    db.session.remove()
    stored = db.session.get(Attempt, attempt_id)
    assert stored.status == "collected" and stored.correct is not None
    handed_in = db.session.scalars(db.select(AuditEntry.action).where(
        AuditEntry.object_type == "exam_attempt", AuditEntry.object_id == str(attempt_id),
        AuditEntry.action.in_(("attempt_submitted", "attempt_collected")))).all()
    assert handed_in == ["attempt_collected"]  # once, by the collection; never handed in on top of it


def test_a_hand_in_racing_a_collection_that_finds_nothing_overdue_is_submitted_once(day, app, client, monkeypatch):
    attempt = sitting_in(client, day)
    attempt_id = attempt.id
    db.session.remove()
    own_placement = candidate_views._placement
    raced = []

    def placement_then_another_workers_collection():
        placement = own_placement()
        placement.attempt.status  # noqa: B018 -- loaded, as the view reads it
        if not raced:
            raced.append(True)
            _another_worker_collects(app, utcnow())  # before the deadline: collects nothing
        return placement

    monkeypatch.setattr(candidate_views, "_placement", placement_then_another_workers_collection)
    answer = client.post("/exam/candidate/api/submit")
    assert answer.status_code == 200 and answer.get_json()["status"] == "submitted"
    db.session.remove()
    assert db.session.get(Attempt, attempt_id).status == "submitted"
