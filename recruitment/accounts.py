"""The administrator's operation on staff accounts: create or edit one (name, roles, password),
the user name unique; audited with before and after (never the password), then flushed."""
from __future__ import annotations

from flask_babel import gettext as _

from . import audit, errors
from .extensions import db
from .models import Role, User


class AccountRefused(errors.Refused):
    """The account cannot be saved so; `field` names the form field concerned."""


def snapshot(user: User) -> dict:
    return {"username": user.username, "full_name": user.full_name, "active": user.active,
            "roles": sorted(user.role_names)}


def save(user: User | None, username: str, full_name: str, email: str | None, active: bool, roles: list[str],
         password: str | None, by: User | None = None) -> User:
    """`user` None creates one, which needs a password; a new password clears the failed log-ins.
    `by`, the administrator saving, neither deactivates their own account nor drops their own
    administrator role: one unticked box would lock them (perhaps the only one) out for good."""
    username = username.strip()
    if user is not None and by is not None and user.id == by.id:
        if not active:
            raise AccountRefused(_("You cannot deactivate your own account; another administrator can."),
                                 field="active")
        if user.has_role("admin") and "admin" not in roles:
            raise AccountRefused(_("You cannot remove your own administrator role; another administrator can."),
                                 field="roles")
    clash = db.session.scalar(db.select(User).filter_by(username=username))
    if clash is not None and clash is not user:
        raise AccountRefused(_("This user name is taken."), field="username")
    if user is None and not password:
        raise AccountRefused(_("A new user needs a password."), field="password")
    # Queried before a new user is added: the query's autoflush would insert it without its password.
    chosen = list(db.session.scalars(db.select(Role).where(Role.name.in_(roles))))
    before = None if user is None else snapshot(user)
    if user is None:
        user = User()
        db.session.add(user)
    user.username, user.full_name, user.email, user.active = username, full_name.strip(), email or None, active
    user.roles = chosen
    if password:
        user.set_password(password)
        user.failed_logins = 0
    db.session.flush()
    audit.record("user_saved", "user", user.id, before=before, after=snapshot(user))
    return user
