"""Interview boards, their interviews, each interviewer's declaration and score, the head's
reconciliation (C4, G5), and the rubric of each position."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Application, Round, User

board_members = db.Table(
    "interview_board_members", db.metadata,
    db.Column("board_id", ForeignKey("interview_boards.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

DEFAULT_RUBRIC = [  # weights sum to 100
    {"name": "Kiến thức chuyên môn", "weight": 40}, {"name": "Kỹ năng xử lý tình huống", "weight": 30},
    {"name": "Khả năng trình bày", "weight": 20}, {"name": "Thái độ, tác phong", "weight": 10},
]


class Board(db.Model):
    __tablename__ = "interview_boards"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    room: Mapped[str] = mapped_column(String(100), default="")
    head_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    positions: Mapped[str] = mapped_column(Text, default="")  # ';'-separated position codes
    round: Mapped[Round] = relationship()
    head: Mapped[User] = relationship()
    members: Mapped[list[User]] = relationship(secondary=board_members)

    @property
    def position_list(self) -> list[str]:
        return [p.strip() for p in self.positions.split(";") if p.strip()]


class PositionRubric(db.Model):
    """A position's own interview rubric (C4: 100 points); positions without one use DEFAULT_RUBRIC."""
    __tablename__ = "interview_rubrics"
    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), unique=True)
    criteria: Mapped[str] = mapped_column(Text)  # JSON list of {"name", "weight"}, weights summing to 100


class Relation(db.Model):
    """G5: an interviewer's declared relation to a candidate; they never sit on that panel."""
    __tablename__ = "interview_relations"
    __table_args__ = (UniqueConstraint("user_id", "application_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")


class Unavailability(db.Model):
    """A period an interviewer declared they cannot sit on a board; the scheduler and manual moves
    keep them out of it."""
    __tablename__ = "interview_unavailability"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)  # local time, as interview times are
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[User] = relationship()


class Interview(db.Model):
    __tablename__ = "interviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("interview_boards.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    minutes: Mapped[int] = mapped_column(Integer, default=30)  # C4: at most 30
    final_score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    head_reason: Mapped[str | None] = mapped_column(Text)  # C4: the head's reason when the spread is over 10
    board: Mapped[Board] = relationship()
    application: Mapped[Application] = relationship()


class Substitute(db.Model):
    """C4: an interviewer who declared a conflict is replaced, for that interview only, by another the
    board head appoints."""
    __tablename__ = "interview_substitutes"
    __table_args__ = (UniqueConstraint("interview_id", "replaced_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), index=True)
    replaced_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    substitute_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    appointed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    substitute: Mapped[User] = relationship(foreign_keys=[substitute_id])
    replaced: Mapped[User] = relationship(foreign_keys=[replaced_id])


class Score(db.Model):
    """One interviewer's declaration (no prohibited relationship, or a conflict) and their score,
    locked once submitted; a correction needs the head and leaves a trace in the audit log."""
    __tablename__ = "interview_scores"
    __table_args__ = (UniqueConstraint("interview_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    declared_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    conflict_note: Mapped[str | None] = mapped_column(Text)
    criteria: Mapped[str | None] = mapped_column(Text)  # JSON list of points per criterion
    total: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A locked score changes only by the board head's correction, with its reason (and the audit log).
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    interview: Mapped[Interview] = relationship()

    @property
    def points(self) -> list[str]:
        return json.loads(self.criteria) if self.criteria else []
