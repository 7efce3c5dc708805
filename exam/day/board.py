"""The results board of a sitting, for the screen of the waiting hall (B3: the score is shown at once).

It shows, for each candidate who has handed in, the candidate number, the count of correct answers
after sanctions (B6) as the candidate's screen and the score slip show it (exam/day/standing.py),
the score on 100 where the test has one (C2), and whether they passed; nothing else: no name, no
birth date, nothing before hand-in. The screen opens it with a board code derived from the app's secret and the sitting (recruitment/codes.py),
which the proctor console shows; wrong codes are counted per address (recruitment/throttle.py).

A hall screen polls every few seconds and a 5,000-candidate sitting has many screens, so an
unchanged poll is answered 304 (the version is the ETag) after one aggregate query at most (none when
the worker found that version within the last second), and each row is built once, when its attempt
is graded, and shared by every screen the worker serves."""
from __future__ import annotations

import hmac
import json
import time
import weakref
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from operator import itemgetter

from flask_babel import get_locale
from sqlalchemy import BigInteger, String, bindparam, cast, func, select, type_coerce

from recruitment import codes, throttle
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.i18n import format_number
from recruitment.models import Application

from ..models import HANDED_IN, Attempt, ExamTest
from ..scoring import cells_of
from .models import Placement, Sitting
from .standing import standing_of

PURPOSE = "results-board"
THROTTLE_SCOPE = "results_board"
WRONG_CODES_LIMIT = 10  # wrong codes per address ...
WRONG_CODES_WINDOW = 600  # ... in this many seconds
# The page polls this often. The hall expects a hand-in on the board within 5 s (issue 16), and a poll
# made in the last minute of a sitting waits its turn behind the hand-ins: with 3 s between polls that
# left 2 s for the answer, which at 5,000 candidates was not always enough; 2 s leaves 3, of which a
# worker may take up to VERSION_FRESH_SECONDS to see the hand-in. An unchanged board is a 304 after one
# aggregate query at most, so 20 screens polling every 2 s are 10 cheap requests a second.
POLL_SECONDS = 2


def board_code(sitting_id: int) -> str:
    return codes.derived_code(PURPOSE, sitting_id)


def _typed(code: str | None) -> bytes:
    """A typed code as bytes: hmac.compare_digest refuses two str of which one is not ASCII (TypeError),
    and a code typed as "²" or in Arabic-Indic digits answered 500 on the public board's page."""
    return (code or "").strip().upper().encode()


def code_matches(sitting_id: int, code: str) -> bool:
    return hmac.compare_digest(board_code(sitting_id).encode(), _typed(code))


def blocked(address: str) -> bool:
    return throttle.exceeded(THROTTLE_SCOPE, address, WRONG_CODES_LIMIT, WRONG_CODES_WINDOW)


def note_wrong_code(address: str) -> None:
    throttle.note(THROTTLE_SCOPE, address)
    db.session.commit()


def find_sitting(code: str) -> Sitting | None:
    """The sitting whose board code this is, among those of the last two days and the coming ones
    (a board is for the day of the sitting)."""
    typed = _typed(code)
    recent = select(Sitting.id).where(Sitting.ends_at >= utcnow() - timedelta(days=2))
    for sitting_id in db.session.scalars(recent):
        if hmac.compare_digest(board_code(sitting_id).encode(), typed):
            return db.session.get(Sitting, sitting_id)
    return None


def _handed_in(sitting_id: int):
    """Attempts of the sitting handed in by the candidate or collected after they began, and graded:
    an absent candidate (collected without ever starting) and a voided attempt are not shown."""
    return (Attempt.id == Placement.attempt_id, Placement.sitting_id == sitting_id, Attempt.status.in_(HANDED_IN),
            Attempt.started_at.is_not(None), Attempt.graded_at.is_not(None))


def version(sitting_id: int) -> str:
    """Changes when a candidate hands in and whenever a shown attempt is graded again (a sanction after
    hand-in, or its withdrawal, re-grades it, B6): the count, and the sum of the grading times in
    milliseconds. Not the latest grading time: each grading takes its own server's clock before it
    queues to commit, so a re-grade may commit after another one stamped later (or come from a server
    whose clock is behind), and the latest time would not move: every screen kept the old score."""
    count, stamps = db.session.execute(
        select(func.count(), func.coalesce(func.sum(_milliseconds(Attempt.graded_at)), 0)).select_from(Placement)
        .join(Attempt, Attempt.id == Placement.attempt_id).where(*_handed_in(sitting_id))).one()
    return f"{sitting_id}-{count}-{stamps}-{get_locale()}"


# Each screen polls every POLL_SECONDS, so a worker serving many screens was asked the same version
# again and again, and in a sitting's last minute each answer was new: the aggregate and the rows
# read again per poll of every screen. A worker now takes the version it found for up to this long:
# the board's cost grows with the app's workers, not with the hall's screens, and a hand-in is
# still on every screen within POLL_SECONDS + this (the hall expects 5 s). A screen never goes back
# to an older board on another worker: its page polls POLL_SECONDS after its last answer arrived
# (static/exam/board.js), so any version a worker took within the last VERSION_FRESH_SECONDS (timed
# from before its query, whose snapshot is no older) was read after that answer's. Hence shorter
# than POLL_SECONDS.
VERSION_FRESH_SECONDS = 1.0
_VERSIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine -> (sitting, language) -> (version, when)
_clock = time.monotonic


def fresh_version(sitting_id: int) -> str:
    """version(), as this worker found it within VERSION_FRESH_SECONDS."""
    found = _VERSIONS.setdefault(db.engine, {})
    key, now = (sitting_id, str(get_locale())), _clock()
    known = found.get(key)
    if known is not None and now - known[1] < VERSION_FRESH_SECONDS:
        return known[0]
    if len(found) > 64:  # a worker serves a day's sittings; forget older ones
        found.clear()
    current = version(sitting_id)
    found[key] = (current, now)
    return current


def _milliseconds(moment):
    """A stored (naive UTC) moment as whole milliseconds since 1970, in the database's own terms."""
    if db.engine.dialect.name == "sqlite":
        return cast((func.julianday(moment) - 2440587.5) * 86_400_000, BigInteger)
    return cast(func.extract("epoch", moment) * 1000, BigInteger)


# --- the board's rows, built once per row ---------------------------------------------------------
# At the end of a sitting thousands hand in within a minute, so the version changes at every poll of
# every screen, and building the whole list again (5,000 rows: a third of a second of CPU) at each
# poll was most of a server's work. Each worker keeps every row it has built with the grading time it
# was built from; a new version reads the shown attempts' grading times (two columns) and builds only
# the rows of attempts new to it or graded again since (a sanction re-grades), and drops the rows of
# attempts no longer shown (voided).
@dataclass
class _Rows:
    version: str = ""
    rows: dict[int, tuple[object, int, bytes, bool]] = field(default_factory=dict)  # attempt -> (graded at, number, JSON, passed)
    body: bytes = b""


# Per database (a test process serves several), then per (sitting, reader's language): what a worker's
# screens share.
_BUILT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
CHUNK = 900  # attempts per IN list


def body(sitting_id: int, current: str) -> bytes:
    """The board's JSON for the version `current` (version()), from the rows this worker has built (a
    hand-in committed since that version was read may be in it too: the rows are read after it)."""
    built = _BUILT.setdefault(db.engine, {})
    key = (sitting_id, str(get_locale()))
    before = built.get(key)
    if before is not None and before.version == current:
        return before.body
    # Built on a copy, put in place when done: the threads of a worker (THREADS > 1) may build the
    # same board at once, and none may see another's half-built rows.
    kept = _Rows(rows=dict(before.rows) if before is not None else {})
    graded = dict(db.session.connection().execute(_graded_stamps(), {"sitting_id": sitting_id}).all())
    for gone in kept.rows.keys() - graded.keys():
        del kept.rows[gone]
    stale = [a for a, at in graded.items() if a not in kept.rows or kept.rows[a][0] != at]
    if stale:
        test: ExamTest = db.session.get(Sitting, sitting_id).test
        rules, total = test.round.rules, sum(c.count for c in cells_of(test))
        for start in range(0, len(stale), CHUNK):
            _build(kept, rules, total, stale[start:start + CHUNK])
    # itemgetter and map, not lambdas and generators: thousands of rows at every new version.
    ordered = sorted(kept.rows.values(), key=itemgetter(1))
    kept.version = current
    kept.body = b"".join((
        json.dumps({"version": current, "count": len(ordered), "passed": sum(map(itemgetter(3), ordered))})[:-1].encode(),
        b', "rows": [', b", ".join(map(itemgetter(2), ordered)), b"]}"))
    if len(built) > 64:  # a worker serves a day's sittings; forget older ones
        built.clear()
    built[key] = kept
    return kept.body


@cache
def _graded_stamps():
    """(attempt, grading time) of the attempts the board shows (parameter: sitting_id), read at every new
    version: thousands of rows in a sitting's last minute, at every poll of every screen. So in Core, on
    the session's connection, and the time as the database's own text (a datetime on PostgreSQL, whose
    driver makes it in C): compared for equality only, and SQLite's conversion of each row to a datetime
    was most of the cost (46 ms a poll at 5,000 rows)."""
    return (select(Attempt.id, _as_stored(Attempt.graded_at)).select_from(Placement)
            .join(Attempt, Attempt.id == Placement.attempt_id).where(*_handed_in(bindparam("sitting_id"))))


def _as_stored(column):
    return type_coerce(column, String)


def _build(kept: _Rows, rules, total: int, attempt_ids: list[int]) -> None:
    """The rows of these attempts: (candidate number, standing, passed), the standing being the one the
    candidate's screen, the score slip and the console read (B6 through the rule set's
    count_after_sanction)."""
    scores: dict = {}  # the same few scores recur: each formatted once
    for attempt_id, number, correct, score, passed, sanction, status, started_at, graded_at in db.session.execute(
            select(Attempt.id, Application.candidate_number, Attempt.correct, Attempt.score, Attempt.passed,
                   Attempt.sanction, Attempt.status, Attempt.started_at, _as_stored(Attempt.graded_at))
            .join(Application, Application.id == Attempt.application_id).where(Attempt.id.in_(attempt_ids))):
        shown = standing_of(rules, total=total, correct=correct, sanction=sanction, sanction_reason=None,
                            passed=passed, score=score, status=status, started_at=started_at)
        passed = shown.passed
        if passed is None:  # round 2 on computer: the part's pass mark (C5)
            passed = shown.score is not None and shown.score >= rules.part_pass_mark
        if shown.score is not None and shown.score not in scores:
            scores[shown.score] = format_number(shown.score, 2)
        row = {"number": f"{number:04d}" if number is not None else "",
               "correct": "—" if shown.counted is None else f"{shown.counted_text} / {shown.total}",
               "score": "" if shown.score is None else scores[shown.score],
               "passed": bool(passed), "sanction": shown.sanction_label}
        kept.rows[attempt_id] = (graded_at, number or 0, json.dumps(row, ensure_ascii=False).encode(), bool(passed))
