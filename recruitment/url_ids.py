"""Ids in URLs are database keys: 32-bit integers on every engine. Werkzeug's `int` converter takes
any length, so `/exam/board/99999999999999999999/…` reached the database and answered 500 (SQLite
cannot bind it, PostgreSQL overflows). Beyond the key's range the URL matches no route: 404. An id
sent in a form or a query string is read with `database_id` for the same reason."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (Werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def database_id(value: str) -> int:
    """For `request.form.get(name, type=database_id)`: a key within the database's range; Werkzeug
    gives None (or the default) for anything else, as for a value that is not a number."""
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError(f"not a database id: {value!r}")
    return number


def init_app(app) -> None:
    app.url_map.converters["int"] = DatabaseId
