"""Ids in URLs are database keys: 32-bit integers on every engine. Werkzeug's `int` converter takes
any length, so `/exam/board/99999999999999999999/…` reached the database and answered 500 (SQLite
cannot bind it, PostgreSQL overflows). Beyond the key's range the URL matches no route: 404."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 (Werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app) -> None:
    app.url_map.converters["int"] = DatabaseId
