"""A hand-in's grading is worked out before it queues for SQLite's one writer (exam/grading_ahead.py).
What another worker stores between that moment and the hand-in (a save of the same candidate from a
second tab, a proctor's sanction) must still be in the result: the hand-in is graded on what it
finally holds, never on what it read a moment before."""
from __future__ import annotations

import threading

from sqlalchemy import text

from exam import draw as drawing
from exam import grading_ahead, neutralising, scoring
from exam.day import autosave, handing_in
from exam.models import Attempt
from questionbank import api as bank
from recruitment import driver_sql
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.candidate import sitting_in
from tests.support.workers import in_another_worker


def _another_worker(app, sql: str, **params) -> None:
    """A write of another gunicorn worker, committed."""
    in_another_worker(app, lambda: db.session.execute(text(sql), params))


def _right_and_wrong(attempt: Attempt) -> tuple[int, int, int]:
    """(a multiple-choice slot, its right displayed option, a wrong one)."""
    ids, perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
    contents = bank.contents([int(v) for v in ids])
    for slot, (vid, perm) in enumerate(zip(ids, perms, strict=True)):
        content = contents[int(vid)]
        if content.type != "fill":
            shown = [int(o) for o in perm if o >= 0]
            right = shown.index(content.key[0])
            return slot, right, (right + 1) % len(shown)
    raise AssertionError("no multiple-choice question on the form")


def _answered(client, day, right_answer: bool) -> tuple[int, int, int]:
    """The candidate in the sitting, a multiple-choice question answered right or wrong (seq 1);
    (attempt id, the slot, its right option). The test's session is left holding nothing."""
    attempt = sitting_in(client, day)
    slot, right, wrong = _right_and_wrong(attempt)
    chosen = right if right_answer else wrong
    assert client.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 1, "choice": chosen}).status_code == 200
    attempt_id = attempt.id
    db.session.remove()
    return attempt_id, slot, right


def _then(monkeypatch, meanwhile) -> list[int]:
    """Runs `meanwhile` right after the hand-in has worked its grading out; counts the gradings worked
    out (their rows) and, after them, whether the one worked out ahead fitted in the queue (True/False)."""
    worked: list = []
    real_ahead, real_work_out, real_fits = handing_in.graded_ahead, scoring.work_out, grading_ahead.Ahead.fits

    def ahead_then(attempt, now):
        found = real_ahead(attempt, now)
        assert found is not None  # worked out ahead
        meanwhile()
        return found

    def fits(self, rows):
        fitted = real_fits(self, rows)
        worked.append(fitted)
        return fitted
    monkeypatch.setattr(grading_ahead.Ahead, "fits", fits)

    def counted(test, rows):
        worked.append(len(rows))
        return real_work_out(test, rows)
    monkeypatch.setattr(handing_in, "graded_ahead", ahead_then)
    monkeypatch.setattr(scoring, "work_out", counted)
    return worked


def test_a_hand_in_is_graded_once_when_nothing_changed_before_it_queued(day, client, monkeypatch):
    _answered(client, day, right_answer=True)
    worked = _then(monkeypatch, lambda: None)
    result = client.post("/exam/candidate/api/submit").get_json()
    assert result["status"] == "submitted" and result["correct"] == 1
    assert worked == [1, True]  # worked out ahead, and taken as it was


def test_a_save_stored_after_the_grading_was_worked_out_is_graded(day, app, client, monkeypatch):
    attempt_id, slot, right = _answered(client, day, right_answer=False)
    # The candidate's other tab saves the right option (a higher seq) just after the hand-in read the answers.
    worked = _then(monkeypatch, lambda: _another_worker(
        app, "UPDATE exam_answers SET choice = :choice, seq = 2 WHERE attempt_id = :attempt AND slot = :slot",
        choice=right, attempt=attempt_id, slot=slot))
    result = client.post("/exam/candidate/api/submit").get_json()
    assert result["status"] == "submitted"
    assert result["correct"] == 1  # on the answer stored, not the one read ahead (0 correct)
    assert worked == [1, False, 1]  # worked out again in the writers' queue
    db.session.remove()
    assert db.session.get(Attempt, attempt_id).correct == 1


def test_a_sanction_recorded_after_the_grading_was_worked_out_counts(day, app, client, monkeypatch):
    attempt_id, _slot, _right = _answered(client, day, right_answer=True)
    _then(monkeypatch, lambda: _another_worker(
        app, "UPDATE exam_attempts SET sanction = 'warning', sanction_reason = 'nhìn bài' WHERE id = :attempt",
        attempt=attempt_id))
    result = client.post("/exam/candidate/api/submit").get_json()
    assert result["status"] == "submitted" and result["sanction"] == "warning"
    assert result["counted"] < result["correct"] == 1  # B6: the warning takes its share off the count


def test_the_mark_of_the_answers_changes_with_every_save(day, client):
    attempt = sitting_in(client, day)
    slot, right, wrong = _right_and_wrong(attempt)
    marks = [grading_ahead.answers_mark(attempt.id)]
    for seq, choice in ((1, wrong), (2, right), (3, None)):  # a new answer, a changed one, one cleared
        assert client.post("/exam/candidate/api/answer", json={"slot": slot, "seq": seq, "choice": choice}).status_code == 200
        marks.append(grading_ahead.answers_mark(attempt.id))
    assert len(set(marks)) == len(marks), marks


def test_a_save_still_committing_when_the_hand_in_claims_the_attempt_is_in_its_grade(day, app, client):
    """Another worker's save has run its statement and not yet committed when the hand-in claims the
    attempt. Acknowledged once committed, it must be in the grade: the claim waits for it. On
    PostgreSQL the save holds the attempt's row FOR SHARE (without it this test fails there); on SQLite
    the database's own write lock holds the claim back."""
    attempt_id, slot, right = _answered(client, day, right_answer=False)
    with client.session_transaction() as cookie:
        token, application_id = cookie["session_token"], cookie["application_id"]
    ran, commit_now, saved = threading.Event(), threading.Event(), []

    def another_worker_saves():
        with app.app_context():
            with driver_sql.driver_transaction(db.engine) as transaction:
                row = driver_sql.first_row(transaction, autosave.save_statement(), {
                    "attempt": attempt_id, "application": application_id, "slot": slot, "seq": 2, "now": utcnow(),
                    "choice": right, "text": None, "flagged": False, "token": token})
                ran.set()
                commit_now.wait(10)
                transaction.commit()
            saved.append(row is not None)

    worker = threading.Thread(target=another_worker_saves)
    worker.start()
    assert ran.wait(10)
    threading.Timer(1.0, commit_now.set).start()  # the save's commit comes while the hand-in is under way
    result = client.post("/exam/candidate/api/submit").get_json()
    worker.join(15)
    assert saved == [True]  # acknowledged to the page
    assert result["status"] == "submitted" and result["correct"] == 1, result
    db.session.remove()
    assert db.session.get(Attempt, attempt_id).correct == 1


def test_a_question_neutralised_while_the_hand_in_is_under_way_counts_in_its_grade(day, app, client, monkeypatch):
    """B7: the chair neutralises a question of the test between the moment the hand-in loaded the test
    (and worked its grading out) and its grading in the writers' queue. The neutralisation re-grades
    only attempts already handed in, so the hand-in's own grading must take it."""
    attempt_id, slot, _right = _answered(client, day, right_answer=False)
    attempt = db.session.get(Attempt, attempt_id)
    ids, _perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
    test_id, version_id = attempt.test_id, int(ids[slot])
    db.session.remove()
    worked = _then(monkeypatch, lambda: in_another_worker(
        app, lambda: neutralising.neutralise(test_id, version_id, "đáp án của câu hỏi bị sai")))
    result = client.post("/exam/candidate/api/submit").get_json()
    assert result["status"] == "submitted"
    assert result["correct"] == 1, result  # B7: the point of the neutralised question, answered wrong
    assert worked == [1, 1]  # worked out ahead, then again in the writers' queue: the first no longer held
    db.session.remove()
    assert db.session.get(Attempt, attempt_id).correct == 1


def test_a_question_neutralised_while_the_hand_in_commits_counts_in_its_grade(day, app, client, monkeypatch):
    """B7 on PostgreSQL: the chair neutralises a question after the hand-in has read the test's
    neutralised questions in the writers' queue and before the hand-in commits. The neutralisation
    re-grades only attempts already handed in, and it does not see this one (not yet committed): so it
    must wait for the hand-in, which holds the test's row FOR SHARE from that read to its commit
    (without it this test fails on PostgreSQL; on SQLite the database's one writer orders the two)."""
    attempt_id, slot, _right = _answered(client, day, right_answer=False)
    attempt = db.session.get(Attempt, attempt_id)
    ids, _perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
    test_id, version_id = attempt.test_id, int(ids[slot])
    db.session.remove()
    real_read = scoring._neutralisations_as_loaded
    neutralised, failure = threading.Event(), []

    def chair():
        try:
            with app.app_context():
                neutralising.neutralise(test_id, version_id, "đáp án của câu hỏi bị sai")
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 -- re-raised in the test's thread
            failure.append(error)
        neutralised.set()

    chair_thread = threading.Thread(target=chair)

    def read_then_neutralise(test):
        as_loaded = real_read(test)
        chair_thread.start()
        neutralised.wait(3)  # done at once unless the hand-in holds it back, as it must
        return as_loaded

    monkeypatch.setattr(scoring, "_neutralisations_as_loaded", read_then_neutralise)
    result = client.post("/exam/candidate/api/submit").get_json()
    chair_thread.join(30)
    assert not failure, failure
    assert result["status"] == "submitted"
    db.session.remove()
    assert db.session.get(Attempt, attempt_id).correct == 1  # B7: the point, answered wrong
