"""Operations on a round's job positions: create one and edit one. Each checks the code and the
round-2 form the round's rule set allows (C1, L2), changes, audits with before and after, and
flushes; the page commits."""
from __future__ import annotations

from flask_babel import gettext as _

from . import applications, audit, errors, labels
from .eligibility import Candidate, Requirement, ineligibility
from .extensions import db
from .models import Application, Position, Round
from .tabular import split_list


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


def check_admitted_stay_eligible(position: Position, fields: dict) -> None:
    """Candidates admitted to the position were admitted on its grade and requirements: the grade (B0:
    who sits round 1) is fixed once one is admitted, and a requirement is not raised over one who would
    no longer meet it (A2); the refusal names them."""
    admitted = db.session.scalars(db.select(Application).where(Application.position_id == position.id,
                                                               Application.status == "admitted")
                                  .order_by(Application.candidate_number)).all()
    if not admitted:
        return
    if fields.get("grade", position.grade) != position.grade:
        raise PositionRefused(_("The grade is fixed once candidates are admitted to the position (B0: it decides "
                                "who sits round 1)."), field="grade")
    requirement = Requirement(fields.get("degree_level", position.degree_level),
                              tuple(split_list(fields.get("majors", position.majors))))
    on = applications.reference_day(position.round)
    short = [a.number_label or a.full_name for a in admitted if ineligibility(
        Candidate(a.date_of_birth, a.degree_level, a.major or ""), requirement, position.round.rules, on)]
    if short:
        raise PositionRefused(_("%(count)d admitted candidates would no longer meet the position's requirements (A2): "
                                "%(numbers)s. They were admitted on the requirements as they stand.",
                                count=len(short), numbers=errors.named(short)),
                              field="degree_level")


def edit(position: Position, fields: dict) -> None:
    """The code stays: applications and score files name the position by it."""
    check_editable(position)
    _check_round2_form(position.round, fields["round2_form"])
    check_admitted_stay_eligible(position, fields)
    before = _state(position)
    for name, value in fields.items():
        if name != "code":
            setattr(position, name, value)
    audit.record("position_edited", "position", position.id, before=before, after=_state(position))
    db.session.flush()
