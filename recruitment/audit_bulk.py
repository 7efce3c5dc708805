"""Appending many audit entries at once (a 100,000-row import audits each application): the same
chained entries audit.record writes, one by one in the same order, but hashed in Python and inserted
with executemany, the head moved once. Same transaction as the change, like audit.record."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request

from .audit import AuditEntry, _actor, canonical, fields_hash, key, move_head, set_head
from .bulk_rows import insert_rows
from .database import utcnow
from .extensions import db

COLUMNS = ("seq", "at", "actor_id", "actor", "action", "object_type", "object_id", "before", "after", "reason",
           "ip", "prev_hash", "hash")


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
    secret, at = key(), utcnow()  # one moment for the whole batch: its changes are one transaction's
    stamp = at.isoformat()

    def entries():
        nonlocal seq, prev
        for change in changes:
            seq += 1
            object_id = None if change.object_id is None else str(change.object_id)
            before, after = canonical(change.before), canonical(change.after)
            digest = fields_hash(secret, {  # the fields audit.fields() hashes
                "seq": seq, "at": stamp, "actor_id": actor_id, "actor": actor, "action": change.action,
                "object_type": change.object_type, "object_id": object_id, "before": before, "after": after,
                "reason": change.reason, "ip": ip, "prev_hash": prev})
            yield (seq, at, actor_id, actor, change.action, change.object_type, object_id, before, after,
                   change.reason, ip, prev, digest)
            prev = digest

    written = insert_rows(db.session.connection(), AuditEntry.__table__, COLUMNS, entries())
    if written != count:
        raise ValueError(f"record_many: {written} changes given for {count}")
    set_head(prev, secret)
