"""Handing in (B3) and collection at the deadline (B4): each attempt is claimed by one conditional
UPDATE, so that of a hand-in and the collections of every worker exactly one hands it in, and graded
at once; candidates who never started a sitting that is over are recorded absent."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from flask_babel import gettext as _
from sqlalchemy import bindparam, exists, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from recruitment import audit_bulk
from recruitment.database import run_core, utcnow
from recruitment.extensions import db
from recruitment.i18n import local_time

from .. import grading_ahead, scoring
from ..models import CLOSED_BY_SITTING, Attempt, ExamTest
from .models import Placement, Sitting
from .proctoring import record
from .seating import Refused


class HandedIn(Refused):
    """The attempt is no longer in progress: handed in, or collected by another worker's collection at
    the deadline a moment before. The attempt (refreshed) holds its final state, which is the answer."""


def graded_ahead(attempt: Attempt, now: datetime) -> grading_ahead.Ahead | None:
    """The grading of this hand-in worked out before it queues for the writer (exam/grading_ahead.py);
    for submit."""
    if attempt.status != "in_progress":
        return None
    return grading_ahead.work_out(attempt, _closing_status(attempt, now))


def _closing_status(attempt: Attempt, now: datetime, at_deadline: bool = False) -> str:
    """B4: a hand-in at or after the deadline is the collection."""
    at_deadline = at_deadline or (attempt.deadline is not None and attempt.deadline <= now)
    return CLOSED_BY_SITTING if at_deadline else "submitted"


def submit(attempt: Attempt, now: datetime, *, at_deadline: bool = False,
           ahead: grading_ahead.Ahead | None = None) -> list[scoring.GradingFailure]:
    """B3: handed in by the candidate or collected at the deadline (B4: a hand-in at or after the
    deadline is the collection); graded at once. An attempt that cannot be graded stays handed in and
    becomes an incident for the chair (returned). The attempt is claimed by one conditional UPDATE,
    so of a hand-in and the collections of every other worker racing it exactly one hands it in; the
    others get HandedIn with the attempt refreshed, never a second hand-in over the first.
    ahead: graded_ahead's, taken if nothing it was worked out from has changed."""
    if attempt.status != "in_progress":
        raise HandedIn(_("this test is not in progress"))
    status = _closing_status(attempt, now, at_deadline)
    db.session.flush()  # whatever the session's autoflush: the claim follows every change made before it
    claimed = run_core(_claim(), {"attempt_id": attempt.id, "status": status, "now": now}).rowcount
    if not claimed:
        db.session.refresh(attempt)  # its final state, which another worker wrote, is the answer
        raise HandedIn(_("this test is not in progress"))
    # What the UPDATE wrote, known without reading the row again (a reload per hand-in at its peak).
    set_committed_value(attempt, "status", status)
    set_committed_value(attempt, "submitted_at", now)
    entries: list[audit_bulk.Change] = []  # the grading's and the hand-in's, appended at once
    failures = _grade_or_report([attempt], entries, ahead)
    entries.append(audit_bulk.Change("attempt_collected" if status == CLOSED_BY_SITTING else "attempt_submitted", "exam_attempt",
                                     attempt.id, after={"correct": attempt.correct, "score": attempt.score,
                                                        "passed": attempt.passed}))
    audit_bulk.record_many(entries, len(entries))
    return failures


@cache
def _claim():
    """Parameters: attempt_id, status, now. Built once: every hand-in claims its attempt (on the table:
    the ORM's execution of an UPDATE cost more than the database's work)."""
    table = Attempt.__table__
    return (update(table).where(table.c.id == bindparam("attempt_id"), table.c.status == "in_progress")
            .values(status=bindparam("status"), submitted_at=bindparam("now")))


def _grade_or_report(attempts: list[Attempt], entries: list[audit_bulk.Change],
                     ahead: grading_ahead.Ahead | None = None) -> list[scoring.GradingFailure]:
    """Grades; what cannot be graded, or meets a result recorded otherwise, is an incident for the chair.
    entries, ahead: as scoring.grade's."""
    by_id = {a.id: a for a in attempts}  # before grading, which may expire them (each would reload for its id)
    report = scoring.grade(list(by_id), entries, ahead)
    if report.failures or report.held:  # the incidents follow the grading they report, in the chain
        audit_bulk.record_many(entries, len(entries))
        entries.clear()
    for failure in report.failures:
        # The error's own text (an exception's) goes to the server's log, not to the console's reader.
        record(by_id[failure.attempt_id], "grading_failed",
               _("could not be graded: the error is in the server's log at %(time)s; once it is mended the chair "
                 "grades it again (flask exam grade)", time=local_time(utcnow()).strftime("%H:%M")), None)
    for attempt_id in report.held:
        attempt = by_id[attempt_id]
        record(attempt, "result_held",
               _("graded %(correct)s correct, but a result recorded otherwise (imported or entered) is kept; only the "
                 "council chair replaces it, with a reason", correct=attempt.correct), None)
    return report.failures


@dataclass
class Collection:
    count: int = 0  # attempts collected, graded or not, and candidates recorded absent
    failed: list[scoring.GradingFailure] = field(default_factory=list)


CLAIM_CHUNK = 500  # ids per statement, well under every engine's limit on bound parameters


def _claim_overdue(now: datetime) -> list[Attempt]:
    """The overdue attempts this transaction collects, and no other: on PostgreSQL the rows another
    worker's collection or a hand-in holds are skipped (that worker hands them in; nobody waits on
    anybody, so two collections never deadlock), and on every engine the UPDATE takes only attempts
    still in progress, so one collected or handed in meanwhile is never handed in a second time."""
    ids = db.session.scalars(select(Attempt.id).where(Attempt.status == "in_progress", Attempt.deadline <= now)
                             .order_by(Attempt.id).with_for_update(skip_locked=True)).all()
    claimed: list[int] = []
    for start in range(0, len(ids), CLAIM_CHUNK):
        chunk = ids[start:start + CLAIM_CHUNK]
        claimed += db.session.scalars(update(Attempt).where(Attempt.id.in_(chunk), Attempt.status == "in_progress")
                                      .values(status=CLOSED_BY_SITTING, submitted_at=now).returning(Attempt.id)
                                      .execution_options(synchronize_session=False)).all()
    overdue: list[Attempt] = []
    for start in range(0, len(claimed), CLAIM_CHUNK):
        overdue += db.session.scalars(select(Attempt).where(Attempt.id.in_(claimed[start:start + CLAIM_CHUNK]))
                                      .execution_options(populate_existing=True)).all()
    return overdue


def _sittings_to_record(now):
    """The sittings over whose absentees are not yet recorded: the day's last one or two, whatever the
    history (an index on both), where asking the attempts not started (every later shift's
    candidates, each looked up in its sitting) cost 30 ms a hand-in with 15,000 of them."""
    return (Sitting.collected_at.is_(None), Sitting.ends_at <= now)


def anything_to_collect(now: datetime) -> bool:
    """Every hand-in and state poll asks, before it queues for the writer (a read): in all but the
    last moments of a sitting the answer is no, and one statement built once says so at a fraction
    of collect_overdue's queries."""
    return bool(run_core(_anything_to_collect(), {"now": now}).scalar())


@cache
def _anything_to_collect():
    """Parameter: now."""
    now = bindparam("now")
    return select(or_(exists().where(Attempt.status == "in_progress", Attempt.deadline <= now),
                      exists().where(*_sittings_to_record(now))))


def _record_absent(now: datetime) -> tuple[list[int], list[Attempt]]:
    """B4: the candidates who never started a sitting over are absent. Each sitting is recorded once,
    by the collection that marks it (collected_at, set even when nobody was absent, so that no hand-in
    after it asks again); on PostgreSQL a sitting another worker is recording is skipped (as
    _claim_overdue's rows: nobody waits on anybody, so two collections never deadlock), and on every
    engine the mark is set only where it is not yet, so no sitting is recorded twice."""
    pending = db.session.scalars(select(Sitting.id).where(*_sittings_to_record(now)).order_by(Sitting.id)
                                 .with_for_update(skip_locked=True, key_share=True)).all()
    if not pending:
        return [], []
    mine = db.session.scalars(update(Sitting).where(Sitting.id.in_(pending), Sitting.collected_at.is_(None))
                              .values(collected_at=now).returning(Sitting.id)
                              .execution_options(synchronize_session=False)).all()
    if not mine:
        return [], []
    placed = select(Placement.attempt_id).where(Placement.sitting_id.in_(mine))
    return mine, db.session.scalars(select(Attempt).where(Attempt.status == "not_started", Attempt.id.in_(placed))).all()


def collect_overdue(now: datetime) -> Collection:
    """Collects every attempt whose deadline has passed, browser or not (B4); candidates who never
    started a sitting that is over are recorded absent. Safe to call from any worker, any time: the
    attempts are graded together, and one that cannot be graded is reported, never raised."""
    result = Collection()
    if not anything_to_collect(now):
        return result
    overdue = _claim_overdue(now)
    if overdue:
        entries: list[audit_bulk.Change] = []
        result.failed = _grade_or_report(overdue, entries)
        # One chained entry each, appended together with the grading's (a whole sitting may be collected at once).
        entries += [audit_bulk.Change("attempt_collected", "exam_attempt", attempt.id, after={
            "correct": attempt.correct, "score": attempt.score, "passed": attempt.passed}) for attempt in overdue]
        audit_bulk.record_many(entries, len(entries))
        result.count += len(overdue)
    sittings, absent = _record_absent(now)
    by_test: dict[int, list[Attempt]] = {}
    for attempt in absent:
        attempt.status = CLOSED_BY_SITTING  # absent: never started (models.absent)
        by_test.setdefault(attempt.test_id, []).append(attempt)
    for test_id, attempts in by_test.items():
        scoring.mark_absent(db.session.get(ExamTest, test_id), attempts)
    if sittings:  # each sitting's mark and its absentees, appended together
        entries = [audit_bulk.Change("sitting_collected", "exam_sitting", sitting_id, before={"collected_at": None},
                                     after={"collected_at": now}) for sitting_id in sittings]
        entries += [audit_bulk.Change("attempt_absent", "exam_attempt", a.id) for a in absent]
        audit_bulk.record_many(entries, len(entries))
    result.count += len(absent)
    return result
