"""The hub's tables: people and roles, rounds, positions, applications, flags."""
from __future__ import annotations

from datetime import date, datetime
from functools import cache

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    select,
)
from sqlalchemy.orm import Mapped, contains_eager, lazyload, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from . import rulesets
from .database import utcnow
from .extensions import db

ROLES = (
    "admin", "council_chair", "hr", "question_setter", "proctor", "technician",
    "interviewer", "marker", "verifier", "supervisor", "candidate",
)

user_roles = Table(
    "user_roles",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)


class Role(db.Model):
    __tablename__ = "roles"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    # A candidate's account belongs to one application (exam log-in, dossier).
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    # Log-out ends the session on the server: it bumps this number, and a session cookie carries
    # the number it was issued with (recruitment/__init__.py's user loader compares them).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")
    application: Mapped[Application | None] = relationship(foreign_keys=[application_id])

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def role_names(self) -> set[str]:
        return {r.name for r in self.roles}

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names.intersection(names))

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


# Built once per process, not per request: SQLAlchemy works out a statement's cache key once per
# statement object, and for a joined load that costs about as much as the query itself.
@cache
def user_with_roles():
    """Every request's user, with the roles (parameter: user_id). Joined flat, users to user_roles to roles,
    rather than by joinedload, whose nested join (user_roles JOIN roles) SQLite materialised whole before
    picking the user's rows out of it: every account's roles read on every request, 3.7 ms at 5,000
    accounts. Flat, the user's roles are found through user_roles' key (user_id, role_id)."""
    return (select(User).outerjoin(user_roles, user_roles.c.user_id == User.id)
            .outerjoin(Role, Role.id == user_roles.c.role_id)
            .options(contains_eager(User.roles)).where(User.id == bindparam("user_id")))


@cache
def user_of_application():
    """A candidate's account, roles loaded only if read (parameter: application_id)."""
    return select(User).options(lazyload(User.roles)).where(User.application_id == bindparam("application_id"))


class Round(db.Model):
    """A recruitment round (kỳ tuyển dụng) and the rule set it applies."""
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    rules_code: Mapped[str] = mapped_column(String(20), default=rulesets.DEFAULT_RULES)
    several_positions: Mapped[bool] = mapped_column(Boolean, default=False)  # A1
    promote_after_cancellation: Mapped[bool] = mapped_column(Boolean, default=True)  # F4
    language_test: Mapped[bool] = mapped_column(Boolean, default=False)  # B8
    application_deadline: Mapped[date | None] = mapped_column(Date)  # A2: age is counted on this day
    # Applications are taken until the deadline, or until an extension HR records with its reason
    # (applications.check_open); never after the first publication of results.
    applications_extended_until: Mapped[date | None] = mapped_column(Date)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    results_published_at: Mapped[datetime | None] = mapped_column(DateTime)  # set by results (E5)
    # Seeds each candidate's exam draw so that any form can be rebuilt for an audit; never shown.
    draw_seed: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    positions: Mapped[list[Position]] = relationship(back_populates="round", order_by="Position.code")

    @property
    def rules(self) -> rulesets.RuleSet:
        return rulesets.get(self.rules_code)

    @property
    def rules_locked(self) -> bool:
        """The rule set is fixed once the first application is admitted."""
        return db.session.query(
            Application.query.filter_by(round_id=self.id, status="admitted").exists()
        ).scalar()


class Position(db.Model):
    """A job position (vị trí việc làm) of a round."""
    __tablename__ = "positions"
    __table_args__ = (UniqueConstraint("round_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    agency: Mapped[str] = mapped_column(String(300))
    grade: Mapped[str] = mapped_column(String(30))
    quota: Mapped[int] = mapped_column(Integer)
    round2_form: Mapped[str] = mapped_column(String(30))
    degree_level: Mapped[str] = mapped_column(String(20))
    majors: Mapped[str] = mapped_column(Text, default="")  # ';'-separated; empty = any
    round: Mapped[Round] = relationship(back_populates="positions")

    @property
    def major_list(self) -> list[str]:
        return [m.strip() for m in self.majors.split(";") if m.strip()]


class Application(db.Model):
    """One person's application to one position; everything a candidate does is keyed by it."""
    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("round_id", "candidate_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    national_id: Mapped[str] = mapped_column(String(12), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(400), index=True)  # diacritics folded, for search
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(3))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    degree_level: Mapped[str] = mapped_column(String(20))
    major: Mapped[str] = mapped_column(String(200), default="")
    priority_codes: Mapped[str] = mapped_column(String(300), default="")  # ';'-separated, declared (D5)
    exempt_language: Mapped[bool] = mapped_column(Boolean, default=False)  # L1
    # submitted -> admitted | rejected (A4: with its reason)
    status: Mapped[str] = mapped_column(String(20), default="submitted", index=True)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    candidate_number: Mapped[int | None] = mapped_column(Integer)  # A3
    # Set by verification (D5, F3) and read by the ranking: the declared claims whose evidence stands
    # rejected (';'-separated, as priority_codes); each gives 0, the others still count.
    priority_rejected_codes: Mapped[str] = mapped_column(String(300), default="")
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # Set by the results module when a published version selects this application (F1 counts from it).
    selected_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    round: Mapped[Round] = relationship()
    position: Mapped[Position] = relationship()

    @property
    def priority_list(self) -> list[str]:
        return [c.strip() for c in self.priority_codes.split(";") if c.strip()]

    @property
    def priority_rejected_list(self) -> list[str]:
        return [c.strip() for c in self.priority_rejected_codes.split(";") if c.strip()]

    @property
    def number_label(self) -> str:
        return f"{self.candidate_number:04d}" if self.candidate_number is not None else ""


class PersonFlag(db.Model):
    """A person barred or to be checked in later rounds (F3: fraud bars the next round)."""
    __tablename__ = "person_flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    national_id: Mapped[str] = mapped_column(String(12), index=True)
    reason: Mapped[str] = mapped_column(Text)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ThrottleEvent(db.Model):
    """Failed log-ins and public look-ups, kept in the database so every worker sees them."""
    __tablename__ = "throttle_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
