"""E5 on exam day: once the round's results are published, a recorded result is final. The score files
and the interviews already refused to change it; the chair's acts on an attempt did not: a sanction
recorded after the publication regraded the test and rewrote the published round-1 result, the
replacement of a recorded result by the graded test overwrote it, and a sanction withdrawn regraded
it. Each is refused in words, saying why and which way a result may still change, and nothing is
written."""
from __future__ import annotations

from decimal import Decimal

import pytest

from exam.day import handing_in, proctoring, sanctions
from exam.day.models import Incident
from exam.day.seating import Refused
from recruitment.audit import AuditEntry
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Application, Round
from recruitment.scores import Round1Result, round1_result, round2_score
from results import service
from tests.support.candidate import answer_right, started


def _scores_for_the_others(round_: Round, imported_round1: bool) -> None:
    """Round-2 scores for every candidate, and round-1 results from paper for the ones who did not
    sit the day's test (all of them with imported_round1): the list can then be published."""
    for a in db.session.scalars(db.select(Application).filter_by(round_id=round_.id, status="admitted")):
        if imported_round1 or a.candidate_number != 1:
            r1 = round1_result(a.id)
            r1.correct, r1.total, r1.absent, r1.source = Decimal(4), 8, False, "import"
        s = round2_score(a.id)
        s.written, s.interview = Decimal(60 + a.candidate_number), Decimal(70)
        s.written_source = s.interview_source = "import"
    db.session.commit()


def _publish(round_: Round) -> None:
    service.publish(round_, "chair", "v1")
    db.session.commit()


def _handed_in(day, right: bool = True):
    placement = started(day, 1)
    if right:
        answer_right(placement.attempt)
    handing_in.submit(placement.attempt, utcnow())
    db.session.commit()
    return placement


def _round1_of(placement) -> tuple:
    db.session.expire_all()
    row = db.session.scalar(db.select(Round1Result).filter_by(application_id=placement.attempt.application_id))
    return row.correct, row.sanction, row.absent, row.source


def _written_since(seq: int) -> list[str]:
    return list(db.session.scalars(db.select(AuditEntry.action).where(AuditEntry.seq > seq)))


def _last_seq() -> int:
    return db.session.scalar(db.select(db.func.max(AuditEntry.seq))) or 0


def test_a_sanction_after_the_publication_is_refused_and_the_published_result_stays(day, make_user):
    placement = _handed_in(day)
    round_ = db.session.get(Round, day.round_id)
    _scores_for_the_others(round_, imported_round1=False)
    _publish(round_)
    before, seq = _round1_of(placement), _last_seq()
    with pytest.raises(Refused, match=r"DAY.*\(E5\).*\(B7\)"):
        proctoring.sanction(placement.attempt, "suspension", "Biên bản phát hiện sau công bố",
                            make_user("chutich", "council_chair"))
    db.session.rollback()
    assert _round1_of(placement) == before and before[1] is None
    assert _written_since(seq) == []
    assert db.session.scalar(db.select(Incident).filter_by(attempt_id=placement.attempt_id, kind="sanction")) is None


def test_after_the_publication_the_chair_replaces_no_recorded_result_by_the_graded_test(day, make_user):
    round_ = db.session.get(Round, day.round_id)
    _scores_for_the_others(round_, imported_round1=True)  # candidate 1's paper result: 4 of 8, a pass
    placement = _handed_in(day, right=False)  # the computer test, held for the chair: nothing right
    _publish(round_)
    before, seq = _round1_of(placement), _last_seq()
    assert before[0] == Decimal(4) and before[3] == "import"
    with pytest.raises(Refused, match=r"\(E5\)"):
        proctoring.replace_result(placement.attempt, "Thay kết quả giấy bằng bài thi máy",
                                  make_user("chutich", "council_chair"))
    db.session.rollback()
    assert _round1_of(placement) == before
    assert _written_since(seq) == []


def test_a_sanction_is_not_withdrawn_after_the_publication(day, make_user):
    chair = make_user("chutich", "council_chair")
    placement = _handed_in(day)
    proctoring.sanction(placement.attempt, "warning", "Trao đổi bài", chair)
    db.session.commit()
    round_ = db.session.get(Round, day.round_id)
    _scores_for_the_others(round_, imported_round1=False)
    _publish(round_)
    before, seq = _round1_of(placement), _last_seq()
    assert before[1] == "warning"
    with pytest.raises(Refused, match=r"\(E5\)"):
        sanctions.withdraw(placement.attempt, "Ghi nhầm thí sinh", chair)
    db.session.rollback()
    assert _round1_of(placement) == before
    assert _written_since(seq) == []
    assert db.session.get(type(placement.attempt), placement.attempt_id).sanction == "warning"


def test_before_the_publication_the_chair_still_sanctions_and_withdraws(day, make_user):
    """Nothing changes while the results are not published: the refusal is the publication's."""
    chair = make_user("chutich", "council_chair")
    placement = _handed_in(day)
    proctoring.sanction(placement.attempt, "warning", "Trao đổi bài", chair)
    db.session.commit()
    assert _round1_of(placement)[1] == "warning"
    sanctions.withdraw(placement.attempt, "Ghi nhầm thí sinh", chair)
    db.session.commit()
    assert _round1_of(placement)[1] is None


def test_on_the_console_the_refusal_comes_before_any_confirmation(day, make_user, login, client):
    """A confirmation page for an act that cannot be done would ask the chair to confirm for nothing."""
    placement = _handed_in(day)
    round_ = db.session.get(Round, day.round_id)
    _scores_for_the_others(round_, imported_round1=False)
    _publish(round_)
    login(make_user("chutich", "council_chair"))
    base = f"/exam/sittings/placements/{placement.id}"
    for path, data in ((f"{base}/sanction", {"kind": "warning", "reason": "Trao đổi bài"}),
                       (f"{base}/replace-result", {"reason": "Thay kết quả"})):
        page = client.post(path, data=data, follow_redirects=True).get_data(as_text=True)
        assert 'id="confirmation"' not in page and "(E5)" in page, path
