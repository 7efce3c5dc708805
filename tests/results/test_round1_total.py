"""B1, L1: a round-1 file's total is the test's number of questions, 1 to the rule set's (0 of 0 was read as
absent, 50 of 100 passed a 60-question test)."""
import pytest

from recruitment import tabular
from recruitment.extensions import db
from recruitment.scores import Round1Result
from results import service
from results.importing import import_round1
from tests.support.factories import round_with_applications


@pytest.mark.parametrize("correct, total", [(0, 0), (50, 100)])
def test_a_round1_total_the_rule_set_does_not_have_is_refused(app, tmp_path, correct, total):
    round_, [a] = round_with_applications(tmp_path, "R1", ["Trần An"])
    data = tabular.csv_bytes(["candidate_number", "correct", "total", "absent"], [[a.candidate_number, correct, total, "no"]])
    try:
        import_round1(round_, "r1.csv", data)
    except tabular.ImportRejected as refused:
        assert [(e.row, e.column) for e in refused.errors] == [(2, "total")]
        return
    stored = db.session.scalar(db.select(Round1Result).filter_by(application_id=a.id))
    row = next(r for r in service.compute(round_).rows if r.candidate.application_id == a.id)
    pytest.fail(f"imported {stored.correct}/{stored.total} (B1: {round_.rules.round1_questions} questions); "
                f"the ranking says round 1 = {row.round1!r}")
