"""Candidates who never started a sitting that is over are recorded absent (B4), by the first collection
after its end. Every hand-in and state poll asks first whether anything is to collect: that question
walked every attempt not yet started, each looked up in its sitting, and a round sat in shifts has
thousands of them (the later shifts' candidates): 30 ms a hand-in with 15,000, three times a hand-in's
own cost, at the busiest minute of the day. A sitting whose absentees are recorded is marked so
(Sitting.collected_at), and the question asks the sittings over and not yet marked."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from exam.day import handing_in
from exam.day.models import Placement, Sitting
from exam.models import Attempt
from recruitment.audit import AuditEntry
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.factories import language_sitting


@pytest.fixture
def later_shift(day) -> int:
    """The round's second test, sat by the same candidates in a sitting three hours from now; its id."""
    sitting = language_sitting(day, hours_from_now=3)
    db.session.commit()
    return sitting.id


def _statuses(sitting_id: int) -> list[str]:
    return sorted(db.session.scalars(select(Attempt.status).join(Placement, Placement.attempt_id == Attempt.id)
                                     .where(Placement.sitting_id == sitting_id)))


def test_the_first_collection_after_the_end_records_the_absent_and_marks_the_sitting(day, later_shift):
    first = db.session.get(Sitting, day.sitting_id)
    assert not handing_in.anything_to_collect(utcnow())  # under way: nothing to collect yet
    after = first.ends_at + timedelta(seconds=1)
    assert handing_in.anything_to_collect(after)
    assert handing_in.collect_overdue(after).count == len(day.access)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Sitting, day.sitting_id).collected_at == after
    assert db.session.get(Sitting, later_shift).collected_at is None
    assert _statuses(day.sitting_id) == ["collected"] * len(day.access)
    assert _statuses(later_shift) == ["not_started"] * len(day.access)  # the later shift's are not absent
    marked = db.session.scalar(select(AuditEntry).filter_by(action="sitting_collected", object_id=str(day.sitting_id)))
    assert marked is not None and json.loads(marked.before) == {"collected_at": None}
    # The sitting's absentees are recorded once: asking again costs nothing and records nothing.
    entries = db.session.scalar(select(db.func.count()).select_from(AuditEntry))
    assert not handing_in.anything_to_collect(after + timedelta(minutes=5))
    assert handing_in.collect_overdue(after + timedelta(minutes=5)).count == 0
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry)) == entries


def test_a_sitting_over_with_nobody_absent_is_marked_too(app, day):
    """Else every hand-in after it would go on into the collection, to find nobody."""
    first = db.session.get(Sitting, day.sitting_id)
    for attempt in db.session.scalars(select(Attempt)):
        attempt.status = "submitted"
    db.session.commit()
    after = first.ends_at + timedelta(seconds=1)
    assert handing_in.anything_to_collect(after)
    assert handing_in.collect_overdue(after).count == 0
    db.session.commit()
    assert db.session.get(Sitting, day.sitting_id).collected_at == after
    assert not handing_in.anything_to_collect(after)


def test_the_later_shifts_absent_are_recorded_after_their_own_end(day, later_shift):
    first_end = db.session.get(Sitting, day.sitting_id).ends_at
    handing_in.collect_overdue(first_end + timedelta(seconds=1))
    db.session.commit()
    second_end = db.session.get(Sitting, later_shift).ends_at
    assert not handing_in.anything_to_collect(second_end - timedelta(seconds=1))
    assert handing_in.collect_overdue(second_end + timedelta(seconds=1)).count == len(day.access)
    db.session.commit()
    assert _statuses(later_shift) == ["collected"] * len(day.access)


def test_sqlite_asks_without_reading_the_attempts_not_started(day, later_shift):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    statement = handing_in._anything_to_collect().compile(db.engine)
    bound = statement.construct_params({"now": utcnow()})
    plan = [row[3] for row in db.session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {statement}", tuple(bound[name] for name in statement.positiontup))]
    assert not any("exam_placements" in step for step in plan), plan
    attempts = [step for step in plan if "exam_attempts" in step]
    assert attempts and all("status=? AND deadline<?" in step for step in attempts), plan
