"""The state changes of logging in and out: a failed log-in counted and audited, the
administrator's unlock, and a log-out that ends every session of the user on the server. Each
audits and flushes; the page commits."""
from __future__ import annotations

import secrets
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

from . import audit, throttle
from .extensions import db
from .models import User


def password_right(user: User | None, password: str) -> bool:
    """Whether `user` is staff who may log in with this password. The slow hash is worked out for a
    user name that does not exist, an inactive or a candidate's account too: answered sooner, their
    wrong log-ins told by the clock which names are staff."""
    if user is not None and user.active and not user.has_role("candidate"):
        return user.check_password(password)
    check_password_hash(_no_ones_hash(), password)
    return False


@cache
def _no_ones_hash() -> str:
    return generate_password_hash(secrets.token_urlsafe(16))  # the method and cost of every stored one


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
