"""Appending many audit entries at once (a 100,000-row import audits each application): the same
chained entries audit.record writes, one by one in the same order, but hashed in Python and inserted
with executemany, the head moved once. Same transaction as the change, like audit.record."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request
from sqlalchemy import insert

from .audit import AuditEntry, _actor, canonical, fields_hash, key, move_head, set_head
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
    last_seq, prev = move_head(count)
    seq = last_seq - count  # the head's hash is still the last entry's: it moves at the end
    table, connection, secret = AuditEntry.__table__, db.session.connection(), key()
    batch: list[dict] = []
    written = 0
    for change in changes:
        seq += 1
        at = utcnow()
        row = {"seq": seq, "at": at, "actor_id": actor_id, "actor": actor, "action": change.action,
               "object_type": change.object_type,
               "object_id": None if change.object_id is None else str(change.object_id),
               "before": canonical(change.before), "after": canonical(change.after), "reason": change.reason,
               "ip": ip, "prev_hash": prev}
        row["hash"] = digest = fields_hash(secret, dict(row, at=at.isoformat()))  # the fields audit.fields() hashes
        row["at"] = at
        batch.append(row)
        prev = digest
        written += 1
        if len(batch) == CHUNK:
            connection.execute(insert(table), batch)  # Core executemany: the ORM's bulk path is slower
            batch = []
    if batch:
        connection.execute(insert(table), batch)
    if written != count:
        raise ValueError(f"record_many: {written} changes given for {count}")
    set_head(prev, secret)
