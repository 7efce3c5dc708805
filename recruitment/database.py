"""Database set-up that differs by engine: SQLite pragmas, and helpers used by every module."""
from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import bindparam, event, inspect, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from . import driver_sql
from .extensions import db

T = TypeVar("T")


def utcnow() -> datetime:
    """Naive UTC: both SQLite and PostgreSQL store it the same way."""
    return datetime.now(UTC).replace(tzinfo=None)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    module = type(dbapi_connection).__module__
    if "sqlite" not in module:
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged answer survives a power cut
    cursor.close()


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


_writer_locks: dict[tuple[int, str], tuple[threading.Lock, int]] = {}


@contextmanager
def one_writer_at_a_time() -> Iterator[None]:
    """Queues short write transactions of every process on an SQLite file. SQLite admits one writer
    at a time and makes the others sleep and poll (1, 2, 5, 10 ms...), which under many small writes
    (exam day's autosave) leaves the CPU idle while requests wait; an OS file lock instead wakes the
    next writer as soon as the lock is free. Other engines lock rows themselves: nothing to do."""
    path = db.engine.url.database if is_sqlite() else None
    if not path or path == ":memory:":
        yield
        return
    # Per process: a descriptor inherited across fork would be one lock shared by all the workers.
    key = (os.getpid(), path)
    if key not in _writer_locks:
        _writer_locks[key] = (threading.Lock(), os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600))
    thread_lock, descriptor = _writer_locks[key]
    with thread_lock:  # flock does not exclude the threads of one process from each other
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)


@contextmanager
def queued_driver_transaction() -> Iterator[driver_sql.DriverTransaction]:
    """A transaction straight through the driver (driver_sql.driver_transaction) in the writers' queue
    (one_writer_at_a_time): the connection is checked out before the queue, which writes nothing;
    committed when the block ends, or rolled back while still in the queue, so that the next writer
    finds SQLite's file free. For the autosave, alone or in groups (exam/day/group_commit.py)."""
    with driver_sql.driver_transaction(db.engine) as transaction, one_writer_at_a_time():
        try:
            yield transaction
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise


def commit_keeping_loaded() -> None:
    """Commits, and the objects loaded keep their values rather than being read again at their next
    use: for a response built right after its own writes, from the rows it has just written (as
    write_columns leaves them), where reading each one back would cost as much as the request."""
    session = db.session()
    expiring = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring


def write_columns(obj, where: dict[str, Any] | None = None, **values) -> bool:
    """Writes these columns of one loaded row at once, by its primary key, and the object takes them as
    stored: for the start of a sitting, where the unit of work's flush of a few changed attributes cost
    more than the UPDATE itself. Pending changes of other columns stay for the next flush.
    where: what the row must still hold (as the caller read it); when another request changed it
    meanwhile nothing is written and the answer is False."""
    state = inspect(obj)
    table = state.mapper.local_table
    (key,) = state.mapper.primary_key
    where = where or {}
    written = db.session.connection().execute(_update_of(table, key.name, tuple(values), tuple(where)),
                                              {**values, **{f"read_{c}": v for c, v in where.items()}, "row_key": state.identity[0]})
    if where and written.rowcount != 1:
        return False
    for name, value in values.items():
        set_committed_value(obj, name, value)
    return True


def as_it_stands(obj: T, shared: bool = False) -> T:
    """The row of a loaded object as it stands now, held until this transaction ends: an action decides
    from it, not from what its request loaded, which another worker may have changed and committed since
    (or be changing now). A write that changes nothing takes the row first: it waits for a transaction
    that holds it (SQLite's one writer; the row's lock on PostgreSQL) and keeps other writers of the row
    off it until the commit; then the object is read again. Pending changes are flushed first.
    shared: the row is only read, to be kept from a writer of it (a round's publication) while actions
    of the same kind go on side by side: FOR SHARE on PostgreSQL. Holding the row for writing there put
    every sanction and mark of a round in one queue behind the slowest. SQLite holds nothing for a plain
    read, so there it is the write lock still, which it has only one of anyway."""
    state = inspect(obj)
    (key,) = state.mapper.primary_key
    db.session.flush()
    if shared and db.session.get_bind().dialect.name != "sqlite":
        db.session.refresh(obj, with_for_update={"read": True})
        return obj
    db.session.execute(_taken(state.mapper.local_table.name, key.name), {"row_key": state.identity[0]})
    db.session.refresh(obj)
    return obj


@cache
def _taken(table: str, key: str):
    # Written out: an UPDATE built by SQLAlchemy also sets the columns that change on every update
    # (updated_at), and this one must change nothing. The names are the mapper's, not the request's.
    return text(f"UPDATE {table} SET {key} = {key} WHERE {key} = :row_key")


def run_core(statement, params: dict | None = None):
    """A Core statement (on tables or columns, not ORM entities) in the Session's transaction, sent on its
    connection rather than through the Session's own execute: for the few statements every hand-in sends
    while it holds SQLite's one writer, where the Session's work around each (compile state, ORM events,
    bind lookup) took twice the time of the Connection's. Pending changes are flushed first, as the
    Session's execute would have done for a statement on mapped columns."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params or {})


def update_rows(model, rows: list[dict]) -> None:
    """UPDATE by primary key of many rows (each with its "id" and the same columns): one executemany
    of a statement built once per table and columns. The ORM's bulk update by primary key cost more
    than the database's own work for a hand-in. Objects the session holds are not changed (take_written)."""
    if not rows:
        return
    columns = tuple(name for name in rows[0] if name != "id")
    db.session.connection().execute(_update_of(model.__table__, "id", columns),
                                    [{**{name: row[name] for name in columns}, "row_key": row["id"]} for row in rows])


@cache
def _update_of(table, key: str, columns: tuple[str, ...], read: tuple[str, ...] = ()):
    # Built once per table and set of columns (a statement's cache key is worked out once per object).
    unchanged = [table.c[c].is_not_distinct_from(bindparam(f"read_{c}")) for c in read]
    return (update(table).where(table.c[key] == bindparam("row_key"), *unchanged)
            .values({c: bindparam(c) for c in columns}))


def expire_loaded(*classes) -> None:
    """Bulk statements bypass the session: the objects of these classes it holds reload on their next use."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, classes):
            db.session.expire(obj)


def take_written(model, rows: list[dict]) -> None:
    """After a bulk UPDATE of `rows` (each with its "id"): the objects loaded in the session take the
    values as the database now holds them, rather than being read again at their next use (a
    hand-in answers with its attempt's result)."""
    columns = model.__table__.c
    for values in rows:
        if (obj := loaded(model, values["id"])) is not None:
            for name, value in values.items():
                if name != "id":
                    set_committed_value(obj, name, _as_stored(columns[name].type, value))


def loaded(model, key):
    """The object of this primary key if the session holds it (never a query)."""
    return db.session.identity_map.get(identity_key(model, key))


def _as_stored(kind, value):
    """A Decimal with its column's scale, as it reads back (17 is 17.00 in a Numeric(8, 2))."""
    scale = getattr(kind, "scale", None)
    if isinstance(value, Decimal) and scale is not None:
        return value.quantize(Decimal(1).scaleb(-scale))
    return value
