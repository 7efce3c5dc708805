"""E5: a published result is never rewritten; a later change comes by re-marking (C7), a neutralised
question (B7) or a cancellation, and publishes a new version. Score files kept coming in after the
results: a re-imported interview file turned a published, selected candidate's 83.05 into 0, and a
written file gave marks to a candidate published as absent, while the marking page refused the same
change ("after the results it changes only by re-marking"). Once a round's results are published,
a score file of it is refused whole, saying why and which way a result may still change."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from interviews.importing import import_interview
from marking.importing import import_written
from marking.models import WrittenMark
from recruitment.extensions import db
from recruitment.scores import Round1Result, Round2Score
from recruitment.tabular import ImportRejected
from results import service
from results.importing import import_round1


def _csv(headers: list[str], rows: list[list]) -> bytes:
    return ("\n".join([",".join(headers)] + [",".join(map(str, r)) for r in rows]) + "\n").encode()


def _scores() -> list[tuple]:
    return [tuple(getattr(s, c.key) for c in Round2Score.__table__.columns)
            for s in db.session.scalars(select(Round2Score).order_by(Round2Score.id))] + \
        [tuple(getattr(r, c.key) for c in Round1Result.__table__.columns)
         for r in db.session.scalars(select(Round1Result).order_by(Round1Result.id))]


def _imported(round_, kind: str) -> int:
    """The candidate number of a published row whose result of this kind came in a file (made so where
    the demo recorded it otherwise), so that only the publication stands in the way of a new file (not
    the platform's own result, B3, C3, C4)."""
    rows = service.rows_of(service.latest(round_))
    if kind == "round1":
        row = next(r for r in rows if r["round1"])
        for result in db.session.scalars(select(Round1Result).filter_by(application_id=row["application_id"])):
            result.source = "import"
    else:
        row = next(r for r in rows if r["round2_interview"])
        score = db.session.scalar(select(Round2Score).filter_by(application_id=row["application_id"]))
        if kind == "interview":
            score.interview_source = "import"
        else:
            score.written_source = "import"
            db.session.execute(delete(WrittenMark).where(WrittenMark.application_id == row["application_id"]))
    db.session.commit()
    return row["candidate_number"]


@pytest.fixture
def published(demo_round):
    """The demo round, with its version 1 published."""
    assert demo_round.results_published_at is not None and service.latest(demo_round) is not None
    return demo_round


@pytest.mark.parametrize("kind", ["interview", "written", "round1"])
def test_a_score_file_after_the_results_is_refused_whole_and_changes_nothing(published, kind):
    round_, number = published, _imported(published, kind)
    before = _scores()
    files = {
        "interview": lambda: import_interview(round_, "late.csv", _csv(
            ["candidate_number", "interviewer", "score", "absent"],
            [[number, "interviewer", "0", "no"], [number, "interviewer2", "0", "no"]])),
        "written": lambda: import_written(round_, "late.csv", _csv(
            ["candidate_number", "score", "absent", "first_marker", "first_mark", "second_marker", "second_mark"],
            [[number, "", "no", "marker", "99", "marker2", "99"]])),
        "round1": lambda: import_round1(round_, "late.csv", _csv(
            ["candidate_number", "part", "correct", "total", "absent"], [[number, "general", "0", "60", "no"]])),
    }
    with pytest.raises(ImportRejected) as refused:
        files[kind]()
    message = str(refused.value)
    assert "công bố" in message and "E5" in message, message  # the results are published (E5)
    assert {"interview": "C4", "written": "C7", "round1": "B7"}[kind] in message  # which way it may still change
    db.session.rollback()
    assert _scores() == before
