"""Locks on wrong access codes (issue "Exam day you can trust", item 6): counted per (candidate
number, address) and per address, so that an attacker slows only their own computer and the right
code from another computer is always accepted; the proctor clears a lock from the console."""
from __future__ import annotations

from recruitment import audit, throttle
from recruitment.models import User

from .models import Placement

SCOPE = "exam_login"


def key(round_id: int, number: int, address: str) -> str:
    return f"{round_id}:{number}@{address}"


def address_key(address: str) -> str:
    return f"@{address}"


def limits(config, round_id: int, number: int, address: str) -> dict[str, int]:
    return {key(round_id, number, address): config["EXAM_LOGIN_MAX_FAILURES"],
            address_key(address): config["EXAM_LOGIN_ADDRESS_MAX_FAILURES"]}


def locked_numbers(config, round_id: int) -> set[int]:
    """Candidate numbers of the round locked out at some computer now (for the console)."""
    keys = throttle.locked_keys(SCOPE, f"{round_id}:%", config["EXAM_LOGIN_MAX_FAILURES"],
                                config["EXAM_LOGIN_LOCKOUT_SECONDS"])
    return {int(k.split(":", 1)[1].split("@", 1)[0]) for k in keys}


def clear(placement: Placement, by: User) -> None:
    """The proctor lets a candidate try again: their locks at every computer, and the locks of the
    addresses they were typed at, are cleared; audited."""
    application = placement.attempt.application
    cleared = throttle.clear_matching(SCOPE, key(application.round_id, application.candidate_number, "%"))
    for address in {k.split("@", 1)[1] for k in cleared}:
        cleared += throttle.clear_matching(SCOPE, address_key(address))
    audit.record("login_lock_cleared", "exam_attempt", placement.attempt_id, before={"locked": cleared},
                 after={"locked": [], "by": by.username})
