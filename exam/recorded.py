"""A recorded result is never silently overwritten (issue "Exam day you can trust", item 3): which
hub rows hold a result that did not come from this computer test, and the chair's replacement of
one by the graded attempt, with a reason, audited with before and after. The next published
version's diff shows the change, since results are computed from these rows."""
from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, select

from recruitment.database import run_core
from recruitment.extensions import db
from recruitment.scores import Round1Result, Round2Score

from .models import ExamTest


def part_of(test: ExamTest) -> str:
    return "language" if test.kind == "round1_language" else "general"


def hub_rows(test: ExamTest, application_ids: list[int]) -> list[tuple[int, int, bool]]:
    """(application id, row id, protected) of the hub rows these applications hold for the test;
    protected: the result was recorded otherwise than by grading a computer attempt (imported,
    entered by hand), and grading may not write over it. Read in one statement built once (every
    hand-in asks)."""
    if not application_ids:
        return []
    if test.kind == "round2_written":
        rows = run_core(_round2_rows(), {"ids": application_ids})
        return [(a, i, source not in (None, "computer") and (written is not None or bool(absent) or bool(voided)))
                for a, i, source, written, absent, voided in rows]
    rows = run_core(_round1_rows(), {"ids": application_ids, "part": part_of(test)})
    return [(a, i, source not in (None, "computer")) for a, i, source in rows]


@cache
def _round1_rows():
    return select(Round1Result.application_id, Round1Result.id, Round1Result.source).where(
        Round1Result.application_id.in_(bindparam("ids", expanding=True)), Round1Result.part == bindparam("part"))


@cache
def _round2_rows():
    return select(Round2Score.application_id, Round2Score.id, Round2Score.written_source, Round2Score.written,
                  Round2Score.written_absent, Round2Score.written_voided).where(
        Round2Score.application_id.in_(bindparam("ids", expanding=True)))


def recorded(test: ExamTest, application_id: int) -> bool:
    """Whether the candidate already has a result for the test, from any source: then no attempt
    opens for them unless the chair ordered a retake (B5)."""
    if test.kind == "round2_written":
        row = db.session.scalar(select(Round2Score).filter_by(application_id=application_id))
        return row is not None and (row.written is not None or row.written_absent or row.written_voided)
    return db.session.scalar(_round1_result(), {"application_id": application_id, "part": part_of(test)}) is not None


@cache
def _round1_result():
    """Built once: every candidate's log-in asks it (see recruitment/models.py user_with_roles)."""
    return select(Round1Result.id).where(Round1Result.application_id == bindparam("application_id"),
                                         Round1Result.part == bindparam("part"))


def forget_graded(test: ExamTest, application_id: int) -> None:
    """The hub's result for the test as grading wrote it, taken back: the attempt it was graded from
    opens again (a suspension before the start, withdrawn). A result recorded otherwise stays."""
    if test.kind == "round2_written":
        row = db.session.scalar(select(Round2Score).filter_by(application_id=application_id))
        if row is not None and row.written_source in (None, "computer"):
            row.written, row.written_absent, row.written_voided, row.written_source = None, False, False, None
        return
    row = db.session.scalar(select(Round1Result).filter_by(application_id=application_id, part=part_of(test)))
    if row is not None and row.source in (None, "computer"):
        db.session.delete(row)


def snapshot(test: ExamTest, application_id: int) -> dict | None:
    """The hub's result for the audit's before and after."""
    if test.kind == "round2_written":
        row = db.session.scalar(select(Round2Score).filter_by(application_id=application_id))
        return None if row is None else {"written": row.written, "written_absent": row.written_absent,
                                         "written_voided": row.written_voided, "source": row.written_source}
    row = db.session.scalar(select(Round1Result).filter_by(application_id=application_id, part=part_of(test)))
    return None if row is None else {"correct": row.correct, "total": row.total, "absent": row.absent,
                                     "sanction": row.sanction, "source": row.source}
