"""Locks on wrong access codes (issue "Exam day you can trust", item 6): counted per (candidate
number, address) and per address, so that an attacker slows only their own computer and the right
code from another computer is always accepted; the proctor clears a lock from the console."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from recruitment import audit, throttle
from recruitment.extensions import db
from recruitment.models import User

from .models import Placement

SCOPE = "exam_login"
# Where a candidate was turned away by a lock that is not theirs: a computer locked by wrong codes
# typed there for other numbers (a spare computer, a lab behind one address). The proctor's unlock
# of that candidate clears those computers too, and the console shows the candidate as locked.
REFUSED_SCOPE = "exam_login_refused"


def key(round_id: int, number: int, address: str) -> str:
    return f"{round_id}:{number}@{address}"


def address_key(address: str) -> str:
    return f"@{address}"


def limits(config, round_id: int, number: int, address: str) -> dict[str, int]:
    return {key(round_id, number, address): config["EXAM_LOGIN_MAX_FAILURES"],
            address_key(address): config["EXAM_LOGIN_ADDRESS_MAX_FAILURES"]}


def refused(round_id: int, number: int, address: str) -> None:
    """The candidate was turned away at this computer by a lock (their own or the computer's)."""
    throttle.note(REFUSED_SCOPE, key(round_id, number, address))


def refused_once_answered(app: Flask, round_id: int, number: int, address: str) -> Callable[[], None]:
    """`refused`, for the response to call once it is sent (Response.call_on_close): the right code
    turned away is answered as fast as a wrong one, which writes nothing."""
    def note() -> None:
        with app.app_context():
            try:
                refused(round_id, number, address)
                db.session.commit()
            except Exception:  # noqa: BLE001 -- the answer is sent; the console only misses this note
                db.session.rollback()
                app.logger.exception("the turned-away candidate %s could not be noted", number)
    return note


def locked_numbers(config, round_id: int) -> set[int]:
    """Candidate numbers of the round locked out at some computer now, or turned away by a computer's
    lock (for the console)."""
    window = config["EXAM_LOGIN_LOCKOUT_SECONDS"]
    keys = throttle.locked_keys(SCOPE, f"{round_id}:%", config["EXAM_LOGIN_MAX_FAILURES"], window)
    keys |= throttle.locked_keys(REFUSED_SCOPE, f"{round_id}:%", 1, window)
    return {int(k.split(":", 1)[1].split("@", 1)[0]) for k in keys}


def clear(placement: Placement, by: User) -> None:
    """The proctor lets a candidate try again: their locks at every computer, and the locks of the
    computers they were typed at or turned away at, are cleared; audited."""
    application = placement.attempt.application
    own = key(application.round_id, application.candidate_number, "%")
    cleared = throttle.clear_matching(SCOPE, own)
    turned_away = throttle.clear_matching(REFUSED_SCOPE, own)
    for address in {k.split("@", 1)[1] for k in cleared + turned_away}:
        cleared += throttle.clear_matching(SCOPE, address_key(address))
    audit.record("login_lock_cleared", "exam_attempt", placement.attempt_id, before={"locked": cleared},
                 after={"locked": [], "by": by.username})
