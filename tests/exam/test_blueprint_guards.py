"""Blueprint guards. Defects found in review: the same (topic, difficulty) cell given twice was saved,
and activation then called it short of questions the bank holds (the draw files each question under
one cell); a round-2 computer test could be made for a position whose round 2 has no written test
(interview only, C1/L2; nhân viên, B0); and an edit's audit entry kept the cells it replaced but not
the minutes and tolerance, so a change of duration had no "before"."""
import json

import pytest
from werkzeug.datastructures import MultiDict

from exam import blueprint_checks, blueprints
from recruitment import errors
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Position
from tests.support.factories import small_test


def test_the_same_cell_twice_is_refused_in_words(exam_round):
    form = MultiDict({"rows": "2", "minutes": "60", "topic-0": "Tin học", "difficulty-0": "1", "count-0": "3",
                      "topic-1": "Tin học", "difficulty-1": "1", "count-1": "2"})
    with pytest.raises(blueprint_checks.BlueprintProblem):
        blueprint_checks.parse_form(form, 60)
    test = small_test(exam_round)
    test.cells = json.dumps([{"topic": "Tin học", "difficulty": 1, "count": 3, "points": 1},
                             {"topic": "Tin học", "difficulty": 1, "count": 2, "points": 1}])
    with pytest.raises(blueprint_checks.BlueprintProblem):
        blueprints.check_blueprint(test)


def test_no_round2_computer_test_for_a_position_without_a_written_part(exam_round):
    for code, grade, form in (("PV-1", "chuyen_vien", "interview"), ("NV-1", "nhan_vien", "written")):
        position = Position(round_id=exam_round.id, code=code, name=code, agency="X", grade=grade, quota=1,
                            round2_form=form, degree_level="dai_hoc", majors="")
        db.session.add(position)
        db.session.flush()
        with pytest.raises(errors.Refused):
            blueprints.create(exam_round, "round2_written", position)


def test_an_edit_logs_the_minutes_and_tolerance_it_replaced(exam_round):
    test = blueprints.create(exam_round, "round1_general", None)
    cells, minutes, tolerance = json.loads(test.cells), test.minutes, float(test.difficulty_tolerance)
    blueprints.edit(test, cells, 90, 0.1)
    (entry,) = db.session.scalars(db.select(AuditEntry).filter_by(action="blueprint_edited"))
    assert json.loads(entry.before) == {"cells": cells, "minutes": minutes, "tolerance": tolerance, "pass_fraction": 0.5}
    assert json.loads(entry.after) == {"cells": cells, "minutes": 90, "tolerance": 0.1, "pass_fraction": 0.5}
