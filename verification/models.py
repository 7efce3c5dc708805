"""Dossiers of the selected candidates (F1), their documents and scans, the issuing records that
institutions send, and the verifiers' decisions (F2)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Application, User

from .matching import number_key

KINDS = ("diploma", "certificate", "priority")
DECISIONS = ("pending", "verified", "more_info", "rejected")


class Dossier(db.Model):
    __tablename__ = "dossiers"
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), unique=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deadline: Mapped[date] = mapped_column(Date)  # F1: 15 days from publication (30 under vn-2020, L4)
    access_hash: Mapped[str] = mapped_column(String(64))  # the dossier code given with the selection letter
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | verified | cancelled
    application: Mapped[Application] = relationship()
    documents: Mapped[list[Document]] = relationship(back_populates="dossier", order_by="Document.id")


class Document(db.Model):
    __tablename__ = "dossier_documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    claim: Mapped[str] = mapped_column(String(40), default="")  # priority evidence: the declared claim it supports (D5)
    number: Mapped[str] = mapped_column(String(100))
    holder_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    institution: Mapped[str] = mapped_column(String(300), default="")
    level: Mapped[str] = mapped_column(String(20), default="")
    major: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    stored_name: Mapped[str | None] = mapped_column(String(80))  # random name under UPLOAD_FOLDER/dossiers
    original_name: Mapped[str | None] = mapped_column(String(200))
    mime: Mapped[str | None] = mapped_column(String(50))
    size: Mapped[int | None] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decision: Mapped[str] = mapped_column(String(20), default="pending")
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    dossier: Mapped[Dossier] = relationship(back_populates="documents")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])


class IssuingRecord(db.Model):
    """A diploma or certificate as the issuing institution's own register has it."""
    __tablename__ = "issuing_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    institution: Mapped[str] = mapped_column(String(300), index=True)
    number: Mapped[str] = mapped_column(String(100), index=True)
    holder: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    level: Mapped[str] = mapped_column(String(20), default="")
    major: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    # The number as the check looks it up (matching.number_key): a document's check reads the records
    # of its own number, not the register (a university's every diploma).
    number_key: Mapped[str] = mapped_column(String(100), index=True, default="")
    # Where the record came from: the verifier who imported it may not rest a decision on it alone (F2).
    source_file: Mapped[str] = mapped_column(String(255), default="")
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime | None] = mapped_column(DateTime)
    imported_by: Mapped[User | None] = relationship()

    @validates("number")
    def _keyed(self, _key, number: str) -> str:
        self.number_key = number_key(number)
        return number
