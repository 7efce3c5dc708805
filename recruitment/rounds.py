"""Operations on a round: create it and edit it. Each checks what may change in the round's state,
changes it, audits it with before and after, and flushes; the page commits."""
from __future__ import annotations

import secrets

from flask_babel import gettext as _

from . import audit, errors
from .extensions import db
from .models import Round


class RoundRefused(errors.Refused):
    """The round cannot be saved so; `field` names the form field concerned."""


def _state(round_: Round) -> dict:
    return {"name": round_.name, "rules": round_.rules_code, "deadline": round_.application_deadline}


def create(fields: dict) -> Round:
    """A new round with its own draw seed; `fields` are Round's columns (code, name, rules_code, ...)."""
    if db.session.scalar(db.select(Round).filter_by(code=fields["code"])):
        raise RoundRefused(_("A round with this code exists already."), field="code")
    round_ = Round(draw_seed=secrets.token_hex(32), **fields)
    db.session.add(round_)
    db.session.flush()
    audit.record("round_created", "round", round_.id, after={"code": round_.code, "rules": round_.rules_code})
    return round_


def edit(round_: Round, fields: dict) -> None:
    """The code never changes (it names the round in files and commands); once an application is
    admitted neither does the rule set nor the deadline (A2 counted ages on it: late applications
    take an extension, applications.extend)."""
    locked = round_.rules_locked
    if locked and fields.get("application_deadline") != round_.application_deadline:
        raise RoundRefused(_("The deadline is fixed once applications are admitted (A2); "
                             "record an extension with its reason on the round's page."), field="application_deadline")
    before = _state(round_)
    for name, value in fields.items():
        if name == "code" or (name == "rules_code" and locked):
            continue
        setattr(round_, name, value)
    audit.record("round_edited", "round", round_.id, before=before, after=_state(round_))
    db.session.flush()
