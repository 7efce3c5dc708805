"""Issue 15: a board is created by an operation (interviews/boards.py) that checks C4, refuses
anyone who is not an active interviewer and positions of another round, audits and flushes."""
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
    with pytest.raises(Refused):  # C4: one short
        boards.create(round_, "Ban 1", "P.101", head, members[:-1], "TC-01")
    with pytest.raises(Refused):  # the clerk is no interviewer
        boards.create(round_, "Ban 1", "P.101", head, [*members, clerk], "TC-01")
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="board_created")) is None
    board = boards.create(round_, "", "P.101", head, [*members, head], "TC-01; VT-02")
    db.session.commit()
    assert {m.id for m in board.members} == {head.id, *(m.id for m in members)}
    assert board.name and board.position_list == ["TC-01", "VT-02"]
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="board_created"))
    assert entry.object_id == str(board.id) and json.loads(entry.after)["head"] == head.id


def test_a_board_is_made_of_active_interviewers_for_positions_of_its_round(app, make_user, tmp_path):
    """The board's form was trusted: any user could head it (a clerk, a candidate's account, someone whose
    account was closed), a member who was not an interviewer was dropped without a word, and its positions
    were any text, another round's codes too. Each is refused in words, naming who or what."""
    from flask_babel import force_locale

    round_, _apps = round_with_applications(tmp_path, "BD", ["Trần An"])
    other, _ = round_with_applications(tmp_path, "BK", ["Lê Bình"])
    other.positions[0].code = "KH-09"  # a position of the other round only
    head, member = make_user("truongban", "interviewer"), make_user("thanhvien", "interviewer")
    clerk, gone = make_user("thuky", "hr"), make_user("nghihuu", "interviewer", active=False)
    with force_locale("en"):
        for wrong_head, members, who in ((clerk, [member], "Thuky"), (gone, [member], "Nghihuu"),
                                         (head, [member, clerk], "Thuky"), (head, [member, gone], "Nghihuu")):
            with pytest.raises(Refused, match=who):
                boards.create(round_, "Ban 1", "P.101", wrong_head, members, "TC-01")
        for positions in ("TC-01; KH-09", "XX-99"):
            with pytest.raises(Refused, match=positions.split("; ")[-1]):
                boards.create(round_, "Ban 1", "P.101", head, [member], positions)
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="board_created")) is None
    board = boards.create(round_, "Ban 1", "P.101", head, [member], "tc-01")  # the round's own spelling is kept
    assert board.position_list == ["TC-01"]


def test_a_name_or_room_longer_than_its_column_is_refused_in_words(app, make_user, tmp_path):
    """The form's name and room went to the database unchecked: over String(200) and String(100)
    PostgreSQL answered 500 and SQLite kept the whole text."""
    round_, _apps = round_with_applications(tmp_path, "BL", ["Trần An"])
    head = make_user("truongban", "interviewer")
    members = [make_user(f"tv{i}", "interviewer") for i in range(round_.rules.interview_min_interviewers - 1)]
    with pytest.raises(Refused, match="200"):
        boards.create(round_, "B" * 201, "P.101", head, members, "TC-01")
    with pytest.raises(Refused, match="100"):
        boards.create(round_, "Ban 1", "P" * 101, head, members, "TC-01")
    assert boards.create(round_, "B" * 200, "P" * 100, head, members, "TC-01").name == "B" * 200
