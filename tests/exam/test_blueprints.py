"""Issue 15: a test's blueprint is created and edited by operations (exam/blueprints.py) that check
the kind, the position and the test's state, audit with before and after, and flush."""
from __future__ import annotations

import json

import pytest

from exam import blueprints
from recruitment import errors
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Position
from tests.support.factories import make_round


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action).order_by(AuditEntry.seq)))


def test_a_round1_test_gets_the_rule_sets_preset_and_is_audited(exam_round):
    test = blueprints.create(exam_round, "round1_general", None)
    db.session.commit()
    assert test.position_id is None and test.minutes and json.loads(test.cells)
    (entry,) = _entries("blueprint_created")
    assert json.loads(entry.after)["kind"] == "round1_general" and json.loads(entry.after)["cells"] == json.loads(test.cells)


def test_a_round2_test_is_for_a_position_of_its_own_round(exam_round):
    other = make_round("OTHER")
    stranger = Position(round_id=other.id, code="X-1", name="X", agency="X", grade="chuyen_vien", quota=1,
                        round2_form="written", degree_level="dai_hoc", majors="")
    db.session.add(stranger)
    db.session.flush()
    for position in (None, stranger):
        with pytest.raises(errors.Refused):
            blueprints.create(exam_round, "round2_written", position)
    with pytest.raises(errors.Refused):
        blueprints.create(exam_round, "no_such_kind", None)
    assert _entries("blueprint_created") == []


def test_only_a_draft_blueprint_is_edited(exam_round):
    test = blueprints.create(exam_round, "round1_general", None)
    cells = [{"topic": t, "difficulty": d, "count": 3, "points": 1} for t in ("Hiến pháp", "Tin học") for d in (1, 2)]
    before = json.loads(test.cells)
    blueprints.edit(test, cells, 60, 0.9)  # a tolerance above 0.5 is ignored; B1: 60 minutes
    (edited,) = _entries("blueprint_edited")
    assert json.loads(edited.before)["cells"] == before and json.loads(edited.after)["cells"] == cells
    assert test.minutes == 60 and float(test.difficulty_tolerance) <= 0.5
    assert blueprints.activate(test) == []
    with pytest.raises(errors.Refused):
        blueprints.edit(test, [], 30, None)
    assert json.loads(test.cells) == cells and len(_entries("blueprint_edited")) == 1
