"""The rubric of each position (C4: 100 points): weights add up to 100, errors name their line,
scoring follows the candidate's position, and a rubric freezes once a score under it is in. Points
are recorded with 2 decimals (C6), and C4's spread is judged on the totals as recorded."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale

from interviews import rubrics, service
from interviews.models import DEFAULT_RUBRIC, Board, Interview
from recruitment.extensions import db
from recruitment.models import Position
from recruitment.scores import Round2Score
from tests.support.factories import round_with_applications

THREE = "Kiến thức pháp luật: 50\nXử lý tình huống: 30\nTrình bày: 20\n"


@pytest.fixture
def setup(app, make_user, tmp_path):
    head, member, hr = make_user("head", "interviewer"), make_user("member", "interviewer"), make_user("hr_rb", "hr")
    round_, (application,) = round_with_applications(tmp_path, "RB", ["Nguyễn Lan"])
    board = Board(round_id=round_.id, name="Ban 1", head_id=head.id, positions=application.position.code)
    board.members = [head, member]
    db.session.add(board)
    db.session.flush()
    interview = Interview(board_id=board.id, application_id=application.id, starts_at=datetime(2026, 12, 1, 8), minutes=30)
    db.session.add(interview)
    db.session.commit()
    return {"round": round_, "position": application.position, "interview": interview, "head": head, "member": member,
            "hr": hr}


@pytest.mark.parametrize("text, problem", [
    ("Kiến thức: 60\nTrình bày: 30\n", "100"),  # 90 in all
    ("Kiến thức: 100\n", "2"),  # one criterion
    ("Kiến thức: 50\nTrình bày năm mươi\n", "2"),  # line 2 has no weight
    ("Kiến thức: 120\nTrình bày: -20\n", "2"),  # a weight must be above 0
])
def test_a_rubric_is_refused_with_its_cause(app, text, problem):
    with pytest.raises(rubrics.RubricRefused, match=problem):
        rubrics.parse(text)


def test_scoring_follows_the_positions_rubric_which_freezes_once_used(setup):
    position, interview = setup["position"], setup["interview"]
    assert rubrics.rubric_for(position) == DEFAULT_RUBRIC
    rubrics.set_rubric(position, rubrics.parse(THREE))
    db.session.commit()
    assert [c["weight"] for c in rubrics.rubric_for(position)] == [50, 30, 20]
    service.declare(interview, setup["head"], conflict=False)
    with pytest.raises(service.Refused):
        service.submit(interview, setup["head"], [Decimal(35), Decimal(25), Decimal(15), Decimal(8)])  # the default's 4
    with pytest.raises(service.Refused):
        service.submit(interview, setup["head"], [Decimal(55), Decimal(20), Decimal(10)])  # 55 over the weight 50
    service.submit(interview, setup["head"], [Decimal(45), Decimal(25), Decimal(15)])
    db.session.commit()
    with pytest.raises(rubrics.RubricRefused):
        rubrics.set_rubric(position, rubrics.parse("A: 50\nB: 50\n"))


def test_hr_edits_a_rubric_on_its_page(setup, client, login):
    login(setup["hr"])
    page = client.get(f"/interviews/rounds/{setup['round'].id}/rubrics").get_data(as_text=True)
    assert f'id="rubric-{setup["position"].code}"' in page and "Kiến thức chuyên môn: 40" in page
    client.post(f"/interviews/positions/{setup['position'].id}/rubric", data={"criteria": "A: 70\nB: 20\n"})
    assert rubrics.rubric_for(db.session.get(Position, setup["position"].id)) == DEFAULT_RUBRIC  # 90: refused
    client.post(f"/interviews/positions/{setup['position'].id}/rubric", data={"criteria": THREE})
    assert len(rubrics.rubric_for(db.session.get(Position, setup["position"].id))) == 3
    service.declare(setup["interview"], setup["head"], conflict=False)
    db.session.commit()
    login(setup["head"])
    assert client.get(f"/interviews/{setup['interview'].id}").get_data(as_text=True).count('class="criterion"') == 3


def test_points_with_more_than_2_decimals_are_refused_naming_the_criterion(setup):
    """C4, C6: 7.996 was summed as typed (72.996, 10.004 from 83: the head decides) and stored as a
    total of 73.00 (10 apart: the mean), so the page and the results disagreed and the head was refused."""
    interview, head, member = setup["interview"], setup["head"], setup["member"]
    for user in (head, member):
        service.declare(interview, user, conflict=False)
    service.submit(interview, head, [Decimal(35), Decimal(25), Decimal(15), Decimal(8)])  # 83
    with force_locale("en"), pytest.raises(service.Refused) as refused:
        service.submit(interview, member, [Decimal(30), Decimal(20), Decimal(15), Decimal("7.996")])
    assert "Thái độ, tác phong" in str(refused.value) and "7.996" in str(refused.value)
    member_score = service.submit(interview, member, [Decimal(30), Decimal("20.25"), Decimal(15), Decimal("7.75")])
    db.session.commit()
    db.session.expire_all()
    row, outcome = db.session.scalar(db.select(Round2Score)), service.outcome_of(interview)
    assert (outcome.score, outcome.needs) == (Decimal("78.00"), None)  # 83 and 73: 10 apart, the mean
    assert (row.interview, row.interview_pending) == (outcome.score, outcome.needs == "head")
    with force_locale("en"), pytest.raises(service.Refused, match="7.005"):  # a correction is held to the same
        service.correct(member_score, head, [Decimal(30), Decimal(20), Decimal(15), Decimal("7.005")], "nhập nhầm")
