"""The append-only audit log: who, when, from where, what, before and after, each entry chained to
the one before it by an HMAC-SHA256 over every field, keyed with a secret the database does not
hold, so that an edit or a deletion anywhere breaks the chain (`audit verify`, audit_check.py)."""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import DDL, DateTime, Integer, String, Text, bindparam, event, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from .database import utcnow
from .extensions import db

GENESIS = "0" * 64


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(60), index=True)
    object_id: Mapped[str | None] = mapped_column(String(80), index=True)
    before: Mapped[str | None] = mapped_column(Text)  # canonical JSON
    after: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(db.Model):
    """One row: the last sequence number and hash. Updating it first serialises appenders on both
    SQLite (the write lock) and PostgreSQL (the row lock) without engine-specific code."""
    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    key_check: Mapped[str | None] = mapped_column(String(64))  # see key_check(); set by the first entry


# The head row exists from the schema's creation, so concurrent first appenders never race to add it.
event.listen(AuditHead.__table__, "after_create",
             DDL(f"INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '{GENESIS}')"))


def _default(value: Any):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def canonical(value: Any) -> str | None:
    if value is None:
        return None
    return _CANONICAL.encode(value)  # one encoder for all: audit_bulk encodes three values per entry


def key() -> bytes:
    """The chain's HMAC key (AUDIT_KEY, or instance/audit_key generated once): not in the database,
    so whoever can write the database cannot recompute the chain after an edit."""
    return str(current_app.config["AUDIT_KEY"]).encode()


def key_check(secret: bytes) -> str:
    """Kept in the head: tells a changed or lost key apart from edited entries."""
    return hmac.new(secret, b"audit-key-check", hashlib.sha256).hexdigest()


def fields(entry: AuditEntry) -> dict:
    """Every field of an entry but its own hash (who, from where, when, what, the link)."""
    return {"seq": entry.seq, "at": entry.at.isoformat(), "actor_id": entry.actor_id, "actor": entry.actor,
            "action": entry.action, "object_type": entry.object_type, "object_id": entry.object_id,
            "before": entry.before, "after": entry.after, "reason": entry.reason, "ip": entry.ip,
            "prev_hash": entry.prev_hash}


def fields_hash(secret: bytes, entry_fields: dict) -> str:
    """The HMAC over the fields of `fields()` (audit_bulk builds them without an ORM object)."""
    return hmac.new(secret, canonical(entry_fields).encode(), hashlib.sha256).hexdigest()


def entry_hash(secret: bytes, entry: AuditEntry) -> str:
    return fields_hash(secret, fields(entry))


def _actor() -> tuple[int | None, str]:
    if has_request_context() and getattr(current_user, "is_authenticated", False):
        return current_user.id, current_user.username
    return None, "system"


def record(action: str, object_type: str, object_id: Any = None, *, before: Any = None,
           after: Any = None, reason: str | None = None, actor: str | None = None) -> AuditEntry:
    """Append an entry in the caller's transaction: the change and its record commit together."""
    actor_id, actor_name = _actor()
    if actor is not None:
        actor_id, actor_name = None, actor
    seq, prev = move_head(1)
    entry = AuditEntry(seq=seq, at=utcnow(), actor_id=actor_id, actor=actor_name, action=action,
                       object_type=object_type, object_id=None if object_id is None else str(object_id),
                       before=canonical(before), after=canonical(after), reason=reason,
                       ip=request.remote_addr if has_request_context() else None, prev_hash=prev)
    secret = key()
    entry.hash = entry_hash(secret, entry)
    db.session.add(entry)
    set_head(entry.hash, secret)
    return entry


# The head's two statements, built once: every hand-in and log-in of exam day appends entries, and
# building an ORM UPDATE each time cost more than running it. Core statements on the table.
_HEAD = AuditHead.__table__
_MOVE_HEAD = (update(_HEAD).where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq + bindparam("entries", type_=Integer))
              .returning(_HEAD.c.seq, _HEAD.c.hash))
_SET_HEAD = update(_HEAD).where(_HEAD.c.id == 1).values(
    hash=bindparam("last_hash"), key_check=func.coalesce(_HEAD.c.key_check, bindparam("check")))


def move_head(entries: int) -> tuple[int, str]:
    """Makes room for `entries` entries; returns the head's new sequence number and the hash of the
    last entry before them. Moving the head first takes the lock that serialises appenders."""
    if db.session.autoflush:
        # As an ORM statement would: the caller's changed rows are locked before the head, so every
        # appender takes its locks in that order (a Core statement alone would not flush them).
        db.session.flush()
    return tuple(db.session.connection().execute(_MOVE_HEAD, {"entries": entries}).one())


def set_head(last_hash: str, secret: bytes) -> None:
    db.session.connection().execute(_SET_HEAD, {"last_hash": last_hash, "check": key_check(secret)})


def head() -> tuple[int, str]:
    """The last sequence number and hash, for a record kept outside the log (a results version)."""
    return db.session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()


