"""The paper written test's records: C3's marks of each script and C7's re-marking requests."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Application, User


class WrittenMark(db.Model):
    """C3: a paper written test's marks: two independent markers, a third when they are 10 or more
    apart, and the head marker's decision where C3 asks for it."""
    __tablename__ = "written_marks"
    __table_args__ = (UniqueConstraint("application_id", "which"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    which: Mapped[str] = mapped_column(String(10))  # first | second | third | head
    marker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    # Who typed the mark in: the marker on the marking page, or HR copying a paper score sheet.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    marker: Mapped[User] = relationship(foreign_keys=[marker_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])


class SecondMarker(db.Model):
    """C3: the second marker of a script, drawn at random among the other markers when the first mark
    is recorded; only they give the second mark (while they are still an active marker)."""
    __tablename__ = "second_markers"
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    marker_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    marker: Mapped[User] = relationship()


class RemarkRequest(db.Model):
    """C7: a re-marking request of a paper written test, within 5 working days of the results; two
    re-markers, a third if they differ; 5 or more points from the published score goes to the chair."""
    __tablename__ = "remark_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    requested_on: Mapped[date] = mapped_column(Date)
    # The deadline counts 5 working days (C7) from results_on: the day the results version that
    # first showed the disputed score was published, or, with nothing published in the system, the
    # day HR says the written results were announced.
    results_on: Mapped[date | None] = mapped_column(Date)
    results_version: Mapped[int | None] = mapped_column(Integer)
    deadline: Mapped[date] = mapped_column(Date)
    published: Mapped[Decimal] = mapped_column(Numeric(6, 2))  # the written score the request disputes
    marks: Mapped[str] = mapped_column(Text, default="{}")  # JSON {"first": [marker id, "score"], ...}
    outcome: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    status: Mapped[str] = mapped_column(String(20), default="marking")  # marking | chair | done
    chair_accepted: Mapped[bool | None] = mapped_column(Boolean)
    chair_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    application: Mapped[Application] = relationship()
