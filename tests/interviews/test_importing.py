"""`scores import --kind interview`: all or nothing, C4 applied to the interview rows."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale

from interviews.importing import import_interview
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import Round2Score, round1_result
from recruitment.tabular import ImportRejected
from tests.support.factories import import_candidates, make_round
from tests.support.importfiles import application_row


@pytest.fixture
def round_(app, tmp_path):
    round_ = make_round()
    rows = [application_row(f"03100000000{i}", name) for i, name in enumerate(["Trần An", "Lê Bình", "Võ Cường"], 1)]
    import_candidates(round_, tmp_path, rows)
    for application in db.session.scalars(db.select(Application).filter_by(round_id=round_.id)):
        result = round1_result(application.id)  # round 1 passed (B2): admitted to the written test
        result.correct, result.total = Decimal(40), 60
    db.session.commit()
    return round_


def _scores():
    return {s.application.candidate_number: s for s in db.session.scalars(db.select(Round2Score))}


def test_interview_rows_are_combined_and_a_wide_spread_waits_for_the_head(round_):
    data = (b"candidate_number,interviewer,score,absent\n1,a,70,no\n1,b,75,no\n2,a,60,no\n2,b,80,no\n3,a,,yes\n")
    report = import_interview(round_, "i.csv", data)
    s = _scores()
    assert s[1].interview == Decimal("72.50") and not s[1].interview_pending
    assert s[2].interview is None and s[2].interview_pending and report.messages  # C4
    assert s[3].interview_absent
    import_interview(round_, "head.csv", b"candidate_number,interviewer,score,absent\n2,head,68,no\n")
    assert _scores()[2].interview == Decimal("68.00") and not _scores()[2].interview_pending


def test_one_interviewer_only_refuses_the_file(round_):
    with force_locale("en"), pytest.raises(ImportRejected, match="at least 2"):
        import_interview(round_, "i.csv", b"candidate_number,interviewer,score,absent\n1,a,70,no\n")
    assert _scores() == {}
