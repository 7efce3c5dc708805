"""Exam day's tables: sittings (ca thi), rooms, seats, who sits where with which access code, and
the incidents proctors record (B5, B6)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import User

from ..models import Attempt, ExamTest

proctors = db.Table(
    "exam_room_staff", db.metadata,
    db.Column("room_id", ForeignKey("exam_rooms.id", ondelete="CASCADE"), primary_key=True),
    db.Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Sitting(db.Model):
    __tablename__ = "exam_sittings"
    # Every hand-in and state poll asks for the sittings over and not yet collected (exam/day/handing_in.py).
    __table_args__ = (Index("ix_exam_sittings_collected_at_ends_at", "collected_at", "ends_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    test_id: Mapped[int] = mapped_column(ForeignKey("exam_tests.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # B4: the timer is the session's: it starts at starts_at whether or not a candidate has logged in.
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    code_hash: Mapped[str] = mapped_column(String(300))  # the sitting code the proctor opens it with
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    collected_at: Mapped[datetime | None] = mapped_column(DateTime)  # when its absentees were recorded (B4)
    test: Mapped[ExamTest] = relationship()
    rooms: Mapped[list[Room]] = relationship(back_populates="sitting", order_by="Room.name")

    def check_code(self, code: str) -> bool:
        return check_password_hash(self.code_hash, code.strip().upper())

    def set_code(self, code: str) -> None:
        self.code_hash = generate_password_hash(code.strip().upper())


class Room(db.Model):
    __tablename__ = "exam_rooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("exam_sittings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # The lab's computers (Moodle's "subnet", TCExam's IP range): networks separated by commas, e.g.
    # "10.1.2.0/24, 10.1.3.5"; a candidate seated here logs in only from one of them. None: anywhere.
    address_range: Mapped[str | None] = mapped_column(String(500))
    sitting: Mapped[Sitting] = relationship(back_populates="rooms")
    seats: Mapped[list[Seat]] = relationship(back_populates="room", order_by="Seat.number")
    staff: Mapped[list[User]] = relationship(secondary=proctors)


class Seat(db.Model):
    __tablename__ = "exam_seats"
    __table_args__ = (UniqueConstraint("room_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("exam_rooms.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    spare: Mapped[bool] = mapped_column(Boolean, default=False)  # G3: spare computers for B5
    out_of_order: Mapped[bool] = mapped_column(Boolean, default=False)
    room: Mapped[Room] = relationship(back_populates="seats")

    @property
    def label(self) -> str:
        return f"{self.room.name}-{self.number:02d}"


class Placement(db.Model):
    """One candidate's place in a sitting: the seat, the one-time access code (hashed), the last
    moment the exam page was heard from."""
    __tablename__ = "exam_placements"
    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("exam_sittings.id", ondelete="CASCADE"), index=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("exam_attempts.id", ondelete="CASCADE"), unique=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("exam_seats.id", ondelete="RESTRICT"), unique=True)
    access_hash: Mapped[str] = mapped_column(String(300))
    # Codes replaced by a reissue, space-separated hashes, so that an old ticket gets "ask the proctor".
    old_access_hashes: Mapped[str] = mapped_column(Text, default="", server_default="")
    # One live session per attempt: the token of the last log-in (or seat move ends it); every save
    # and page checks it, so a second computer or a cookie from before a log-out is refused.
    session_token: Mapped[str | None] = mapped_column(String(64))
    login_at: Mapped[datetime | None] = mapped_column(DateTime)
    login_address: Mapped[str | None] = mapped_column(String(64))
    late_admitted: Mapped[bool] = mapped_column(Boolean, default=False)  # B4: let in by the proctor
    last_seen: Mapped[datetime | None] = mapped_column(DateTime)
    sitting: Mapped[Sitting] = relationship()
    attempt: Mapped[Attempt] = relationship()
    seat: Mapped[Seat] = relationship()


class Incident(db.Model):
    """B5 machine failures (with the minutes credited), B6 sanctions, and anything else of note."""
    __tablename__ = "exam_incidents"
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("exam_attempts.id", ondelete="CASCADE"), index=True)
    # machine_failure | seat_moved | time_credited | sanction | voided | note | relogin | grading_failed | result_held
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    by: Mapped[User | None] = relationship()
