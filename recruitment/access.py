"""Who may use which route. Every view declares its roles with @roles(...) or @public; the app
refuses any request to an endpoint without a declaration, and a test walks every route.

The supervisor (G6) reads everything staff can read: every staff route admits the supervisor for
GET and HEAD, and never for a change.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

from .models import ROLES

PUBLIC = frozenset({"*"})
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
NOT_STAFF = {"candidate", "supervisor"}


def _declare(view, allowed: frozenset[str]):
    view.access = allowed
    return view


def public(view):
    """No log-in needed (the public results look-up, the log-in page itself)."""
    return _declare(view, PUBLIC)


def roles(*names: str, supervisor_reads: bool = True):
    unknown = set(names) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    allowed = set(names)
    if supervisor_reads and allowed - NOT_STAFF:
        allowed.add("supervisor")

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not may_use(current_user.role_names, allowed, request.method):
                abort(403)
            return view(*args, **kwargs)

        return _declare(wrapped, frozenset(allowed))

    return decorator


def may_use(user_roles: set[str], allowed: frozenset[str] | set[str], method: str) -> bool:
    if allowed == PUBLIC:
        return True
    granted = user_roles & allowed
    if not granted:
        return False
    if granted == {"supervisor"} and method not in SAFE_METHODS:
        return False  # G6: read-only
    return True


def user_may(endpoint: str, method: str = "GET") -> bool:
    """For templates: show a link only to those who may follow it."""
    view = current_app.view_functions.get(endpoint)
    allowed = getattr(view, "access", None)
    if allowed is None:
        return False
    if allowed == PUBLIC:
        return True
    return current_user.is_authenticated and may_use(current_user.role_names, allowed, method)


def check_declared() -> None:
    """before_request: an endpoint without a declaration is refused, never served by accident."""
    if request.endpoint is None or request.endpoint == "static":
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "access", None) is None:
        current_app.logger.error("route %s declares no roles; refused", request.endpoint)
        abort(403)
