"""A recorded result is never silently overwritten (issue "Exam day you can trust", item 3): which
hub rows hold a result that did not come from this computer test, and the chair's replacement of
one by the graded attempt, with a reason, audited with before and after. The next published
version's diff shows the change, since results are computed from these rows."""
from __future__ import annotations

from functools import cache

from sqlalchemy import bindparam, select

from recruitment.extensions import db
from recruitment.scores import Round1Result, Round2Score

from .models import ExamTest


def part_of(test: ExamTest) -> str:
    return "language" if test.kind == "round1_language" else "general"


def protected_ids(test: ExamTest, application_ids: list[int]) -> set[int]:
    """The applications among these whose result for the test was recorded otherwise than by grading
    a computer attempt (imported, entered by hand): grading may not write over them."""
    if not application_ids:
        return set()
    if test.kind == "round2_written":
        query = select(Round2Score.application_id).where(
            Round2Score.application_id.in_(application_ids), Round2Score.written_source.is_not(None),
            Round2Score.written_source != "computer",
            (Round2Score.written.is_not(None)) | Round2Score.written_absent | Round2Score.written_voided)
    else:
        query = select(Round1Result.application_id).where(
            Round1Result.application_id.in_(application_ids), Round1Result.part == part_of(test),
            Round1Result.source != "computer")
    return set(db.session.scalars(query))


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


def snapshot(test: ExamTest, application_id: int) -> dict | None:
    """The hub's result for the audit's before and after."""
    if test.kind == "round2_written":
        row = db.session.scalar(select(Round2Score).filter_by(application_id=application_id))
        return None if row is None else {"written": row.written, "written_absent": row.written_absent,
                                         "written_voided": row.written_voided, "source": row.written_source}
    row = db.session.scalar(select(Round1Result).filter_by(application_id=application_id, part=part_of(test)))
    return None if row is None else {"correct": row.correct, "total": row.total, "absent": row.absent,
                                     "sanction": row.sanction, "source": row.source}
