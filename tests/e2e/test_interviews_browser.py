"""Two leaders score the same candidate on their own pages, the spread is over 10 points, and the
board head resolves it; the round-2 interview score is then final."""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from interviews.models import Board, Interview
from recruitment.extensions import db
from recruitment.scores import Round2Score
from tests.support.browser import browser_login, submit
from tests.support.factories import import_candidates, make_round
from tests.support.importfiles import application_row


def _score(page, server, interview_id, points):
    page.goto(server(f"/interviews/{interview_id}"))
    submit(page, "#declare")
    inputs = page.locator("input.criterion")
    for i, value in enumerate(points):
        inputs.nth(i).fill(str(value))
    submit(page, "#submit-score")


def test_two_leaders_and_the_head(live_server, new_context, make_user, tmp_path):
    app = live_server.app
    with app.app_context():
        head, second = make_user("truongban", "interviewer"), make_user("thanhvien", "interviewer")
        round_ = make_round("PV")
        import_candidates(round_, tmp_path, [application_row("031000000001", "Phạm Minh Tuấn")])
        board = Board(round_id=round_.id, name="Ban 1", head_id=head.id, positions="TC-01")
        board.members = [head, second]
        db.session.add(board)
        db.session.flush()
        interview = Interview(board_id=board.id, application_id=1, starts_at=datetime.now(), minutes=30)
        db.session.add(interview)
        db.session.commit()
        interview_id = interview.id
        db.session.remove()

    leader1, leader2 = new_context().new_page(), new_context().new_page()
    browser_login(leader1, live_server, "truongban")
    browser_login(leader2, live_server, "thanhvien")
    _score(leader1, live_server, interview_id, [35, 25, 15, 8])  # 83
    assert leader1.locator("#scores tr").count() == 1  # only their own: the other has not submitted (C4)
    leader2.goto(live_server(f"/interviews/{interview_id}"))
    # Nothing of the other's score before submitting, in what the page shows (the page's source holds
    # random tokens, which may contain the digits).
    assert re.search(r"\b83\b", leader2.inner_text("body")) is None
    _score(leader2, live_server, interview_id, [28, 20, 12, 7])  # 67: a spread of 16
    assert leader2.locator("#spread").is_visible()
    with app.app_context():
        row = db.session.scalar(db.select(Round2Score))
        assert row.interview is None and row.interview_pending  # publication blocked meanwhile
        db.session.remove()

    leader1.goto(live_server(f"/interviews/{interview_id}"))
    leader1.fill("#head-score", "75")
    leader1.fill("#head-reason", "Thống nhất sau khi Ban trao đổi")
    submit(leader1, "#head-submit")
    assert "75" in leader1.inner_text("#final")
    with app.app_context():
        row = db.session.scalar(db.select(Round2Score))
        assert (row.interview, row.interview_pending) == (Decimal("75.00"), False)
