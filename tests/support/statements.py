"""The SQL statements the app sends while a block runs, for tests that bound a request's queries."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from recruitment.extensions import db


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """A list that holds each statement sent on the app's engine until the block ends."""
    sent: list[str] = []

    def note(_connection, _cursor, statement, *_args):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
