"""The peaks of exam day, the start of a sitting, the hand-in and the collection at the deadline: what
they cost the database (statement and commit counts, not timings; the timings are bench.examday's,
the counts per request bench.request_cost's)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event
from sqlalchemy.orm import Session

from exam import scoring
from exam.day import candidate, handing_in, seating
from exam.day.models import Placement, Sitting
from exam.models import Attempt, AttemptAnswer
from recruitment import audit_check, throttle
from recruitment.audit import AuditEntry
from recruitment.database import is_sqlite
from recruitment.extensions import db
from recruitment.models import User
from tests.support.candidate import shows_the_exam

# Log-in, exam page, state and paper took 57 statements, 28 of them lazy loads, and two durable
# commits; the placement is now loaded with what they read, and the log-in begins the attempt. The
# exam-day integrity checks add a few (two lock-out counts, the live-session token, the recorded
# round-1 result): 37 in all. The placement is now read once at the log-in (not preloaded, then
# read again), the lock-out counts are one query, and an audit entry moves the chain's head with
# one statement (UPDATE ... RETURNING) rather than two: 30.
# The start is now two requests, the log-in and the exam page, which carries the paper; the accounts
# are made with the access codes, and the log-in no longer looks for overdue attempts: 20.
# The start is now one request: the log-in answers with the exam page and its paper, from the
# placement and account it has just read: 11, and on PostgreSQL the advisory locks under which
# the counts are read one log-in at a time (throttle.one_check_at_a_time; SQLite's writers' queue is
# a file lock, no statement): a right code's, of its own candidate's count only. Its account is read
# before that queue, which then holds the count and the four writes: it held six statements.
MOST_STATEMENTS = 11
LOGIN_QUEUED_MOST_STATEMENTS = 5
# A hand-in took 30 statements and two durable commits, and graded the attempt by reading every
# answer of the whole test (two more statements, growing with the sitting): now 24 here (23 in
# bench.request_cost) and one commit, and it reads its own answers only. Collecting the others asks
# first, in one statement, whether anything is to collect: 22. The grading's audit entry and the
# hand-in's are appended together: 18. Answers read in one statement, the hub's rows in one, the
# attempt not read back after grading: 15. The grading is now worked out before the writers' queue
# (three statements more, one of them in the queue to see that its answers have not changed),
# and whether others are overdue is asked before it too: 18 in all, of which 11 hold SQLite's one
# writer. The test's neutralised questions are read again in the queue (B7: a neutralisation that
# committed meanwhile counts): 19, of which 12 in the queue.
HANDIN_MOST_STATEMENTS = 19
HANDIN_QUEUED_MOST_STATEMENTS = 12
# Of those 12, each went through the Session's execute (its compile state, ORM events and bind lookup
# around the statement), which took twice the Connection's own: a hand-in held the one writer 5.7 to
# 6.0 ms (bench.request_cost's queue_ms), a fifth of it that bookkeeping. The statements on tables and
# columns now go on the Session's connection (database.run_core): 4.7 ms. Only the grading's savepoint
# is still the Session's, which sends no statement of its own through execute.
HANDIN_QUEUED_SESSION_EXECUTES = 0
# Collecting a sitting appended each attempt's entry on its own (a head move each) and recorded
# each absent candidate on its own (48 statements for the four here): the attempts are now graded,
# recorded absent and audited together (31), the grading's entry with the collection's (27).
COLLECTION_MOST_STATEMENTS = 27


def _count_statements():
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda _c, _cur, statement, *_a: seen.append(statement))
    return seen


def _count_queued(monkeypatch, seen: list[str]) -> list[int]:
    """The statements sent in each stay in the writers' queue (database.one_writer_at_a_time)."""
    queued: list[int] = []
    real = candidate.one_writer_at_a_time

    @contextmanager
    def counted():
        before = len(seen)
        with real():
            yield
            queued.append(len(seen) - before)
    monkeypatch.setattr(candidate, "one_writer_at_a_time", counted)
    monkeypatch.setattr(throttle, "one_writer_at_a_time", counted)  # the queue of the counts of wrong codes
    return queued


def _count_commits():
    commits: list[int] = []
    event.listen(db.engine, "commit", lambda _c: commits.append(1))
    return commits


def _logged_in(app, day, number: int):
    client = app.test_client()
    assert shows_the_exam(client.post("/exam/candidate/login", data={
        "round_id": day.round_id, "candidate_number": number, "access_code": day.access[number]}))
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "in_progress"
    return client


def _answer_all(client) -> None:
    """Every slot: a choice, or a text for a fill-in question."""
    for question in client.get("/exam/candidate/api/paper").get_json()["questions"]:
        answer = {"text": "Hà Nội"} if question["type"] == "fill" else {"choice": 0}
        saved = client.post("/exam/candidate/api/answer", json={"slot": question["slot"], "seq": 1, **answer})
        assert saved.get_json()["saved"], saved.get_json()


def test_a_hand_in_is_one_commit_and_grades_the_candidate_s_own_answers_only(app, day, monkeypatch):
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    db.session.commit()
    mine, other = _logged_in(app, day, 1), _logged_in(app, day, 2)
    _answer_all(mine)
    _answer_all(other)  # the other candidate's answers are not read to grade the first one
    read: list[tuple] = []  # every answer row grading read, choices and texts
    answers = scoring._answers

    def reading(test, ids):
        choices, texts = answers(test, ids)
        read.extend(choices + texts)
        return choices, texts
    monkeypatch.setattr(scoring, "_answers", reading)
    seen, commits = _count_statements(), _count_commits()
    queued = _count_queued(monkeypatch, seen)
    result = mine.post("/exam/candidate/api/submit").get_json()
    assert result["status"] == "submitted" and result["questions"] == 8
    assert len(seen) <= HANDIN_MOST_STATEMENTS, "\n".join(seen)
    assert len(queued) == 1 and queued[0] <= HANDIN_QUEUED_MOST_STATEMENTS, queued
    attempt_id = db.session.scalar(db.select(Placement.attempt_id).join(Attempt, Attempt.id == Placement.attempt_id)
                                   .where(Attempt.status == "submitted"))
    assert read and {row[0] for row in read} == {attempt_id}
    assert len(commits) == 1  # the hand-in, its grade, its audit entries and the session's end together
    db.session.expire_all()
    assert db.session.scalar(db.select(Placement.session_token).filter_by(attempt_id=attempt_id)) is None
    assert mine.post("/exam/candidate/api/answer", json={"slot": 0, "seq": 5, "choice": 1}).status_code in (401, 409)
    assert db.session.scalar(db.select(AttemptAnswer.seq).filter_by(attempt_id=attempt_id, slot=0)) == 1


def test_the_hand_in_s_statements_in_the_writers_queue_skip_the_session_s_execute(app, day, monkeypatch):
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    db.session.commit()
    mine = _logged_in(app, day, 1)
    _answer_all(mine)
    executes: list[str] = []  # the Session's executions (ORM-enabled or not), by statement
    holding = [False]
    real = candidate.one_writer_at_a_time

    @contextmanager
    def queue():
        with real():
            holding[0] = True
            try:
                yield
            finally:
                holding[0] = False
    monkeypatch.setattr(candidate, "one_writer_at_a_time", queue)

    def note(state):
        if holding[0]:
            executes.append(str(state.statement))
    event.listen(Session, "do_orm_execute", note)
    try:
        result = mine.post("/exam/candidate/api/submit").get_json()
    finally:
        event.remove(Session, "do_orm_execute", note)
    assert result["status"] == "submitted" and result["correct"] is not None
    assert len(executes) <= HANDIN_QUEUED_SESSION_EXECUTES, "\n\n".join(executes)
    assert audit_check.verify().ok  # the chain's head moved and set as before


def test_the_collection_appends_its_entries_together_and_the_chain_holds(app, day):
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    db.session.commit()
    for number in (1, 2):  # begun and left open: collected at the deadline; 3 and 4 never came: absent
        _answer_all(_logged_in(app, day, number))
    before = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    later = db.session.get(Sitting, day.sitting_id).ends_at + timedelta(seconds=1)
    seen = _count_statements()
    assert handing_in.collect_overdue(later).count == 4
    db.session.commit()
    assert len(seen) <= COLLECTION_MOST_STATEMENTS, "\n".join(seen)
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.seq > before).order_by(AuditEntry.seq)).all()
    assert sorted(e.action for e in entries if e.action.startswith("attempt_")) == [
        "attempt_absent", "attempt_absent", "attempt_collected", "attempt_collected"]
    assert audit_check.verify().ok
    assert sorted(db.session.scalars(db.select(Attempt.status))) == ["collected"] * 4


def test_the_log_in_begins_the_attempt_when_the_sitting_is_open(day, client, monkeypatch):
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    db.session.commit()
    seen = _count_statements()
    queued = _count_queued(monkeypatch, seen)
    page = client.post("/exam/candidate/login", data={"round_id": day.round_id, "candidate_number": 1,
                                                      "access_code": day.access[1]})
    # The log-in answers with the exam page and its paper: the page asks nothing more.
    assert shows_the_exam(page) and 'id="exam-paper"' in page.get_data(as_text=True)
    assert len(seen) <= MOST_STATEMENTS + (not is_sqlite()), "\n".join(seen)
    if is_sqlite():  # the writers' queue (PostgreSQL locks rows and the count's key instead)
        assert len(queued) == 1 and queued[0] <= LOGIN_QUEUED_MOST_STATEMENTS, (queued, "\n".join(seen))
    db.session.expire_all()
    attempt = db.session.scalar(db.select(Attempt).join(Placement, Placement.attempt_id == Attempt.id)
                                .where(Placement.sitting_id == day.sitting_id, Attempt.status == "in_progress"))
    assert attempt is not None and attempt.started_at is not None and attempt.deadline is not None
    placement = db.session.scalar(db.select(Placement).filter_by(attempt_id=attempt.id))
    assert placement.last_seen is not None
    again = client.get("/exam/candidate/")  # a reload
    assert again.status_code == 200 and 'id="exam-paper"' in again.get_data(as_text=True)


def test_issuing_the_codes_makes_the_accounts_so_the_log_ins_only_read_them(day, client):
    """The start of a sitting is its peak: the accounts exist before it, made together with the codes."""
    applications = set(db.session.scalars(db.select(Attempt.application_id).join(Placement, Placement.attempt_id == Attempt.id)
                                          .where(Placement.sitting_id == day.sitting_id)))
    accounts = {u.application_id: u for u in db.session.scalars(db.select(User).where(User.application_id.in_(applications)))}
    assert set(accounts) == applications
    assert all(u.role_names == {"candidate"} and u.password_hash.startswith("!") for u in accounts.values())
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    db.session.commit()
    seen = _count_statements()
    assert shows_the_exam(client.post("/exam/candidate/login", data={
        "round_id": day.round_id, "candidate_number": 1, "access_code": day.access[1]}))
    assert not [s for s in seen if "INSERT INTO users" in s or "INSERT INTO user_roles" in s]
    again = seating.issue_access_codes(db.session.get(Sitting, day.sitting_id))  # new tickets: no second account
    db.session.commit()
    assert again and db.session.scalar(db.select(db.func.count()).select_from(User)
                                       .where(User.application_id.in_(applications))) == len(applications)


def test_the_state_asked_right_after_writes_nothing_and_still_begins_a_waiting_candidate(day, client):
    assert shows_the_exam(client.post("/exam/candidate/login", data={
        "round_id": day.round_id, "candidate_number": 1, "access_code": day.access[1]}))
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "not_started"  # not open yet
    seen = _count_statements()
    client.get("/exam/candidate/api/state")
    assert not [s for s in seen if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]  # seen 0 s ago
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    db.session.commit()
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "in_progress"
