"""Inserting many rows through the database driver's own executemany, for the 100,000-row imports
(applications, their audit entries, questions).

SQLAlchemy Core's executemany builds a parameter dict per row and runs every value through its type
processors one call at a time; at 100,000 rows that cost about as much as the database's own work.
Here the INSERT is compiled once for the engine (driver_sql), the column order and the few processors the engine
needs (SQLite's datetimes as text) are looked up once, and each row goes to the driver as a tuple.
The statement and the values are exactly those Core would have sent, in the caller's transaction."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection

from . import driver_sql

CHUNK = 5_000


@cache
def _insert(table: Table):
    return insert(table).inline()  # no RETURNING; built once per table (driver_sql remembers it by identity)


def insert_rows(connection: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Inserts `rows` (each a sequence of values in the order of `columns`) into `table`, in chunks;
    returns how many rows were written."""
    # As Core compiles an executemany: one parameter per column, named after it; in the driver's order.
    compiled = driver_sql.compiled(connection.dialect, _insert(table), columns)
    order = compiled.order
    pick = itemgetter(*[list(columns).index(name) for name in order])  # the caller's order to the driver's
    converted = compiled.converted

    last: dict[int, tuple[Any, Any]] = {}  # a column's last value and what it became: a batch's one timestamp

    def driver_row(row):
        values = list(pick(row))
        for i, process in converted:
            value = values[i]
            if value is not None:
                seen = last.get(i)
                if seen is not None and seen[0] is value:
                    values[i] = seen[1]
                else:
                    values[i] = process(value)
                    last[i] = (value, values[i])
        return values if compiled.positional else dict(zip(order, values, strict=True))

    cursor = connection.connection.driver_connection.cursor()
    written, batch = 0, []
    try:
        for row in rows:
            batch.append(driver_row(row))
            if len(batch) == CHUNK:
                cursor.executemany(compiled.sql, batch)
                written, batch = written + len(batch), []
        if batch:
            cursor.executemany(compiled.sql, batch)
            written += len(batch)
    finally:
        cursor.close()
    return written
