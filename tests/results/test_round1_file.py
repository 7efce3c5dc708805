"""`scores import --kind round1` (formats.md) next to the computer test: a result the computer graded
from the exam stands (B3: no re-marking of computer tests; B6: its sanction with it), the file's row
for it is refused and named, as the written-marks file refuses a computer-marked test; and a row the
file may write leaves nothing of an earlier sanction behind."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
from flask_babel import force_locale

from recruitment import tabular
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.scores import Round1Result
from results.importing import import_round1
from tests.support.factories import round_with_applications

HEADERS = ["candidate_number", "correct", "total", "sanction"]


def _result(application_id: int) -> Round1Result:
    db.session.expire_all()
    return db.session.scalar(db.select(Round1Result).filter_by(application_id=application_id, part="general"))


def test_a_computer_graded_result_stands_and_its_row_is_refused_naming_it(app, tmp_path):
    round_, [a, b, c] = round_with_applications(tmp_path, "R1", ["Trần An", "Lê Bình", "Võ Cường"])
    db.session.add(Round1Result(application_id=a.id, part="general", correct=Decimal(40), total=60,
                                sanction="suspension", sanction_reason="dùng điện thoại", source="computer"))
    db.session.commit()
    data = tabular.csv_bytes(HEADERS, [[a.candidate_number, 40, 60, ""],   # row 2: the computer's result
                                       [b.candidate_number, 61, 60, ""],   # row 3: its own error, still checked
                                       [c.candidate_number, 35, 60, ""]])  # row 4: good, but all or nothing
    with force_locale("en"), pytest.raises(tabular.ImportRejected) as refused:
        import_round1(round_, "r1.csv", data)
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "candidate_number"), (3, "correct")]
    with force_locale("en"):
        message = str(refused.value.errors[0])
    assert "row 2" in message and "computer" in message and "stands" in message
    db.session.rollback()
    kept = _result(a.id)
    assert (kept.source, kept.sanction, kept.sanction_reason) == ("computer", "suspension", "dùng điện thoại")
    assert _result(c.id) is None
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="round1_imported")) is None


def test_a_row_written_again_leaves_no_reason_of_an_earlier_sanction(app, tmp_path):
    round_, [a] = round_with_applications(tmp_path, "R1", ["Trần An"])
    db.session.add(Round1Result(application_id=a.id, part="general", correct=Decimal(40), total=60,
                                sanction="warning", sanction_reason="trao đổi bài", source="import"))
    db.session.commit()
    import_round1(round_, "r1.csv", tabular.csv_bytes(HEADERS, [[a.candidate_number, 41, 60, ""]]))
    result = _result(a.id)
    assert (result.correct, result.sanction, result.sanction_reason, result.source) == (41, None, None, "import")
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="round1_imported"))
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert (before["sanction_reason"], after["sanction_reason"]) == ("trao đổi bài", None)
