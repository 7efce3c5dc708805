"""C4 and E5 on the interview page. Once the round's results are published an interview score is
final (the score file said so, the page did not): the head corrected a locked score and decided a
spread again, and the published list's interview score moved. And the head, a member of the panel,
saw the others' spread and recorded the final score before scoring at all (C4: nobody sees another's
score before submitting their own)."""
from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from interviews import rubrics, service
from interviews.models import Board, Interview, Score
from recruitment.errors import Refused
from recruitment.extensions import db
from recruitment.models import User
from recruitment.scores import Round2Score, round2_score
from tests.support.factories import round_with_applications


def _interview_score(application_id: int):
    db.session.expire_all()
    return db.session.scalar(select(Round2Score).filter_by(application_id=application_id)).interview


def test_a_published_interview_score_is_final(demo_round, login):
    assert demo_round.results_published_at is not None
    head = db.session.scalar(select(User).filter_by(username="interviewer"))
    slip = db.session.scalars(select(Score).join(Interview).where(Score.submitted_at.is_not(None),
                                                                  Score.corrected_at.is_(None))).first()
    interview = slip.interview
    published = _interview_score(interview.application_id)
    criteria = rubrics.rubric_for(interview.application.position)
    points = [Decimal(p) for p in json.loads(slip.criteria)]
    i = next(k for k, (p, c) in enumerate(zip(points, criteria, strict=True)) if p + 3 <= c["weight"])
    points[i] += 3
    client = login(head)
    page = client.post(f"/interviews/scores/{slip.id}/correct", follow_redirects=True,
                       data={f"c{k}": str(p) for k, p in enumerate(points)} | {"reason": "sửa sau công bố"})
    assert _interview_score(interview.application_id) == published
    assert "E5" in page.get_data(as_text=True)
    decided = db.session.scalar(select(Interview).where(Interview.head_reason.is_not(None)))
    published = _interview_score(decided.application_id)
    client.post(f"/interviews/{decided.id}/decide", data={"score": "99", "reason": "đổi ý sau công bố"})
    assert _interview_score(decided.application_id) == published
    with pytest.raises(Refused, match="E5"):
        service.head_decides(db.session.get(Interview, decided.id), head, Decimal("98"), "lần nữa")


def test_the_head_scores_before_deciding_a_spread(app, make_user, tmp_path, login):
    head, m1, m2 = (make_user(n, "interviewer") for n in ("head", "m1", "m2"))
    round_, (application,) = round_with_applications(tmp_path, "RH", ["Phạm Tuấn"])
    board = Board(round_id=round_.id, name="Ban 1", head_id=head.id, positions="TC-01")
    board.members = [head, m1, m2]
    db.session.add(board)
    db.session.flush()
    interview = Interview(board_id=board.id, application_id=application.id, starts_at=datetime(2026, 12, 1, 8), minutes=30)
    db.session.add(interview)
    db.session.flush()
    service.declare(interview, head, conflict=False)
    for user, points in ((m1, ("20", "15", "10", "5")), (m2, ("35", "25", "15", "8"))):  # 50 and 83: a spread
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, [Decimal(p) for p in points])
    db.session.commit()
    client = login(head)
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    shown = re.sub(r"<[^>]*>", " ", page)  # the text, not the tags' random tokens, which may hold the digits
    assert 'id="head-decision"' not in page and re.search(r"\b83\b", shown) is None
    client.post(f"/interviews/{interview.id}/decide", data={"score": "95", "reason": "quyết định"})
    assert round2_score(application.id).interview is None
    with pytest.raises(Refused, match="C4"):
        service.head_decides(db.session.get(Interview, interview.id), db.session.get(User, head.id), Decimal("95"), "x")
    db.session.rollback()
    service.submit(db.session.get(Interview, interview.id), db.session.get(User, head.id),
                   [Decimal(p) for p in ("30", "20", "12", "6")])
    db.session.commit()
    assert 'id="head-decision"' in client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    service.head_decides(db.session.get(Interview, interview.id), db.session.get(User, head.id), Decimal("70"), "cân nhắc")
    db.session.commit()
    assert round2_score(application.id).interview == Decimal("70")
