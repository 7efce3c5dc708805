"""L1 and B9 on the database: the interview list, the written-test marking list and the ranking ask
the same rule-set function, so under vn-2020 they cannot disagree about who passed round 1."""
from __future__ import annotations

from decimal import Decimal

from interviews import service as interviews
from marking.service import admitted_scripts
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import round1_result
from results import reasons
from results import service as results
from tests.support.factories import import_candidates, make_round
from tests.support.importfiles import application_row


def test_l1_passing_general_and_failing_language_keeps_a_candidate_out_of_round_2(app, tmp_path):
    round_ = make_round("L1", rules="vn-2020")
    rows = [application_row(f"03100000000{i}", name) for i, name in enumerate(["An", "Bình", "Chi", "Dũng"], 1)]
    import_candidates(round_, tmp_path, rows)
    passes, fails_language, failed_and_missed, suspended_and_missed = db.session.scalars(
        db.select(Application).filter_by(round_id=round_.id).order_by(Application.id)).all()
    for a, general, language in ((passes, (45, False, None), (20, False, None)),
                                 (fails_language, (45, False, None), (14, False, None)),
                                 (failed_and_missed, (20, False, None), (None, True, None)),
                                 (suspended_and_missed, (None, True, None), (20, False, "suspension"))):
        for part, (correct, absent, sanction) in (("general", general), ("language", language)):
            row = round1_result(a.id, part)
            row.correct, row.total = (None if correct is None else Decimal(correct)), (60 if part == "general" else 30)
            row.absent, row.sanction = absent, sanction
    db.session.commit()
    assert [a.id for a in interviews.due(round_)] == [passes.id]
    assert [a.id for a in admitted_scripts(round_)] == [passes.id]
    by_id = {r.candidate.application_id: r for r in results.compute(round_).rows}
    assert by_id[fails_language.id].status == "failed_round1"
    assert "language" in reasons.sentence(by_id[fails_language.id].reason).lower() or \
        "ngoại ngữ" in reasons.sentence(by_id[fails_language.id].reason).lower()
    assert (by_id[failed_and_missed.id].round1, by_id[failed_and_missed.id].status) == ("fail", "failed_round1")
    assert (by_id[suspended_and_missed.id].round1, by_id[suspended_and_missed.id].status) == ("voided", "voided")
