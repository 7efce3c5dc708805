"""A hand-in's grading worked out before the hand-in queues for the database's one writer (SQLite,
database.one_writer_at_a_time). Reading the attempt, its answers and the keys and grading them was a
third of the time a hand-in held the writer, and in the last minute of a sitting thousands hand in
while the others save: every save waited behind it. The writes stay in the queue. Grading there
takes what was worked out only if the attempt's row (as the hand-in leaves it) and its answers (a
save accepted meanwhile) are as they were read; otherwise it works it out again, so that on SQLite a
hand-in is graded on the answers stored at its claim. The test's pass mark is the one the request
loaded; its neutralised questions are read again in the queue (scoring.grade, B7)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import SQLAlchemyError

from recruitment.database import run_core
from recruitment.extensions import db

from . import scoring
from .models import Attempt, AttemptAnswer, ExamTest


@dataclass(frozen=True)
class Ahead:
    row: tuple  # the attempt's grading row (scoring.ATTEMPT_ROW) with the status the hand-in gives it
    answers: tuple  # answers_mark when they were read
    worked: scoring.WorkedOut

    def fits(self, rows: list) -> bool:
        """Whether the grading worked out holds for these rows, read in the writer's transaction."""
        return len(rows) == 1 and tuple(rows[0]) == self.row and answers_mark(rows[0].id) == self.answers


def work_out(attempt: Attempt, status: str) -> Ahead | None:
    """The grading of this attempt once handed in with `status`, from its answers as they stand; None
    when it cannot be worked out (grading in the writer's queue then reports why)."""
    row = run_core(scoring.attempt_rows_by_id(), {"ids": [attempt.id]}).one_or_none()
    if row is None:
        return None
    row = row._asdict() | {"status": status}
    # The mark first: a save between it and the answers' read makes it differ later, never the
    # other way round (answers read with a save the mark missed would pass as unchanged).
    mark = answers_mark(attempt.id)
    graded_as = scoring.AttemptRow(**row)
    try:
        worked = scoring.work_out(db.session.get(ExamTest, graded_as.test_id), [graded_as])
    except SQLAlchemyError:
        raise  # the transaction may be over (PostgreSQL): the hand-in fails and the page sends it again
    except Exception:  # noqa: BLE001 - a form that cannot be graded: grading in the queue reports it
        return None
    return Ahead(tuple(graded_as), mark, worked)


def answers_mark(attempt_id: int) -> tuple:
    """(count, sum of seq) of an attempt's answers: a save accepted either adds a row or raises its
    seq (exam/day/autosave.py stores a seq greater than the stored one only), so any save changes it."""
    return tuple(run_core(_answers_mark(), {"attempt_id": attempt_id}).one())


@cache
def _answers_mark():
    return select(func.count(), func.coalesce(func.sum(AttemptAnswer.seq), 0)).where(
        AttemptAnswer.attempt_id == bindparam("attempt_id"))
