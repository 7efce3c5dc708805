"""Counting attempts in the database (not in a process), so every worker enforces one limit:
log-in lock-out after repeated failures and the rate limit of the public look-up.

Lock-outs are keyed so that they cannot be used as a weapon: a failure counts against (who, address)
and against the address alone, never against the person everywhere; a lock is audited when it
starts and when staff clear it."""
from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy import text as sql_text

from . import audit
from .database import is_sqlite, one_writer_at_a_time, utcnow
from .extensions import db
from .models import ThrottleEvent


def client(address: str | None) -> str:
    """The client a failure counts against: an IPv4 address, or an IPv6 address's /64 (one subscriber
    is given a whole /64 and could otherwise take a fresh limit from each of its addresses)."""
    if not address:
        return "?"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:10.0.0.1, a dual-stack server's IPv4 client
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


@contextmanager
def one_check_at_a_time(keys: Iterable[tuple[str, str]]) -> Iterator[None]:
    """The count of failures, the check it guards (a code, a birth date) and the failure it records,
    one request at a time per (scope, key). Requests sent at once each passed the count before any
    of them had written its failure, so a burst of guesses from one address was checked whole,
    whatever the limit (24 of 30 with a limit of 10). SQLite: the writers' queue, which the write
    that follows needs anyway; PostgreSQL: a transaction-scoped advisory lock per key, taken in
    order. The caller counts, checks and commits (or rolls back) inside the block."""
    if is_sqlite():
        with one_writer_at_a_time():
            yield
        return
    # One statement for all the keys (every exam log-in takes them), taking the locks in the order of
    # their own numbers: two requests sharing keys never wait on each other in a circle. The count
    # comes in a statement of its own after it, whose snapshot sees every failure committed meanwhile.
    db.session.execute(_take_locks(), {"locks": sorted({_lock_number(scope, key) for scope, key in keys})})
    yield


@cache
def _take_locks():
    return sql_text("SELECT pg_advisory_xact_lock(lock) FROM (SELECT unnest(CAST(:locks AS BIGINT[])) AS lock "
                    "ORDER BY lock) AS ordered")


@contextmanager
def counted(scope: str, limits: dict[str, int], window_seconds: int) -> Iterator[bool]:
    """one_check_at_a_time over the keys of `limits`, telling whether one of them is locked, counted
    inside: the caller checks, records a failure (fail) and commits within the block."""
    with one_check_at_a_time((scope, key) for key in limits):
        yield locked(scope, limits, window_seconds)


def _lock_number(scope: str, key: str) -> int:
    """A 64-bit advisory lock number for the key (PostgreSQL's bigint)."""
    return int.from_bytes(hashlib.blake2b(f"{scope}:{key}".encode(), digest_size=8).digest(), "big", signed=True)


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


def locked(scope: str, limits: dict[str, int], window_seconds: int) -> bool:
    """limits: key -> failures allowed in the window; locked when any key has reached its limit."""
    return reached({(scope, key): limit for key, limit in limits.items()}, window_seconds)


def reached(limits: dict[tuple[str, str], int], window_seconds: int) -> bool:
    """limits: (scope, key) -> failures allowed in the window; whether any has reached its limit.
    One grouped query for all of them (every exam log-in and public look-up asks it)."""
    if any(limit <= 0 for limit in limits.values()):
        return True  # a limit of 0 allows no try at all (a key without failures has no row to count)
    since = utcnow() - timedelta(seconds=window_seconds)
    # Straight to the connection (plain columns): the ORM's step cost more than the query. So the
    # failures noted in this request are flushed first, as the ORM would.
    if db.session.autoflush:
        db.session.flush()
    counts = db.session.connection().execute(_failures_by_key(), {
        "scopes": sorted({scope for scope, _key in limits}), "keys": sorted({key for _scope, key in limits}),
        "since": since}).all()
    return any(n >= limits.get((scope, key), n + 1) for scope, key, n in counts)


@cache
def _failures_by_key():
    """Built once (see models.user_with_roles). A scope of one pair and a key of another may meet in
    the IN lists: reached() keeps only the pairs it was asked for."""
    return (select(ThrottleEvent.scope, ThrottleEvent.key, func.count())
            .where(ThrottleEvent.scope.in_(bindparam("scopes", expanding=True)),
                   ThrottleEvent.key.in_(bindparam("keys", expanding=True)),
                   ThrottleEvent.at >= bindparam("since")).group_by(ThrottleEvent.scope, ThrottleEvent.key))


def fail(scope: str, limits: dict[str, int], window_seconds: int) -> None:
    """One failure on every key; a key that reaches its limit with it starts a lock, audited."""
    for key, limit in limits.items():
        note(scope, key)
        db.session.flush()
        if count(scope, key, window_seconds) == limit:
            audit.record("login_locked", "throttle", scope,
                         after={"key": key, "failures": limit, "minutes": window_seconds // 60})


def clear_matching(scope: str, pattern: str) -> list[str]:
    """Clears every key LIKE pattern (staff's unlock); returns the keys that were cleared."""
    keys = sorted(set(db.session.scalars(select(ThrottleEvent.key).where(ThrottleEvent.scope == scope,
                                                                           ThrottleEvent.key.like(pattern)))))
    if keys:
        db.session.execute(delete(ThrottleEvent).where(ThrottleEvent.scope == scope, ThrottleEvent.key.in_(keys)))
    return keys


def locked_keys(scope: str, pattern: str, limit: int, window_seconds: int) -> set[str]:
    """The keys LIKE pattern that are locked now (one grouped query, for a console)."""
    since = utcnow() - timedelta(seconds=window_seconds)
    return set(db.session.scalars(
        select(ThrottleEvent.key).where(ThrottleEvent.scope == scope, ThrottleEvent.key.like(pattern),
                                        ThrottleEvent.at >= since)
        .group_by(ThrottleEvent.key).having(func.count() >= limit)))
