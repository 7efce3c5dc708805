"""Published versions as results day reads them: parsed once per process and kept, with the
public index's list of published rounds.

A published version is never rewritten (E5: a change publishes the next number), so its parsed
rows, its index by candidate number and each position's rendered table can be kept in memory keyed
by (version id, digest). Which version is the latest is asked again after a second at most
(HEADS_FRESH_SECONDS), so a new publication shows within that. The digest in the key makes the
entry content-addressed: a different database (tests, a restore) with the same ids can never be
served another list's rows."""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache
from threading import Lock

from flask import current_app, has_app_context
from markupsafe import Markup
from sqlalchemy import bindparam, event, select
from sqlalchemy.orm import Session, object_session

from recruitment.extensions import db
from recruitment.models import Position, Round

from . import service
from .models import ResultVersion

# How long a worker trusts the latest versions it read (and the index's list of them): results day
# asks for them on every page, and their two queries were a fifth of what the index page cost. A new
# publication shows on the worker that committed it at once (_forget_latest), on every other within this.
HEADS_FRESH_SECONDS = 1.0
_KEPT_LATEST = "results.published.latest"  # kept per app, so tests' apps never see each other's
_PUBLISHED = "results.published.version_written"  # in a session's info until its commit


@dataclass(frozen=True)
class Head:
    """What identifies a published version, without its (large) snapshot."""
    id: int
    round_id: int
    number: int
    digest: str
    published_at: object


@dataclass
class Published:
    head: Head
    rows: list[dict]
    by_number: dict[str, list[dict]]  # the snapshot keeps numbers as text
    by_position: dict[str, list[dict]]
    tables: dict[tuple[str, str], Markup] = field(default_factory=dict)
    lock: Lock = field(default_factory=Lock)


@dataclass
class _Latest:
    """What a worker last read of the published versions, and when."""
    at: float
    heads: dict[int, Head]
    listed: tuple[Listed, ...] | None = None  # read with the first index page that asks


def _latest() -> _Latest:
    kept = current_app.extensions.get(_KEPT_LATEST)
    now = time.monotonic()
    if kept is None or now - kept.at >= HEADS_FRESH_SECONDS:
        # Versions are few per round: reading every head and keeping the newest is one plain query.
        rows = db.session.connection().execute(_heads())
        kept = current_app.extensions[_KEPT_LATEST] = _Latest(
            now, {r.round_id: Head(r.id, r.round_id, r.number, r.digest, r.published_at) for r in rows})
    return kept


def latest_heads() -> dict[int, Head]:
    """The latest published version of every round that has one: no snapshot read, and read at most
    once a second per worker (HEADS_FRESH_SECONDS)."""
    return _latest().heads


def latest_listed() -> tuple[Listed, ...]:
    """The rounds that have published, newest first, with their positions, as the index lists them:
    read again with the heads."""
    latest = _latest()
    if latest.listed is None:
        latest.listed = _listed(latest.heads)
    return latest.listed


@event.listens_for(ResultVersion, "after_insert")
def _published_in(_mapper, _connection, version) -> None:
    session = object_session(version)
    if session is not None:
        session.info[_PUBLISHED] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_latest(session) -> None:
    """A version this worker committed shows on its next page, on every thread; one rolled back
    leaves no trace (the latest may have been read again inside its transaction)."""
    if session.info.pop(_PUBLISHED, False) and has_app_context():
        current_app.extensions.pop(_KEPT_LATEST, None)


# The statements of every public page, built once per process: building a statement cost about as
# much as running it (see recruitment/models.py user_with_roles), and results day is a peak. They
# read plain columns, so they go straight to the connection: the ORM's step cost more than the query.
@cache
def _heads():
    return select(ResultVersion.id, ResultVersion.round_id, ResultVersion.number, ResultVersion.digest,
                  ResultVersion.published_at).order_by(ResultVersion.round_id, ResultVersion.number)


@cache
def _rounds_listed():
    """Parameter: round_ids (expanding)."""
    return (select(Round.id, Round.name, Position.code, Position.name, Position.agency)
            .outerjoin(Position, Position.round_id == Round.id).where(Round.id.in_(bindparam("round_ids", expanding=True)))
            .order_by(Round.created_at.desc(), Round.id.desc(), Position.code))


@lru_cache(maxsize=32)
def load(head: Head) -> Published:
    version = db.session.get(ResultVersion, head.id)
    rows = service.rows_of(version)  # checks the snapshot against its digest
    if version.digest != head.digest:
        raise ValueError(f"version {version.number} changed while it was read")
    by_number: dict[str, list[dict]] = defaultdict(list)
    by_position: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_number[str(row["candidate_number"])].append(row)
        by_position[row["position_code"]].append(row)
    return Published(head, rows, dict(by_number), dict(by_position))


def table(published: Published, position_code: str, locale: str, render) -> Markup:
    """One position's rendered table in one language, rendered once per process."""
    key = (position_code, locale)
    found = published.tables.get(key)
    if found is None:
        with published.lock:
            found = published.tables.get(key)
            if found is None:
                found = published.tables[key] = Markup(render(published.by_position.get(position_code, [])))
    return found


@dataclass(frozen=True)
class Listed:
    """A round as the public index lists it, with its latest version: plain values, so that the
    listing is keyed by exactly what it shows."""
    round_id: int
    round_name: str
    head: Head
    positions: tuple[tuple[str, str, str], ...]  # (code, name, agency)


def _listed(heads: dict[int, Head]) -> tuple[Listed, ...]:
    """One plain query."""
    if not heads:
        return ()
    rows = db.session.connection().execute(_rounds_listed(), {"round_ids": list(heads)}).all()
    rounds: dict[int, tuple[str, list]] = {}
    for round_id, round_name, code, name, agency in rows:
        positions = rounds.setdefault(round_id, (round_name, []))[1]
        if code is not None:
            positions.append((code, name, agency))
    return tuple(Listed(round_id, name, heads[round_id], tuple(positions))
                 for round_id, (name, positions) in rounds.items())
