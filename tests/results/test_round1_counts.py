"""B2 counts correct answers: a round-1 score file's `correct` is a whole number. 29.996 was taken,
stored as 30.00 by the two-decimal column, and passed 30 of 60."""
from __future__ import annotations

import pytest

from recruitment.extensions import db
from recruitment.scores import Round1Result
from recruitment.tabular import ImportRejected
from results import importing
from tests.support.factories import round_with_applications


def test_a_fractional_count_of_correct_answers_is_its_rows_error(app, tmp_path):
    round_, (a,) = round_with_applications(tmp_path, "FR", ["Nguyễn Văn An"])
    data = f"candidate_number,part,correct,total,absent\n{a.candidate_number},general,29.996,60,no\n".encode()
    with pytest.raises(ImportRejected) as rejected:
        importing.import_round1(round_, "r1.csv", data)
    assert "29.996" in str(rejected.value.errors) or any("correct" in str(e) for e in rejected.value.errors)
    db.session.rollback()
    assert db.session.scalar(db.select(Round1Result).filter_by(application_id=a.id)) is None
    whole = f"candidate_number,part,correct,total,absent\n{a.candidate_number},general,30,60,no\n".encode()
    importing.import_round1(round_, "r1.csv", whole)
    assert db.session.scalar(db.select(Round1Result).filter_by(application_id=a.id)).correct == 30
