"""Counting attempts in the database (not in a process), so every worker enforces one limit:
log-in lock-out after repeated failures and the rate limit of the public look-up."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from .database import utcnow
from .extensions import db
from .models import ThrottleEvent


def count(scope: str, key: str, window_seconds: int) -> int:
    since = utcnow() - timedelta(seconds=window_seconds)
    return db.session.scalar(
        select(func.count()).select_from(ThrottleEvent)
        .where(ThrottleEvent.scope == scope, ThrottleEvent.key == key, ThrottleEvent.at >= since)
    )


def note(scope: str, key: str) -> None:
    db.session.add(ThrottleEvent(scope=scope, key=key))


def clear(scope: str, key: str) -> None:
    db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.scope == scope, ThrottleEvent.key == key))


def exceeded(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    return count(scope, key, window_seconds) >= limit


def hit(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Record one use and tell whether the limit is now passed (for rate limits)."""
    over = exceeded(scope, key, limit, window_seconds)
    if not over:
        note(scope, key)
    db.session.commit()
    return over
