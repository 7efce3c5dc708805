"""Appending many audit entries at once (a 100,000-row import audits each application): the same
chained entries audit.record writes, one by one in the same order, but hashed in Python and inserted
with executemany, the head moved once. Same transaction as the change, like audit.record."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request
from sqlalchemy import insert, select, update

from .audit import AuditEntry, AuditHead, _actor, canonical, entry_hash
from .database import utcnow
from .extensions import db

CHUNK = 5_000


@dataclass(frozen=True)
class Change:
    action: str
    object_type: str
    object_id: Any = None
    before: Any = None
    after: Any = None
    reason: str | None = None


def record_many(changes: Iterable[Change], count: int) -> None:
    """Appends `count` entries (the length of `changes`, which may be a generator)."""
    if count == 0:
        return
    actor_id, actor = _actor()
    ip = request.remote_addr if has_request_context() else None
    # Moving the head first takes the lock that serialises appenders (see AuditHead).
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + count))
    last_seq, prev = db.session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    seq = last_seq - count  # the head's hash is still the last entry's: it moves at the end
    table, connection = AuditEntry.__table__, db.session.connection()
    batch: list[dict] = []
    written = 0
    for change in changes:
        seq += 1
        at = utcnow()
        oid = None if change.object_id is None else str(change.object_id)
        b, a = canonical(change.before), canonical(change.after)
        digest = entry_hash(prev, seq, at, actor, change.action, change.object_type, oid, b, a, change.reason)
        batch.append({"seq": seq, "at": at, "actor_id": actor_id, "actor": actor, "action": change.action,
                      "object_type": change.object_type, "object_id": oid, "before": b, "after": a,
                      "reason": change.reason, "ip": ip, "prev_hash": prev, "hash": digest})
        prev = digest
        written += 1
        if len(batch) == CHUNK:
            connection.execute(insert(table), batch)  # Core executemany: the ORM's bulk path is slower
            batch = []
    if batch:
        connection.execute(insert(table), batch)
    if written != count:
        raise ValueError(f"record_many: {written} changes given for {count}")
    db.session.execute(update(AuditHead).where(AuditHead.id == 1).values(hash=prev))
