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


def check_points(criteria: list[dict], points: list[Decimal | None]) -> bool:
    return len(points) == len(criteria) and all(p is not None and 0 <= p <= c["weight"]
                                                for p, c in zip(points, criteria, strict=True))
