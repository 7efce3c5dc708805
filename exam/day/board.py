"""The results board of a sitting, for the screen of the waiting hall (B3: the score is shown at once).

It shows, for each candidate who has handed in, the candidate number, the score after sanctions (B6)
and whether they passed, nothing else: no name, no birth date, nothing before hand-in. The screen
opens it with a board code derived from the app's secret and the sitting (recruitment/codes.py),
which the proctor console shows; wrong codes are counted per address (recruitment/throttle.py).

A hall screen polls every few seconds and a 5,000-candidate sitting has many screens, so an
unchanged poll costs one aggregate query and is answered 304 (the version is the ETag), and the
rows are built once per version and shared by every screen the worker serves."""
from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from flask_babel import get_locale
from sqlalchemy import func, select

from recruitment import codes, throttle
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.i18n import format_number
from recruitment.labels import label
from recruitment.models import Application

from .. import grading
from ..models import HANDED_IN, Attempt, ExamTest
from ..scoring import cells_of
from .models import Placement, Sitting

PURPOSE = "results-board"
THROTTLE_SCOPE = "results_board"
WRONG_CODES_LIMIT = 10  # wrong codes per address ...
WRONG_CODES_WINDOW = 600  # ... in this many seconds
POLL_SECONDS = 3  # the page polls this often: within the 5 s the hall expects


def board_code(sitting_id: int) -> str:
    return codes.derived_code(PURPOSE, sitting_id)


def code_matches(sitting_id: int, code: str) -> bool:
    return hmac.compare_digest(board_code(sitting_id), (code or "").strip().upper())


def blocked(address: str) -> bool:
    return throttle.exceeded(THROTTLE_SCOPE, address, WRONG_CODES_LIMIT, WRONG_CODES_WINDOW)


def note_wrong_code(address: str) -> None:
    throttle.note(THROTTLE_SCOPE, address)
    db.session.commit()


def find_sitting(code: str) -> Sitting | None:
    """The sitting whose board code this is, among those of the last two days and the coming ones
    (a board is for the day of the sitting)."""
    code = (code or "").strip().upper()
    recent = select(Sitting.id).where(Sitting.ends_at >= utcnow() - timedelta(days=2))
    for sitting_id in db.session.scalars(recent):
        if hmac.compare_digest(board_code(sitting_id), code):
            return db.session.get(Sitting, sitting_id)
    return None


def _handed_in(sitting_id: int):
    """Attempts of the sitting handed in by the candidate or collected after they began, and graded:
    an absent candidate (collected without ever starting) and a voided attempt are not shown."""
    return (Attempt.id == Placement.attempt_id, Placement.sitting_id == sitting_id, Attempt.status.in_(HANDED_IN),
            Attempt.started_at.is_not(None), Attempt.graded_at.is_not(None))


def version(sitting_id: int) -> str:
    """Changes when a candidate hands in and when a graded attempt is graded again (a sanction after
    hand-in re-grades it, B6): the count and the latest grading time of the shown attempts."""
    count, latest = db.session.execute(
        select(func.count(), func.max(Attempt.graded_at)).select_from(Placement).join(Attempt, Attempt.id == Placement.attempt_id)
        .where(*_handed_in(sitting_id))).one()
    return f"{sitting_id}-{count}-{latest.isoformat() if latest else '0'}-{get_locale()}"


@dataclass(frozen=True)
class Line:
    candidate_number: str
    score: Decimal | None  # on 100, after the sanction; None when the test is void (B6 suspension)
    passed: bool
    sanction: str | None


def lines(sitting: Sitting) -> list[Line]:
    test: ExamTest = sitting.test
    rules = test.round.rules
    cells = cells_of(test)
    total = sum(c.count for c in cells)
    max_points = sum(c.count * c.points for c in cells) or 1
    rows = db.session.execute(
        select(Application.candidate_number, Attempt.correct, Attempt.points, Attempt.sanction)
        .select_from(Placement).join(Attempt, Attempt.id == Placement.attempt_id)
        .join(Application, Application.id == Attempt.application_id)
        .where(*_handed_in(sitting.id)).order_by(Application.candidate_number)).all()
    out = []
    for number, correct, points, sanction in rows:
        # B6 through the one function that applies sanctions, on the 100-point scale for every kind of test.
        _, score, passed = grading.outcome(float(correct or 0), total, float(points or 0), max_points, rules,
                                           sanction=sanction, scale_to_100=True, pass_fraction=test.pass_fraction)
        if passed is None:  # round 2 on computer: the part's pass mark (C5)
            passed = score is not None and score >= rules.part_pass_mark
        out.append(Line(f"{number:04d}" if number is not None else "", score, bool(passed), sanction))
    return out


_CACHE: dict[int, tuple[str, bytes]] = {}  # sitting id -> (version, body), shared by the worker's screens


def body(sitting: Sitting, current: str) -> bytes:
    cached = _CACHE.get(sitting.id)
    if cached and cached[0] == current:
        return cached[1]
    found = lines(sitting)
    data = json.dumps({
        "version": current, "count": len(found), "passed": sum(line.passed for line in found),
        "rows": [{"number": line.candidate_number, "score": "—" if line.score is None else format_number(line.score, 2),
                  "passed": line.passed, "sanction": label(line.sanction, "sanction")} for line in found],
    }, ensure_ascii=False).encode()
    if len(_CACHE) > 64:  # a worker serves a day's sittings; forget older ones
        _CACHE.clear()
    _CACHE[sitting.id] = (current, data)
    return data
