"""C4 races: the board head's decision commits in another worker while a late interviewer's request,
which loaded the interview before it, submits."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from interviews import service
from interviews.models import Board, Interview
from recruitment.extensions import db
from recruitment.models import User
from recruitment.scores import Round2Score
from tests.support.factories import round_with_applications
from tests.support.workers import in_another_worker


def test_a_late_score_does_not_undo_the_head_decision(app, make_user, tmp_path):
    head, member, third = (make_user(n, "interviewer") for n in ("head", "member", "third"))
    round_, apps = round_with_applications(tmp_path, "RR", ["Phạm Tuấn"])
    board = Board(round_id=round_.id, name="Ban 1", head_id=head.id, positions="TC-01")
    board.members = [head, member, third]
    db.session.add(board)
    db.session.flush()
    interview = Interview(board=board, application_id=apps[0].id, starts_at=datetime(2026, 12, 1, 8), minutes=30)
    db.session.add(interview)
    for user, points in ((head, ("32", "24", "16", "8")), (member, ("24", "18", "12", "6"))):  # 80 and 60
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, [Decimal(p) for p in points])
    service.declare(interview, third, conflict=False)
    db.session.commit()
    interview_id, head_id, third_id, app_id = interview.id, head.id, third.id, apps[0].id
    db.session.remove()
    interview = db.session.get(Interview, interview_id)  # the third interviewer's request (views._interview)
    assert interview.head_reason is None
    in_another_worker(app, lambda: service.head_decides(db.session.get(Interview, interview_id),
                                                        db.session.get(User, head_id), Decimal(75), "chênh 20 điểm"))
    service.submit(interview, db.session.get(User, third_id), [Decimal(p) for p in ("28", "21", "14", "7")])  # 70
    db.session.commit()
    db.session.remove()
    row = db.session.scalar(db.select(Round2Score).filter_by(application_id=app_id))
    assert db.session.get(Interview, interview_id).head_reason == "chênh 20 điểm"
    assert (row.interview, row.interview_pending) == (Decimal(75), False)  # C4: the head's score is final
