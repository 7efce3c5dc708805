"""Operations on a round's job positions: create one and edit one. Each checks the code and the
round-2 form the round's rule set allows (C1, L2), changes, audits with before and after, and
flushes; the page commits."""
from __future__ import annotations

from flask_babel import gettext as _

from . import audit, errors, labels
from .extensions import db
from .models import Position, Round


class PositionRefused(errors.Refused):
    """The position cannot be saved so; `field` names the form field concerned."""


def _state(position: Position) -> dict:
    return {"name": position.name, "agency": position.agency, "quota": position.quota, "grade": position.grade,
            "round2_form": position.round2_form, "degree_level": position.degree_level, "majors": position.majors}


def _check_round2_form(round_: Round, round2_form: str) -> None:
    if round2_form not in round_.rules.allowed_round2_forms:  # C1, L2
        raise PositionRefused(_("Not allowed under %(rules)s.", rules=labels.label(round_.rules_code, "rule_set")), field="round2_form")


def check_editable(position: Position) -> None:
    """E5: once the round's results are published, its positions stay as they were published (the
    grade decides who sat round 1, B0; the quota who was selected, E3)."""
    check_open_for_positions(position.round)


def check_open_for_positions(round_: Round) -> None:
    """E5: a published round keeps the positions it published, none changed and none added (nobody could
    apply to a new one, and the next version would list it)."""
    if round_.results_published_at is not None:
        raise PositionRefused(_("round %(round)s has published its results: its positions stay as they were "
                                "published (E5)", round=round_.code))


def create(round_: Round, fields: dict) -> Position:
    """`fields` are Position's columns (code, name, agency, grade, quota, round2_form, ...)."""
    check_open_for_positions(round_)
    if db.session.scalar(db.select(Position).filter_by(round_id=round_.id, code=fields["code"])):
        raise PositionRefused(_("A position with this code exists already in this round."), field="code")
    _check_round2_form(round_, fields["round2_form"])
    position = Position(round_id=round_.id, **fields)
    db.session.add(position)
    db.session.flush()
    audit.record("position_created", "position", position.id, after={"code": position.code, "quota": position.quota})
    return position


def edit(position: Position, fields: dict) -> None:
    """The code stays: applications and score files name the position by it."""
    check_editable(position)
    _check_round2_form(position.round, fields["round2_form"])
    before = _state(position)
    for name, value in fields.items():
        if name != "code":
            setattr(position, name, value)
    audit.record("position_edited", "position", position.id, before=before, after=_state(position))
    db.session.flush()
