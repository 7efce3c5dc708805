"""Candidate accounts: one per application, reached with the candidate number (exam log-in with an
access code, dossier log-in); candidates never use the staff log-in form."""
from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy.exc import IntegrityError

from .bulk_rows import insert_rows
from .database import utcnow
from .extensions import db
from .models import Application, Role, User, user_of_application, user_roles

IDS_PER_STATEMENT = 900  # bound parameters per IN list, under every engine's limit


def username_for(application: Application) -> str:
    return f"{application.round.code}-{application.number_label}"


def no_password() -> str:
    return "!" + secrets.token_hex(16)  # matches no password


def ensure_accounts(applications: Iterable[Application]) -> int:
    """The accounts of these candidates, made together when their access codes are issued, so that
    the start of a sitting (the whole city logging in within a minute) only reads them. Returns how
    many were made."""
    wanted = {a.id: a for a in applications}
    ids = list(wanted)
    chunks = [ids[i:i + IDS_PER_STATEMENT] for i in range(0, len(ids), IDS_PER_STATEMENT)]
    have = {app_id for chunk in chunks
            for app_id in db.session.scalars(db.select(User.application_id).where(User.application_id.in_(chunk)))}
    missing = [a for a in wanted.values() if a.id not in have]
    if not missing:
        return 0
    db.session.flush()
    connection, now = db.session.connection(), utcnow()
    insert_rows(connection, User.__table__, ("username", "full_name", "password_hash", "active", "application_id",
                                             "failed_logins", "session_generation", "created_at"),
                ((username_for(a), a.full_name, no_password(), True, a.id, 0, 0, now) for a in missing))
    role_id = db.session.scalar(db.select(Role.id).filter_by(name="candidate"))
    made = [a.id for a in missing]
    user_ids = [user_id for i in range(0, len(made), IDS_PER_STATEMENT) for user_id in db.session.scalars(
        db.select(User.id).where(User.application_id.in_(made[i:i + IDS_PER_STATEMENT])))]
    insert_rows(connection, user_roles, ("user_id", "role_id"), ((user_id, role_id) for user_id in user_ids))
    return len(missing)


def candidate_user(application: Application) -> User:
    """The candidate's account, made on first use if ensure_accounts did not make it before. It has
    no password: candidates never use the staff log-in form (it refuses them), and a slow hash here
    would cost a room logging in at once."""
    user = account_of(application)
    if user is None:
        role = db.session.scalar(db.select(Role).filter_by(name="candidate"))
        user = User(username=username_for(application), full_name=application.full_name,
                    application_id=application.id, roles=[role])
        user.password_hash = no_password()
        # Two first log-ins at once (two computers; on PostgreSQL they do not queue) both read no
        # account: the second's INSERT then breaks the unique user name, and takes the first's.
        try:
            with db.session.begin_nested():
                db.session.add(user)
        except IntegrityError:
            user = account_of(application)
    return user


def account_of(application: Application) -> User | None:
    """The candidate's account if it is made (a read: candidate_user makes it)."""
    return db.session.scalar(user_of_application(), {"application_id": application.id})
