"""The question bank's tables: questions, their immutable versions, images, review history."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import User

STATUSES = ("draft", "in_review", "approved", "retired")
TYPES = ("single", "truefalse", "fill")


class Question(db.Model):
    """A question as the board manages it; what a candidate sees is always one of its versions."""
    __tablename__ = "questions"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    section: Mapped[str] = mapped_column(String(20), index=True)
    # ';CODE1;CODE2;' so that one LIKE finds a position; '' serves every position.
    positions: Mapped[str] = mapped_column(String(500), default="", index=True)
    topic: Mapped[str] = mapped_column(String(200), index=True)
    difficulty: Mapped[int] = mapped_column(Integer, index=True)
    type: Mapped[str] = mapped_column(String(20), default="single")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("question_versions.id", use_alter=True, ondelete="SET NULL"))
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded: found without diacritics
    # Item analysis of the last test that used it (fed by the exam, G1 balancing).
    p_value: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    discrimination: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    stat_flag: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    current: Mapped[QuestionVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)

    @property
    def position_list(self) -> list[str]:
        return [p for p in self.positions.split(";") if p]


class QuestionVersion(db.Model):
    """Immutable once an exam used it: an old exam is always shown and re-graded exactly."""
    __tablename__ = "question_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer, default=1)
    # The version's own: a question rewritten as another type is a new version, and the exams that used
    # this one still show and grade it as it was (the question's type is its current version's).
    type: Mapped[str] = mapped_column(String(20))
    stem_html: Mapped[str] = mapped_column(Text)
    options_json: Mapped[str] = mapped_column(Text, default="[]")  # sanitised HTML per option
    answer_json: Mapped[str] = mapped_column(Text, default="[]")  # option indices, or accepted texts
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))
    explanation: Mapped[str] = mapped_column(Text, default="")
    keep_order: Mapped[bool] = mapped_column(Boolean, default=False)
    diacritics_sensitive: Mapped[bool] = mapped_column(Boolean, default=True)
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)  # normalised stem + options
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    question: Mapped[Question] = relationship(foreign_keys=[question_id])

    @property
    def options(self) -> list[str]:
        return json.loads(self.options_json)

    @property
    def answer(self) -> list:
        return json.loads(self.answer_json)


class QuestionImage(db.Model):
    """Images referenced by file name in stems and options; served only to those who may see the question."""
    __tablename__ = "question_images"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    mime: Mapped[str] = mapped_column(String(50))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReviewEvent(db.Model):
    """The question's history as the board sees it: submitted, approved, returned, retired, edited."""
    __tablename__ = "question_reviews"
    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("question_versions.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    user: Mapped[User | None] = relationship()
