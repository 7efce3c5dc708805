"""Where every score meets: computer-graded, imported from paper or another system, or reconciled
from interviews. The ranking reads only these tables, so it cannot tell the sources apart.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .database import utcnow
from .extensions import db
from .models import Application

SANCTIONS = ("reprimand", "warning", "suspension")  # B6
SOURCES = ("computer", "import", "manual", "interviews", "marking")


class Round1Result(db.Model):
    """Round 1 per part (general; language under vn-2020 L1 or as the optional test of B8)."""
    __tablename__ = "round1_results"
    __table_args__ = (UniqueConstraint("application_id", "part"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    part: Mapped[str] = mapped_column(String(20), default="general")
    # Correct answers before any sanction; neutralised questions (B7) are already counted in.
    correct: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    total: Mapped[int | None] = mapped_column(Integer)
    absent: Mapped[bool] = mapped_column(Boolean, default=False)
    sanction: Mapped[str | None] = mapped_column(String(20))  # B6
    sanction_reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="import")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    application: Mapped[Application] = relationship()


class Round2Score(db.Model):
    """Round 2 on 100 points: the written mark (computer C2 or paper C3) and the interview (C4)."""
    __tablename__ = "round2_scores"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    written: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    written_absent: Mapped[bool] = mapped_column(Boolean, default=False)
    written_voided: Mapped[bool] = mapped_column(Boolean, default=False)  # B6 suspension on a computer test
    written_source: Mapped[str | None] = mapped_column(String(20))
    # C3: two marks too far apart wait for the third marker or the head marker; publication is blocked meanwhile.
    written_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    interview: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    interview_absent: Mapped[bool] = mapped_column(Boolean, default=False)
    # C4: a spread over the limit waits for the board head; publication is blocked meanwhile.
    interview_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    interview_source: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    application: Mapped[Application] = relationship()


def round1_result(application_id: int, part: str = "general") -> Round1Result:
    """The row to write into, created when missing."""
    row = Round1Result.query.filter_by(application_id=application_id, part=part).one_or_none()
    if row is None:
        row = Round1Result(application_id=application_id, part=part)
        db.session.add(row)
    return row


def round1_parts(round_id: int) -> dict[int, dict[str, Round1Result]]:
    """Every recorded round-1 part of a round's applications: application id -> part -> row."""
    parts: dict[int, dict[str, Round1Result]] = {}
    for r in db.session.scalars(db.select(Round1Result).join(Application).where(Application.round_id == round_id)):
        parts.setdefault(r.application_id, {})[r.part] = r
    return parts


def passed_round1(application: Application, parts: dict[str, Round1Result] | None = None) -> bool:
    """Admitted to round 2 by the rule set's one round-1 rule (B0, B2, B6, B9, L1). `parts` saves a
    query per application when a caller has loaded the round's parts (round1_parts)."""
    if parts is None:
        parts = {r.part: r for r in db.session.scalars(db.select(Round1Result).filter_by(application_id=application.id))}
    return application.round.rules.round1_outcome(application.position.grade, parts,
                                                  application.exempt_language).passed


def round2_score(application_id: int) -> Round2Score:
    row = Round2Score.query.filter_by(application_id=application_id).one_or_none()
    if row is None:
        row = Round2Score(application_id=application_id)
        db.session.add(row)
    return row
