"""A statement sent through the database driver itself, as SQLAlchemy Core would send it: compiled
once per engine's dialect, its parameters put in the driver's order and converted by the same type
processors (SQLite's datetimes as text, its booleans as integers).

For the statements whose SQLAlchemy overhead is a large share of their cost: the autosave, every
change of every candidate (exam/day/autosave.py), and the rows of the 100,000-row imports (bulk_rows).
The statement runs in the caller's transaction, on the connection it gives; or, for the autosave, in
a transaction of the driver's own (driver_transaction), without the Session's and Connection's
bookkeeping around a single statement."""
from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class DriverStatement:
    sql: str
    order: tuple[str, ...]  # the parameters' names, in the order the driver takes them
    positional: bool  # the driver takes a sequence (SQLite's ?), else a mapping (PostgreSQL's %(name)s)
    converted: tuple[tuple[int, Any], ...]  # (position in order, the type's bind processor)
    statement: Any = field(default=None, repr=False, compare=False)  # kept alive: its id is never reused

    def parameters(self, values: Sequence[Any]) -> list | dict:
        """values: in `order`, as Python values."""
        values = list(values)
        for i, process in self.converted:
            if values[i] is not None:
                values[i] = process(values[i])
        return values if self.positional else dict(zip(self.order, values, strict=True))


# Per dialect (one per engine; a test process has many): weak, so an engine's entries go with it.
_compiled: weakref.WeakKeyDictionary[Dialect, dict[Any, DriverStatement]] = weakref.WeakKeyDictionary()


def compiled(dialect: Dialect, statement: ClauseElement, column_keys: Sequence[str] | None = None) -> DriverStatement:
    """The statement for this dialect, compiled on first use. `statement` must be built once (a
    module's constant): it is remembered by identity. column_keys: an INSERT's columns, each a
    parameter named after it (as Core compiles an executemany)."""
    known = _compiled.setdefault(dialect, {})
    key = (id(statement), tuple(column_keys or ()))
    found = known.get(key)
    if found is None:
        kw = {"column_keys": list(column_keys)} if column_keys is not None else {}
        done = statement.compile(dialect=dialect, **kw)
        order = tuple(done.positiontup) if done.positional else tuple(done.binds)
        converted = tuple((i, p) for i, name in enumerate(order)
                          if (p := done.binds[name].type._cached_bind_processor(dialect)) is not None)
        found = known[key] = DriverStatement(done.string, order, bool(done.positional), converted, statement)
    return found


@dataclass(frozen=True)
class DriverTransaction:
    dialect: Dialect
    connection: Any  # the driver's own connection (sqlite3, psycopg): the driver begins a transaction at the first statement

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()


@contextmanager
def driver_transaction(engine: Engine) -> Iterator[DriverTransaction]:
    """A connection of the engine's pool for statements in one transaction, which the caller commits
    (DriverTransaction.commit); what is not committed when the block ends is rolled back, and the
    connection goes back to the pool. For the autosave, one statement: the Session's transaction,
    the Connection and their events around it cost a tenth of a save."""
    pooled = engine.raw_connection()
    try:
        yield DriverTransaction(engine.dialect, pooled.driver_connection)
    finally:
        pooled.close()  # the pool rolls back what was not committed (reset on return)


def first_row(connection: Connection | DriverTransaction, statement: ClauseElement,
              values: Mapping[str, Any]) -> tuple | None:
    """Runs the statement with these named values on the connection's driver; its first row, if any."""
    driver = compiled(connection.dialect, statement)
    dbapi = connection.connection
    cursor = (dbapi if isinstance(connection, DriverTransaction) else dbapi.driver_connection).cursor()
    try:
        cursor.execute(driver.sql, driver.parameters([values[name] for name in driver.order]))
        return cursor.fetchone() if cursor.description else None
    finally:
        cursor.close()
