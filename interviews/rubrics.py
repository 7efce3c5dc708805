"""The interview rubric of each position: criteria with weights summing to 100 (C4's 100 points), a
default for every position, editable per position until the first score under it is submitted."""
from __future__ import annotations

import json
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import audit, errors
from recruitment.extensions import db
from recruitment.models import Application, Position

from .models import DEFAULT_RUBRIC, Interview, PositionRubric, Score

RECORDED_DECIMALS = Score.__table__.c.total.type.scale  # an interviewer's total, 2 decimals (C6)


class RubricRefused(errors.Refused):
    pass


def rubric_for(position: Position) -> list[dict]:
    own = db.session.scalar(select(PositionRubric.criteria).filter_by(position_id=position.id))
    return json.loads(own) if own else DEFAULT_RUBRIC


def parse(lines: str) -> list[dict]:
    """One criterion a line, 'name: weight'; refused with the line and the cause named."""
    criteria = []
    for number, line in enumerate((raw.strip() for raw in lines.splitlines()), 1):
        if not line:
            continue
        name, sep, weight = line.rpartition(":")
        try:
            value = int(weight.strip())
        except ValueError:
            value = None
        if not sep or not name.strip() or value is None or value <= 0:
            raise RubricRefused(_("line %(n)d: write a criterion as 'name: weight', the weight a whole number above 0",
                                  n=number))
        criteria.append({"name": name.strip(), "weight": value})
    if len(criteria) < 2:
        raise RubricRefused(_("a rubric has at least 2 criteria"))
    total = sum(c["weight"] for c in criteria)
    if total != 100:
        raise RubricRefused(_("the weights add up to %(total)d; they must add up to 100 (C4)", total=total))
    return criteria


def set_rubric(position: Position, criteria: list[dict]) -> None:
    scored = db.session.scalar(select(Score.id).join(Interview).join(Application)
                               .where(Application.position_id == position.id, Score.submitted_at.is_not(None)).limit(1))
    if scored is not None:
        raise RubricRefused(_("scores are already submitted on this position's rubric: it can no longer change"))
    row = db.session.scalar(select(PositionRubric).filter_by(position_id=position.id))
    before = rubric_for(position)
    if row is None:
        row = PositionRubric(position_id=position.id)
        db.session.add(row)
    row.criteria = json.dumps(criteria, ensure_ascii=False)
    audit.record("interview_rubric_set", "position", position.id, before={"criteria": before},
                 after={"criteria": criteria})


def points_refusal(criteria: list[dict], points: list[Decimal | None]) -> str | None:
    """Why an interviewer's points on the rubric are refused, or None. Points with more decimals than a
    total is recorded with (Score.total, 2: C6) are refused rather than rounded: C4's spread would be
    judged on the typed total and the results on the stored one (72.996 against 73.00)."""
    if len(points) != len(criteria) or not all(p is not None and 0 <= p <= c["weight"]
                                               for p, c in zip(points, criteria, strict=True)):
        return _("each criterion is scored from 0 to its weight")
    for given, criterion in zip(points, criteria, strict=True):
        if given != round(given, RECORDED_DECIMALS):
            return _("%(criterion)s: %(points)s has more than %(n)d decimals: points are recorded with %(n)d "
                     "decimals (C4, C6)", criterion=criterion["name"], points=given, n=RECORDED_DECIMALS)
    return None
