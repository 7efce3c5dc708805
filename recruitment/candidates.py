"""Candidate accounts: one per application, reached with the candidate number (exam log-in with an
access code, dossier log-in); candidates never use the staff log-in form."""
from __future__ import annotations

import secrets

from .extensions import db
from .models import Application, Role, User


def username_for(application: Application) -> str:
    return f"{application.round.code}-{application.number_label}"


def candidate_user(application: Application) -> User:
    """The candidate's account, created on first use. It has no password: candidates never use the
    staff log-in form (it refuses them), and a slow hash here would cost a room logging in at once."""
    user = db.session.scalar(db.select(User).filter_by(application_id=application.id))
    if user is None:
        role = db.session.scalar(db.select(Role).filter_by(name="candidate"))
        user = User(username=username_for(application), full_name=application.full_name,
                    application_id=application.id, roles=[role])
        user.password_hash = "!" + secrets.token_hex(16)  # matches no password
        db.session.add(user)
        db.session.flush()
    return user
