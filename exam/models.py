"""Exam tables. Owned by the exam-forms work (tests, forms, attempts, answers); the exam-day work
(sittings, rooms, seats, incidents) keeps its tables in exam/sittings.py and writes answers only
through the functions of exam/answers.py.

Contract between the two (docs/architecture.md):
- ExamTest is one test of a round (round-1 general, round-1 language, round-2 computer written for
  a position) with its blueprint cells.
- Form is one application's frozen draw for one test; Attempt is the sitting of that form.
- AttemptAnswer is one row per (attempt, slot): the slot is the question's place on the form as
  the candidate saw it; `choice` is the option index as displayed (never the key), `text` the
  fill-in answer; `seq` is the client's sequence number (an older save never overwrites a newer one).
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Application, Position, Round

TEST_KINDS = ("round1_general", "round1_language", "round2_written")
ATTEMPT_STATUSES = ("not_started", "in_progress", "submitted", "collected", "voided")
# The stored status "collected" says only that the sitting, not the candidate, closed the attempt: at
# the deadline (B4) or by a suspension (B6) when it was started, or absent when it never was. Code
# says which through these names, never through the bare status.
CLOSED_BY_SITTING = "collected"
HANDED_IN = ("submitted", CLOSED_BY_SITTING)  # closed either way; graded unless absent


def absent(status: str, started_at: datetime | None) -> bool:
    """Closed at the end of a sitting the candidate never started."""
    return status == CLOSED_BY_SITTING and started_at is None


def collected_at_deadline(status: str, started_at: datetime | None) -> bool:
    """Started, and closed by the sitting rather than handed in by the candidate."""
    return status == CLOSED_BY_SITTING and started_at is not None


class ExamTest(db.Model):
    __tablename__ = "exam_tests"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"))
    section: Mapped[str] = mapped_column(String(20))  # the bank section it draws from
    title: Mapped[str] = mapped_column(String(300))
    minutes: Mapped[int] = mapped_column(Integer)
    pass_fraction: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))  # B2; None for round 2
    scale_to_100: Mapped[bool] = mapped_column(Boolean, default=False)  # C2
    cells: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{topic, difficulty, count, points}]
    difficulty_tolerance: Mapped[Decimal] = mapped_column(Numeric(5, 3), default=Decimal("0.02"))  # on the mean p
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft | active
    # B7: {version_id: [] for "everyone gets the point", or [option, ...] also counted right}
    neutralised: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    round: Mapped[Round] = relationship()
    position: Mapped[Position | None] = relationship()


class DrawPool(db.Model):
    """The pool one draw run drew from, frozen, so that any of its forms can be rebuilt later even
    after the bank has changed: the blueprint's cells and, per cell, [version id, options, keep order]."""
    __tablename__ = "exam_draw_pools"
    id: Mapped[int] = mapped_column(primary_key=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("exam_tests.id", ondelete="CASCADE"), index=True)
    cells: Mapped[str] = mapped_column(Text)
    members: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Form(db.Model):
    __tablename__ = "exam_forms"
    __table_args__ = (UniqueConstraint("test_id", "application_id", "retake"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("exam_tests.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    # Compact frozen draw: question version ids in slot order, and each slot's option permutation.
    version_ids: Mapped[bytes] = mapped_column(LargeBinary)
    option_perms: Mapped[bytes] = mapped_column(LargeBinary)
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the draw, for the audit rebuild
    draw_attempt: Mapped[int] = mapped_column(Integer, default=0)  # the redraw kept (part of the seed)
    retake: Mapped[int] = mapped_column(Integer, default=0)  # B5: 0 for the draw, then 1, 2... (part of the seed)
    pool_id: Mapped[int | None] = mapped_column(ForeignKey("exam_draw_pools.id", ondelete="SET NULL"))
    drawn_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    test: Mapped[ExamTest] = relationship()
    application: Mapped[Application] = relationship()


class Attempt(db.Model):
    __tablename__ = "exam_attempts"
    # Collection at the deadline looks for overdue attempts on every state poll (B4).
    __table_args__ = (Index("ix_exam_attempts_status_deadline", "status", "deadline"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("exam_forms.id", ondelete="CASCADE"), unique=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("exam_tests.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    # B4: the sitting's end plus minutes a proctor credited (B5); saves after it are refused.
    deadline: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    correct: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))  # scaled to 100 where C2 asks
    passed: Mapped[bool | None] = mapped_column(Boolean)
    graded_at: Mapped[datetime | None] = mapped_column(DateTime)
    void_reason: Mapped[str | None] = mapped_column(Text)
    sanction: Mapped[str | None] = mapped_column(String(20))  # B6, set by the proctor
    sanction_reason: Mapped[str | None] = mapped_column(Text)
    credited_minutes: Mapped[int] = mapped_column(Integer, default=0)  # B5
    form: Mapped[Form] = relationship()
    application: Mapped[Application] = relationship()


class AttemptAnswer(db.Model):
    __tablename__ = "exam_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "slot"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("exam_attempts.id", ondelete="CASCADE"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    choice: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(String(500))
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    saved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
