"""Operations on a round: create it and edit it. Each checks what may change in the round's state,
changes it, audits it with before and after, and flushes; the page commits."""
from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select

from . import audit, errors, rulesets
from .extensions import db
from .labels import label
from .models import Application, Position, Round


class RoundRefused(errors.Refused):
    """The round cannot be saved so; `field` names the form field concerned."""


def _state(round_: Round) -> dict:
    return {"name": round_.name, "rules": round_.rules_code, "deadline": round_.application_deadline,
            "several_positions": round_.several_positions, "language_test": round_.language_test,
            "promote_after_cancellation": round_.promote_after_cancellation}


# Settings that decide who may apply and sit what: fixed, like the rule set, once an application is
# admitted (candidates applied and were admitted under them). F4 decides who is selected after a
# cancellation: fixed once a version of the results is published.
FIXED_ONCE_ADMITTED = {"several_positions": "A1", "language_test": "B8"}
FIXED_ONCE_PUBLISHED = {"promote_after_cancellation": "F4"}


def fixed_settings(round_: Round) -> set[str]:
    """The form's settings that no longer change in this round's state (the page shows them disabled)."""
    fixed = set()
    if round_.rules_locked:
        fixed |= {"rules_code", *FIXED_ONCE_ADMITTED}
    if round_.results_published_at is not None:
        fixed |= set(FIXED_ONCE_PUBLISHED)
    return fixed


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
    admitted neither does the rule set, the deadline (A2 counted ages on it: late applications take an
    extension, applications.extend), A1 or B8; once results are published, not F4. A rule set is
    taken only if it allows every position's form of round 2 (C1)."""
    locked = round_.rules_locked
    if locked and fields.get("application_deadline") != round_.application_deadline:
        raise RoundRefused(_("The deadline is fixed once applications are admitted (A2); "
                             "record an extension with its reason on the round's page."), field="application_deadline")
    for name, rule in FIXED_ONCE_ADMITTED.items():
        if locked and name in fields and bool(fields[name]) != getattr(round_, name):
            raise RoundRefused(_("This setting (%(rule)s) is fixed once applications are admitted.", rule=rule), field=name)
    for name, rule in FIXED_ONCE_PUBLISHED.items():
        if round_.results_published_at is not None and name in fields and bool(fields[name]) != getattr(round_, name):
            raise RoundRefused(_("This setting (%(rule)s) is fixed once results are published.", rule=rule), field=name)
    if round_.several_positions and "several_positions" in fields and not fields["several_positions"]:
        _one_application_each(round_)
    new_rules = fields.get("rules_code")
    if not locked and new_rules and new_rules != round_.rules_code:
        _positions_allowed_under(round_, new_rules)
    before = _state(round_)
    for name, value in fields.items():
        if name == "code" or (name == "rules_code" and locked):
            continue
        setattr(round_, name, value)
    audit.record("round_edited", "round", round_.id, before=before, after=_state(round_))
    db.session.flush()


def _one_application_each(round_: Round) -> None:
    """A1: one application per person is not set while a person holds several in the round not
    rejected: the refusal names them, and HR rejects the extra ones first (A4, with the reason)."""
    several = db.session.scalars(select(Application.national_id).where(Application.round_id == round_.id,
                                                                       Application.status != "rejected")
                                 .group_by(Application.national_id).having(func.count() > 1)
                                 .order_by(Application.national_id)).all()
    if several:
        raise RoundRefused(_("These people hold several applications in this round: %(ids)s. One application per "
                             "person (A1) is set once each holds one.",
                             ids=errors.named(several)),
                           field="several_positions")


def _positions_allowed_under(round_: Round, rules_code: str) -> None:
    """C1, L2: a rule set that forbids a position's form of round 2 is refused, naming the positions."""
    allowed = rulesets.get(rules_code).allowed_round2_forms
    forbidden = db.session.scalars(select(Position.code).where(Position.round_id == round_.id,
                                                               Position.round2_form.not_in(allowed))
                                   .order_by(Position.code)).all()
    if forbidden:
        raise RoundRefused(_("Under %(rules)s these positions' form of round 2 is not allowed (C1): %(codes)s. "
                             "Change their form first.", rules=label(rules_code, "rule_set"),
                             codes=", ".join(forbidden)), field="rules_code")
