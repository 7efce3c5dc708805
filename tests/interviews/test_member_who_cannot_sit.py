"""C4: the mean waits for every member of the panel; a member who cannot sit (ill, away) is replaced by
the head, with the reason, before their score is in, so that the interview is not left waiting for ever."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from interviews import service
from interviews.models import Board, Interview
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import round_with_applications

DAY = datetime(2026, 12, 1)


def _points(*values):
    return [Decimal(v) for v in values]


@pytest.fixture
def board3(app, make_user, tmp_path):
    users = {n: make_user(n, "interviewer") for n in ("head", "member", "ill", "spare")}
    round_, apps = round_with_applications(tmp_path, "RX", ["Phạm Tuấn"])
    board = Board(round_id=round_.id, name="Ban 1", head_id=users["head"].id, positions="TC-01")
    board.members = [users["head"], users["member"], users["ill"]]
    db.session.add(board)
    db.session.flush()
    interview = Interview(board_id=board.id, application_id=apps[0].id, starts_at=DAY.replace(hour=8), minutes=30)
    db.session.add(interview)
    db.session.commit()
    return users, interview


def test_the_head_replaces_a_member_who_cannot_sit_with_the_reason(board3):
    users, interview = board3
    for who, points in (("head", ("32", "24", "16", "8")), ("member", ("30", "24", "16", "8"))):
        service.declare(interview, users[who], conflict=False)
        service.submit(interview, users[who], _points(*points))
    db.session.commit()
    assert service.outcome_of(interview).score is None  # waiting for the third member
    with pytest.raises(service.Refused):  # a replacement of one who declared nothing needs its reason
        service.replace_member(interview, users["head"], users["ill"], users["spare"])
    with pytest.raises(service.Refused):  # a score that is in stands
        service.replace_member(interview, users["head"], users["member"], users["spare"], "Ốm")
    service.replace_member(interview, users["head"], users["ill"], users["spare"], "Ốm, có giấy của bệnh viện")
    db.session.commit()
    assert service.awaited(interview) == {users["spare"].id}
    service.declare(interview, users["spare"], conflict=False)
    service.submit(interview, users["spare"], _points("31", "24", "16", "8"))
    assert service.outcome_of(interview).score is not None
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="interviewer_replaced"))
    assert entry.reason == "Ốm, có giấy của bệnh viện"


def test_the_page_offers_the_head_the_replacement_of_a_member_who_cannot_sit(board3, login, client):
    users, interview = board3
    login(users["head"])
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert 'id="cannot-sit"' in page and users["ill"].full_name in page


def test_the_council_chair_replaces_a_board_head_who_cannot_sit(board3, make_user, login, client):
    """The head does not appoint their own replacement; the chair does, and then decides in their place."""
    users, interview = board3
    chair = make_user("chutich", "council_chair")
    with pytest.raises(service.Refused):
        service.replace_member(interview, users["head"], users["head"], users["spare"], "Ốm")
    login(chair)
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert 'id="cannot-sit"' in page and users["head"].full_name in page
    service.replace_member(interview, chair, users["head"], users["spare"], "Trưởng ban ốm")
    db.session.commit()
    assert users["head"].id not in service.panel(interview) and users["spare"].id in service.panel(interview)
    from interviews import heads
    assert heads.deciding_head(interview, chair) and not heads.deciding_head(interview, users["head"])


def test_a_member_replaced_as_unable_to_sit_neither_scores_nor_counts(board3):
    users, interview = board3
    service.declare(interview, users["ill"], conflict=False)  # declared, then fell ill before scoring
    service.replace_member(interview, users["head"], users["ill"], users["spare"], "Ốm")
    db.session.commit()
    with pytest.raises(service.Refused):
        service.submit(interview, users["ill"], _points("32", "24", "16", "8"))
    assert all(s.user_id != users["ill"].id for s in service.submitted_scores(interview))
