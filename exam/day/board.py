"""The results board of a sitting, for the screen of the waiting hall (B3: the score is shown at once).

It shows, for each candidate who has handed in, the candidate number, the count of correct answers
after sanctions (B6) as the candidate's screen and the score slip show it (exam/day/standing.py),
the score on 100 where the test has one (C2), and whether they passed; nothing else: no name, no
birth date, nothing before hand-in. The screen opens it with a board code derived from the app's secret and the sitting (recruitment/codes.py),
which the proctor console shows; wrong codes are counted per address (recruitment/throttle.py).

A hall screen polls every few seconds and a 5,000-candidate sitting has many screens, so an
unchanged poll costs one aggregate query and is answered 304 (the version is the ETag), and the
rows are built once per version and shared by every screen the worker serves."""
from __future__ import annotations

import hmac
import json
from datetime import timedelta

from flask_babel import get_locale
from sqlalchemy import func, select

from recruitment import codes, throttle
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.i18n import format_number
from recruitment.models import Application

from ..models import HANDED_IN, Attempt, ExamTest
from ..scoring import cells_of
from .models import Placement, Sitting
from .standing import Standing, standing_of

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


def lines(sitting: Sitting) -> list[tuple[str, Standing, bool]]:
    """(candidate number, standing, passed) of each shown attempt, in number order: the standing is
    the one the candidate's screen, the score slip and the console read (B6 through the rule set's
    count_after_sanction), built from the columns of one query."""
    test: ExamTest = sitting.test
    rules = test.round.rules
    total = sum(c.count for c in cells_of(test))
    rows = db.session.execute(
        select(Application.candidate_number, Attempt.correct, Attempt.score, Attempt.passed, Attempt.sanction,
               Attempt.status, Attempt.started_at)
        .select_from(Placement).join(Attempt, Attempt.id == Placement.attempt_id)
        .join(Application, Application.id == Attempt.application_id)
        .where(*_handed_in(sitting.id)).order_by(Application.candidate_number)).all()
    out = []
    for number, correct, score, passed, sanction, status, started_at in rows:
        shown = standing_of(rules, total=total, correct=correct, sanction=sanction, sanction_reason=None,
                            passed=passed, score=score, status=status, started_at=started_at)
        passed = shown.passed
        if passed is None:  # round 2 on computer: the part's pass mark (C5)
            passed = shown.score is not None and shown.score >= rules.part_pass_mark
        out.append((f"{number:04d}" if number is not None else "", shown, bool(passed)))
    return out


_CACHE: dict[int, tuple[str, bytes]] = {}  # sitting id -> (version, body), shared by the worker's screens


def body(sitting: Sitting, current: str) -> bytes:
    cached = _CACHE.get(sitting.id)
    if cached and cached[0] == current:
        return cached[1]
    found = lines(sitting)
    data = json.dumps({
        "version": current, "count": len(found), "passed": sum(passed for _, _, passed in found),
        "rows": [{"number": number,
                  "correct": "—" if shown.counted is None else f"{shown.counted_text} / {shown.total}",
                  "score": "" if shown.score is None else format_number(shown.score, 2),
                  "passed": passed, "sanction": shown.sanction_label} for number, shown, passed in found],
    }, ensure_ascii=False).encode()
    if len(_CACHE) > 64:  # a worker serves a day's sittings; forget older ones
        _CACHE.clear()
    _CACHE[sitting.id] = (current, data)
    return data
