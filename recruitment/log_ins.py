"""The state changes of logging in and out: a failed log-in counted and audited, the
administrator's unlock, and a log-out that ends every session of the user on the server. Each
audits and flushes; the page commits."""
from __future__ import annotations

from . import audit, throttle
from .extensions import db
from .models import User


def failed(username: str, limits: dict[str, int], window: int) -> None:
    """A wrong user name or password: counted against each of `limits` (throttle) and audited."""
    throttle.fail("login", limits, window)
    audit.record("login_failed", "user", username)
    db.session.flush()


def unlock(user: User) -> list:
    """Ends the user's log-in locks from every address; returns the locks cleared."""
    cleared = throttle.clear_matching("login", f"user:{user.username.lower()}@%")
    audit.record("login_unlocked", "user", user.id, before={"locked": cleared}, after={"locked": []})
    db.session.flush()
    return cleared


def end_sessions(user: User) -> None:
    """Every cookie issued to the user so far (one captured on a shared computer, too) stops working;
    a candidate's exam session ends as well."""
    user.session_generation = (user.session_generation or 0) + 1
    audit.record("logged_out", "user", user.id)
    db.session.flush()
