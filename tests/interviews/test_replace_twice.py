"""C4: a conflicted interviewer is replaced once; a second replacement (a second click, a second tab)
is refused in words, not a 500 from the unique constraint."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from interviews import service
from interviews.models import Board, Interview, Substitute
from recruitment.extensions import db
from recruitment.scores import Round2Score
from tests.support.auth import login_as
from tests.support.factories import round_with_applications

DAY = datetime(2026, 12, 1)


def _points(*values):
    return [Decimal(v) for v in values]


def test_a_conflicted_member_is_replaced_once_not_again_after_the_scores_are_in(app, client, make_user, tmp_path):
    users = {n: make_user(n, "interviewer") for n in ("head", "member", "spare", "friend")}
    round_, apps = round_with_applications(tmp_path, "RP", ["Phạm Tuấn"])
    board = Board(round_id=round_.id, name="Ban 1", head_id=users["head"].id, positions="TC-01")
    board.members = [users["head"], users["member"]]
    db.session.add(board)
    db.session.flush()
    interview = Interview(board_id=board.id, application_id=apps[0].id, starts_at=DAY.replace(hour=8), minutes=30)
    db.session.add(interview)
    db.session.commit()
    service.declare(interview, users["member"], conflict=True, note="vợ của anh trai")
    service.replace_member(interview, users["head"], users["member"], users["spare"])
    for user, points in ((users["head"], ("32", "24", "16", "8")), (users["spare"], ("30", "24", "16", "8"))):
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, _points(*points))
    db.session.commit()
    assert db.session.scalar(db.select(Round2Score)).interview == Decimal("79.00")  # (80 + 78) / 2

    # The scores are in and reconciled. The head now "replaces" the same member a second time.
    login_as(client, users["head"])
    answer = client.post(f"/interviews/{interview.id}/replace",
                         data={"replaced_id": users["member"].id, "substitute_id": users["friend"].id})
    assert answer.status_code == 302, f"a second replacement of the same member answers {answer.status_code}"
    assert db.session.scalar(db.select(db.func.count()).select_from(Substitute)) == 1
    with pytest.raises(service.Refused):
        service.replace_member(interview, users["head"], users["member"], users["friend"])
