"""The append-only audit log: who, when, what, before and after, each entry chained to the one
before it by SHA-256, so that an edit or a deletion anywhere breaks the chain (`audit verify`).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import DDL, DateTime, Integer, String, Text, event, select, update
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


def canonical(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def entry_hash(prev_hash: str, seq: int, at: datetime, actor: str, action: str, object_type: str,
               object_id: str | None, before: str | None, after: str | None, reason: str | None) -> str:
    payload = canonical([prev_hash, seq, at.isoformat(), actor, action, object_type, object_id,
                         before, after, reason])
    return hashlib.sha256(payload.encode()).hexdigest()


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
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1))
    seq, prev = db.session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    at = utcnow()
    oid = None if object_id is None else str(object_id)
    b, a = canonical(before), canonical(after)
    digest = entry_hash(prev, seq, at, actor_name, action, object_type, oid, b, a, reason)
    entry = AuditEntry(seq=seq, at=at, actor_id=actor_id, actor=actor_name, action=action,
                       object_type=object_type, object_id=oid, before=b, after=a, reason=reason,
                       ip=request.remote_addr if has_request_context() else None,
                       prev_hash=prev, hash=digest)
    db.session.add(entry)
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=digest))
    return entry


@dataclass
class ChainReport:
    ok: bool
    entries: int
    broken_seq: int | None = None
    problem: object = None  # a lazy translated string


def verify(batch: int = 5000) -> ChainReport:
    """Walk the chain in order; the first entry whose link or content does not hold is reported."""
    prev, expected_seq, count = GENESIS, 1, 0
    while True:
        rows = db.session.execute(
            select(AuditEntry).where(AuditEntry.seq >= expected_seq).order_by(AuditEntry.seq).limit(batch)
        ).scalars().all()
        if not rows:
            break
        for e in rows:
            if e.seq != expected_seq:
                return ChainReport(False, count, expected_seq, _l("entry %(seq)d is missing", seq=expected_seq))
            if e.prev_hash != prev:
                return ChainReport(False, count, e.seq, _l("its link to the previous entry does not match"))
            digest = entry_hash(e.prev_hash, e.seq, e.at, e.actor, e.action, e.object_type, e.object_id,
                                e.before, e.after, e.reason)
            if digest != e.hash:
                return ChainReport(False, count, e.seq, _l("its content was changed after it was written"))
            prev, expected_seq, count = e.hash, e.seq + 1, count + 1
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.seq != count or head.hash != prev):
        return ChainReport(False, count, count + 1, _l("entries after the last one found were removed"))
    return ChainReport(True, count)
