"""Issue 15: a board is created by an operation (interviews/boards.py) that checks C4, keeps
non-interviewers out, audits and flushes."""
from __future__ import annotations

import json

import pytest

from interviews import boards
from interviews.service import Refused
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import round_with_applications


def test_a_board_needs_the_rule_sets_number_of_interviewers(app, make_user, tmp_path):
    round_, _apps = round_with_applications(tmp_path, "BD", ["Trần An"])
    needed = round_.rules.interview_min_interviewers
    head = make_user("truongban", "interviewer")
    members = [make_user(f"tv{i}", "interviewer") for i in range(needed - 1)]
    clerk = make_user("thuky", "hr")
    with pytest.raises(Refused):  # C4: the clerk is no interviewer, so one short
        boards.create(round_, "Ban 1", "P.101", head, [*members[:-1], clerk], "TC-01")
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="board_created")) is None
    board = boards.create(round_, "", "P.101", head, [*members, clerk, head], "TC-01; VT-02")
    db.session.commit()
    assert {m.id for m in board.members} == {head.id, *(m.id for m in members)}
    assert board.name and board.position_list == ["TC-01", "VT-02"]
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="board_created"))
    assert entry.object_id == str(board.id) and json.loads(entry.after)["head"] == head.id
