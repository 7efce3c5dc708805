"""Group commit (exam/day/group_commit.py): the saves that an app server's threads bring while a commit
is being written go to disk together, each acknowledged only after the commit that holds it; a save
the database refuses fails alone, and the rest of its batch is written."""
from __future__ import annotations

import threading
import time

from exam.day import admission, autosave, group_commit, seating
from exam.day.models import Sitting
from exam.models import AttemptAnswer
from recruitment import driver_sql
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import ROLES, Role
from tests.support.factories import build_day


def _sessions(day, count: int) -> list[tuple[int, int, str]]:
    """The first `count` candidates opened (_opened), and the app commits saves in groups, as under
    gunicorn with THREADS > 1."""
    from flask import current_app

    current_app.config["AUTOSAVE_GROUP_COMMIT"] = True
    return _opened(day, count)


def _opened(day, count: int) -> list[tuple[int, int, str]]:
    """The first `count` candidates logged in, their attempts begun: (attempt, application, session token)."""
    seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
    opened = []
    for number in sorted(day.access)[:count]:
        placement = admission.login(day.round_id, number, day.access[number], utcnow())
        token = admission.open_session(placement, "10.0.0.1", utcnow())
        admission.begin(placement, utcnow())
        opened.append((placement.attempt_id, placement.attempt.application_id, token))
    db.session.commit()
    return opened


def _slow_commits(monkeypatch, seconds: float) -> list[int]:
    """Every commit of saves waits a moment before it is written, as a disk flush does: saves gather
    meanwhile. The saves commit through the driver (driver_sql.driver_transaction)."""
    commits: list[int] = []
    commit = driver_sql.DriverTransaction.commit

    def slow(transaction):
        commits.append(1)
        time.sleep(seconds)
        commit(transaction)

    monkeypatch.setattr(driver_sql.DriverTransaction, "commit", slow)
    return commits


def _in_threads(app, calls) -> list:
    """Runs each call in a thread of its own (an app server's threads), started a moment apart."""
    return _in_apps([(app, call) for call in calls])


def _in_apps(calls) -> list:
    """Runs each (app, call) in a thread of its own, in that app's context, started a moment apart."""
    outcomes: list = [None] * len(calls)

    def run(i, app, call):
        with app.app_context():
            try:
                outcomes[i] = call()
            except Exception as failure:  # noqa: BLE001 -- the outcome under test
                outcomes[i] = failure
            db.session.remove()

    threads = [threading.Thread(target=run, args=(i, app, call)) for i, (app, call) in enumerate(calls)]
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    for thread in threads:
        thread.join(30)
    return outcomes


def _save(attempt_id, application_id, token, seq=1):
    return lambda: autosave.save_answer(attempt_id, application_id, 0, seq, utcnow(), token=token, choice=1)


def test_saves_that_arrive_during_a_commit_are_written_together_and_all_acknowledged(app, day, monkeypatch):
    opened = _sessions(day, len(day.access))
    db.session.remove()
    commits = _slow_commits(monkeypatch, 0.3)
    outcomes = _in_threads(app, [_save(*o) for o in opened])
    assert [type(o).__name__ for o in outcomes] == ["Ack"] * len(opened), outcomes
    assert len(commits) < len(opened)  # the first save's commit, then the others together
    stored = dict(db.session.execute(db.select(AttemptAnswer.attempt_id, AttemptAnswer.seq)).all())
    assert stored == {attempt_id: 1 for attempt_id, _application, _token in opened}


def test_a_save_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_written(app, day, monkeypatch):
    (first, second, third) = _sessions(day, 3)
    db.session.remove()
    commits = _slow_commits(monkeypatch, 0.3)
    breaks = {"attempt": second[0]}

    def store(statement, params, stored):
        if params["attempt"] == breaks["attempt"]:
            return real_store(statement, params, lambda _result: 1 / 0)  # the database fails on this save
        return real_store(statement, params, stored)

    real_store = group_commit.store
    monkeypatch.setattr(group_commit, "store", store)
    outcomes = _in_threads(app, [_save(*first), _save(*second), _save(*third)])
    # The first save was written alone; the second and third came during its commit, together: the
    # batch failed on the second, and was written again save by save.
    assert [type(o).__name__ for o in outcomes] == ["Ack", "ZeroDivisionError", "Ack"], outcomes
    assert len(commits) == 2  # the first save's, then the third's alone: the batch failed before its commit
    stored = set(db.session.scalars(db.select(AttemptAnswer.attempt_id)))
    assert stored == {first[0], third[0]}
    batches = group_commit.batches_of(db.engine)
    assert batches.waiting == [] and not batches.writing  # the next save leads again
    assert type(_in_threads(app, [_save(*third, seq=2)])[0]).__name__ == "Ack"


def _stored(app) -> dict[int, int]:
    with app.app_context():
        stored = dict(db.session.execute(db.select(AttemptAnswer.attempt_id, AttemptAnswer.seq)).all())
        db.session.remove()
    return stored


def test_saves_to_two_databases_at_once_are_each_written_to_their_own(app, day, app_factory, tmp_path, monkeypatch):
    """One process serving two apps (the test suite; a server thread of one test still answering
    while the next test's app saves): a save batches only with saves to the same database, and each
    lands in its own app's database, acknowledged as stored."""
    other = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'other.sqlite'}")
    with other.app_context():
        db.create_all()
        db.session.add_all([Role(name=name) for name in ROLES])
        db.session.commit()
        (tmp_path / "other").mkdir()
        other_opened = _sessions(build_day(tmp_path / "other"), 4)
        db.session.remove()
    opened = _sessions(day, 4)
    db.session.remove()
    _slow_commits(monkeypatch, 0.3)  # every engine's
    # The two databases have the same attempt numbers: only the session tokens tell them apart.
    assert [attempt for attempt, _a, _t in opened] == [attempt for attempt, _a, _t in other_opened]
    calls = []
    for mine, theirs in zip(opened, other_opened, strict=True):  # one save of each app, in turn
        calls += [(app, _save(*mine)), (other, _save(*theirs, seq=2))]
    outcomes = _in_apps(calls)
    assert [type(o).__name__ for o in outcomes] == ["Ack"] * len(calls), outcomes
    assert [o.stored_seq for o in outcomes] == [1, 2] * len(opened)
    assert _stored(app) == {attempt_id: 1 for attempt_id, _application, _token in opened}
    assert _stored(other) == {attempt_id: 2 for attempt_id, _application, _token in other_opened}
