"""A list's page from the query string (?page=N). Flask-SQLAlchemy's paginate takes any integer, and
the offset of a page like 10**30 reached the database and answered 500 (SQLite cannot bind it,
PostgreSQL's OFFSET overflows): past MAX_PAGE a list is read as its page MAX_PAGE, an empty page
past its end, as any page beyond the last is; what is not a number is the first page."""
from __future__ import annotations

from flask import request

from .extensions import db

MAX_PAGE = 1_000_000  # a million pages of 50 entries are more than any list of a round holds


def paginate(query, per_page: int):
    page = request.args.get("page", 1, type=int)
    return db.paginate(query, page=min(max(page, 1), MAX_PAGE), per_page=per_page, error_out=False)
