"""The console decides from the attempt as it stands when it writes, not as its request loaded it: the
candidate's hand-in (or the collection) may commit in another worker in between. A sanction recorded
then still counts in the result (B6); a test handed in meanwhile is neither voided for a retake (B5)
nor credited time; a sanction withdrawn then no longer counts."""
from __future__ import annotations

import pytest

from exam.day import handing_in, proctoring, sanctions
from exam.day.seating import Refused
from exam.models import Attempt
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import User
from recruitment.scores import Round1Result
from tests.support.candidate import answer_right, sitting_in
from tests.support.workers import in_another_worker


def _loaded_then_handed_in(app, client, day) -> Attempt:
    """The candidate answered 7 of 8 right; the console's request has loaded the attempt (in progress),
    and the candidate's hand-in, in another worker, commits after that."""
    attempt = sitting_in(client, day)
    assert answer_right(attempt) == 7  # 7 of 8: passed; with a warning (-50 %) 3.5: not passed (B2, B6)
    db.session.commit()
    attempt_id = attempt.id
    db.session.remove()
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "in_progress"
    in_another_worker(app, lambda: handing_in.submit(db.session.get(Attempt, attempt_id), utcnow()))
    return attempt


def _staff(make_user, username: str, role: str) -> int:
    user_id = make_user(username, role).id
    db.session.commit()
    return user_id


def _as_stored(attempt_id: int) -> tuple[Attempt, Round1Result]:
    db.session.remove()
    attempt = db.session.get(Attempt, attempt_id)
    return attempt, db.session.scalar(db.select(Round1Result).filter_by(application_id=attempt.application_id))


def test_a_warning_recorded_as_the_candidate_hands_in_counts_in_the_result(app, client, day, make_user):
    proctor = _staff(make_user, "giamthi", "proctor")
    attempt = _loaded_then_handed_in(app, client, day)
    proctoring.sanction(attempt, "warning", "nhìn bài", db.session.get(User, proctor))
    db.session.commit()
    attempt, result = _as_stored(attempt.id)
    assert attempt.status == "submitted" and attempt.sanction == "warning"
    assert result.sanction == "warning"  # what the results rank by
    assert attempt.passed is False  # 3.5 of 8 counted after the warning (B6)


def test_a_test_handed_in_meanwhile_is_not_voided_for_a_retake(app, client, day, make_user):
    chair = _staff(make_user, "chutich", "council_chair")
    attempt = _loaded_then_handed_in(app, client, day)
    with pytest.raises(Refused):
        proctoring.void_for_retake(attempt, "máy hỏng", db.session.get(User, chair))
    db.session.rollback()
    attempt, result = _as_stored(attempt.id)
    assert attempt.status == "submitted" and attempt.passed is True and result.correct == 7


def test_no_time_is_credited_to_a_test_handed_in_meanwhile(app, client, day, make_user):
    proctor = _staff(make_user, "giamthi", "proctor")
    attempt = _loaded_then_handed_in(app, client, day)
    with pytest.raises(Refused):
        proctoring.credit_minutes(attempt, 10, "máy treo", db.session.get(User, proctor))
    db.session.rollback()
    assert _as_stored(attempt.id)[0].credited_minutes in (None, 0)


def test_a_sanction_withdrawn_as_the_candidate_hands_in_no_longer_counts(app, client, day, make_user):
    chair = _staff(make_user, "chutich", "council_chair")
    attempt = sitting_in(client, day)
    assert answer_right(attempt) == 7
    proctoring.sanction(attempt, "warning", "nhìn bài", make_user("giamthi", "proctor"))
    db.session.commit()
    attempt_id = attempt.id
    db.session.remove()
    attempt = db.session.get(Attempt, attempt_id)
    in_another_worker(app, lambda: handing_in.submit(db.session.get(Attempt, attempt_id), utcnow()))
    sanctions.withdraw(attempt, "ghi nhầm thí sinh", db.session.get(User, chair))
    db.session.commit()
    attempt, result = _as_stored(attempt_id)
    assert attempt.sanction is None and result.sanction is None
    assert attempt.passed is True  # 7 of 8, no sanction


def test_a_warning_recorded_while_the_hand_in_commits_waits_for_it_and_counts(app, client, day, make_user, monkeypatch):
    """The hand-in has claimed the attempt and not yet committed when the proctor records the warning in
    another worker: the warning waits for the hand-in (recruitment.database.as_it_stands: the row's lock, or SQLite's one writer), then
    re-grades the test it finds handed in."""
    import threading

    from recruitment import audit_bulk

    proctor = _staff(make_user, "giamthi", "proctor")
    attempt = sitting_in(client, day)
    assert answer_right(attempt) == 7
    db.session.commit()
    attempt_id = attempt.id
    db.session.remove()
    real_record_many, failure = audit_bulk.record_many, []

    def proctor_acts():
        try:
            with app.app_context():
                proctoring.sanction(db.session.get(Attempt, attempt_id), "warning", "nhìn bài",
                                    db.session.get(User, proctor))
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 -- re-raised in the test's thread
            failure.append(error)

    console = threading.Thread(target=proctor_acts)

    def claimed_then_console(entries, count):  # in the hand-in's transaction, after its claim
        console.start()
        console.join(1.5)  # it must wait for this commit
        return real_record_many(entries, count)

    monkeypatch.setattr(handing_in.audit_bulk, "record_many", claimed_then_console)
    result = client.post("/exam/candidate/api/submit").get_json()
    console.join(30)
    assert not failure, failure
    assert result["status"] == "submitted"
    attempt, stored = _as_stored(attempt_id)
    assert attempt.sanction == "warning" and stored.sanction == "warning" and attempt.passed is False
