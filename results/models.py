"""Published versions of a round's results (frozen, numbered, E5) and the head of agency's tie
decisions (E3)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Application, Round, User


class ResultVersion(db.Model):
    """Never changed once written: a later change publishes the next number."""
    __tablename__ = "result_versions"
    __table_args__ = (UniqueConstraint("round_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[str] = mapped_column(Text)  # canonical JSON of every row
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the snapshot
    # G6: the audit log's head once this version was recorded; `audit verify` checks the log still
    # holds it, so entries removed before a publication show. Empty for versions older than this.
    audit_seq: Mapped[int | None] = mapped_column(Integer)
    audit_hash: Mapped[str | None] = mapped_column(String(64))
    round: Mapped[Round] = relationship()


class TieDecision(db.Model):
    __tablename__ = "tie_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    decision: Mapped[str] = mapped_column(String(20))  # selected | not_selected
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    application: Mapped[Application] = relationship()
    decided_by: Mapped[User | None] = relationship()
