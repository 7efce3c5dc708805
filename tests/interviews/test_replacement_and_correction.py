"""C4: an interviewer who declares a conflict is replaced by the board head for that interview only,
by someone free, unrelated (G5) and not already on the panel; a locked score changes only by the
head's correction, with its reason, in the audit log, and the interview is reconciled again."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pytest
from flask_babel import force_locale

from interviews import service
from interviews.models import Board, Interview, Relation, Score
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.scores import Round2Score, round1_result, round2_score
from tests.support.factories import round_with_applications

DAY = datetime(2026, 12, 1)


def _points(*values):
    return [Decimal(v) for v in values]


@pytest.fixture
def setup(app, make_user, tmp_path):
    users = {n: make_user(n, "interviewer") for n in ("head", "member", "spare", "busy", "kin")}
    users["gone"] = make_user("gone", "interviewer", active=False)  # an account closed: no longer sits
    round_, apps = round_with_applications(tmp_path, "RP", ["Phạm Tuấn", "Đỗ Hà"])
    board = Board(round_id=round_.id, name="Ban 1", head_id=users["head"].id, positions="TC-01")
    board.members = [users["head"], users["member"]]
    other = Board(round_id=round_.id, name="Ban 2", head_id=users["busy"].id, positions="TC-01")
    other.members = [users["busy"]]
    db.session.add_all([board, other])
    db.session.flush()
    interview = Interview(board_id=board.id, application_id=apps[0].id, starts_at=DAY.replace(hour=8), minutes=30)
    elsewhere = Interview(board_id=other.id, application_id=apps[1].id, starts_at=DAY.replace(hour=8, minute=15), minutes=30)
    db.session.add_all([interview, elsewhere])
    db.session.add(Relation(user_id=users["kin"].id, application_id=apps[0].id, note="em họ"))
    db.session.commit()
    return {"users": users, "interview": interview}


def test_the_head_replaces_a_conflicted_member_for_that_interview_only(setup):
    users, interview = setup["users"], setup["interview"]
    with pytest.raises(service.Refused):  # nobody declared a conflict yet
        service.replace_member(interview, users["head"], users["member"], users["spare"])
    with pytest.raises(service.Refused, match="1000"):  # the note is the head's reason to replace them
        service.declare(interview, users["member"], conflict=True, note="họ hàng " * 130)
    service.declare(interview, users["member"], conflict=True, note="vợ của anh trai")
    with pytest.raises(service.Refused):
        service.replace_member(interview, users["member"], users["member"], users["spare"])  # only the head
    # related (G5), on another interview at 08:15, already on the panel, an account closed
    for unsuitable in ("kin", "busy", "head", "gone"):
        with pytest.raises(service.Refused):
            service.replace_member(interview, users["head"], users["member"], users[unsuitable])
    service.replace_member(interview, users["head"], users["member"], users["spare"])
    db.session.commit()
    assert service.panel(interview) == {users["head"].id, users["spare"].id}
    assert interview in service.interviews_of(users["spare"]) and interview not in service.interviews_of(users["member"])
    with pytest.raises(service.Refused):
        service.declare(interview, users["member"], conflict=False)  # replaced: off this panel
    for user, points in ((users["head"], ("32", "24", "16", "8")), (users["spare"], ("30", "24", "16", "8"))):
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, _points(*points))
    db.session.commit()
    assert db.session.scalar(db.select(Round2Score)).interview == Decimal("79.00")  # (80 + 78) / 2, C4 and C6


def test_a_locked_score_changes_only_by_the_heads_correction(setup):
    users, interview = setup["users"], setup["interview"]
    for user, points in ((users["head"], ("35", "25", "15", "8")), (users["member"], ("20", "15", "10", "5"))):
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, _points(*points))
    db.session.commit()
    row = db.session.scalar(db.select(Round2Score))
    assert row.interview is None and row.interview_pending  # 83 and 50: a spread over 10 (C4)
    member_score = db.session.scalar(db.select(Score).filter_by(user_id=users["member"].id))
    with pytest.raises(service.Refused):
        service.submit(interview, users["member"], _points("35", "25", "15", "8"))  # locked
    with pytest.raises(service.Refused):
        service.correct(member_score, users["member"], _points("30", "25", "15", "8"), "nhập nhầm")  # not the head
    with pytest.raises(service.Refused):
        service.correct(member_score, users["head"], _points("30", "25", "15", "8"), " ")  # no reason
    with pytest.raises(service.Refused, match="1000"):
        service.correct(member_score, users["head"], _points("30", "25", "15", "8"), "nhập nhầm " * 120)
    service.correct(member_score, users["head"], _points("30", "25", "15", "8"),
                    "Thành viên nhập nhầm điểm tiêu chí 1 và 2, đã đối chiếu phiếu giấy")
    db.session.commit()
    assert member_score.total == 78 and member_score.corrected_by_id == users["head"].id
    assert db.session.scalar(db.select(Round2Score)).interview == Decimal("80.50")  # now within 10: the mean
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="interview_score_corrected"))
    assert "50" in entry.before and "78" in entry.after and entry.reason.startswith("Thành viên")


def test_the_head_does_not_correct_their_own_locked_score(setup):
    """C4: nobody reads another's score before submitting their own, and a submitted score is locked. The
    head submitted 95, read the member's 70 on the page and 'corrected' their own score to 80: the
    spread came under 10 and the mean stood without the board head's decision on record."""
    users, interview = setup["users"], setup["interview"]
    service.declare(interview, users["member"], conflict=False)
    service.submit(interview, users["member"], _points("28", "21", "14", "7"))  # 70
    service.declare(interview, users["head"], conflict=False)
    head_score = service.submit(interview, users["head"], _points("38", "29", "19", "9"))  # 95
    db.session.commit()
    with force_locale("en"), pytest.raises(service.Refused, match="own score") as refused:
        service.correct(head_score, users["head"], _points("32", "24", "16", "8"), "nhập nhầm")
    assert "C4" in str(refused.value)
    db.session.rollback()
    assert head_score.total == 95 and head_score.corrected_at is None
    row = db.session.scalar(db.select(Round2Score))
    assert row.interview is None and row.interview_pending  # still the head's decision, with its reason (C4)
    assert not db.session.scalar(db.select(AuditEntry).filter_by(action="interview_score_corrected"))


def test_a_conflicted_head_does_not_choose_who_scores_their_relative(setup, make_user):
    """C4, G5: a head who declared a conflict (the candidate is their nephew) appointed their own
    substitute, that is chose who scores their relative. The council chair appoints in their place, as
    the chair decides and corrects in their place; with no conflict of the head's, the chair does not."""
    users, interview = setup["users"], setup["interview"]
    chair = make_user("chutich", "council_chair")
    service.declare(interview, users["member"], conflict=True, note="em họ")
    with pytest.raises(service.Refused):  # the head has no conflict: theirs to appoint
        service.replace_member(interview, chair, users["member"], users["spare"])
    service.declare(interview, users["head"], conflict=True, note="con của chị gái")
    with force_locale("en"), pytest.raises(service.Refused, match="council chair"):
        service.replace_member(interview, users["head"], users["head"], users["spare"])
    with pytest.raises(service.Refused):
        service.replace_member(interview, users["head"], users["member"], users["spare"])
    assert service.panel(interview) == {users["head"].id, users["member"].id}
    service.replace_member(interview, chair, users["head"], users["spare"])
    db.session.commit()
    assert service.panel(interview) == {users["member"].id, users["spare"].id}


def test_the_chair_appoints_in_a_conflicted_heads_place_on_the_page(setup, make_user, client, login):
    users, interview = setup["users"], setup["interview"]
    chair = make_user("chutich", "council_chair")
    service.declare(interview, users["head"], conflict=True, note="con của chị gái")
    db.session.commit()
    login(users["head"])
    assert 'id="replacements"' not in client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    login(chair)
    assert 'id="replacements"' in client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert client.post(f"/interviews/{interview.id}/replace", data={"replaced_id": users["head"].id,
                                                                    "substitute_id": users["spare"].id}).status_code == 302
    assert service.panel(interview) == {users["member"].id, users["spare"].id}


def test_a_changed_declaration_is_audited_with_its_before(setup):
    """Every change is audited with its before: an interviewer who confirmed no prohibited relationship
    and then declared a conflict left an entry with the conflict only, so the log never showed that
    the confirmation was taken back."""
    users, interview = setup["users"], setup["interview"]
    service.declare(interview, users["member"], conflict=False)
    service.declare(interview, users["member"], conflict=True, note="anh rể")
    db.session.commit()
    first, second = db.session.scalars(db.select(AuditEntry).filter_by(action="interview_declaration")
                                       .order_by(AuditEntry.seq)).all()
    assert first.before is None  # nothing declared before
    assert json.loads(second.before) == {"user": "member", "conflict": False}
    assert json.loads(second.after) == {"user": "member", "conflict": True}


def test_the_head_acts_from_the_interview_page(setup, client, login):
    users, interview = setup["users"], setup["interview"]
    service.declare(interview, users["member"], conflict=True)
    db.session.commit()
    login(users["head"])
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert 'id="replacements"' in page
    client.post(f"/interviews/{interview.id}/replace", data={"replaced_id": users["member"].id,
                                                             "substitute_id": users["spare"].id})
    assert service.panel(interview) == {users["head"].id, users["spare"].id}
    login(users["spare"])
    assert client.get(f"/interviews/{interview.id}").status_code == 200
    assert "Phạm Tuấn" in client.get("/interviews/mine").get_data(as_text=True)
    login(users["member"])
    assert client.get(f"/interviews/{interview.id}").status_code == 403


def _scored_far_apart(users, interview) -> None:
    for user, points in ((users["head"], (35, 25, 15, 10)), (users["member"], (20, 15, 10, 5))):
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, _points(*points))  # 85 against 50: the head decides (C4)
    db.session.commit()


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "1e999"])
def test_a_head_decision_that_is_not_a_finite_number_is_refused_not_a_500(setup, client, login, typed):
    users, interview = setup["users"], setup["interview"]
    _scored_far_apart(users, interview)
    login(users["head"])
    response = client.post(f"/interviews/{interview.id}/decide", data={"score": typed, "reason": "lệch nhiều"})
    assert response.status_code == 302
    db.session.refresh(interview)
    assert interview.final_score is None


def test_a_head_reason_over_the_limit_is_refused(setup, client, login):
    """The board head's reason had no limit: a few thousand characters were recorded and then broke the
    interview score summary (a 500). Over the limit the decision is refused, saying how long a reason
    may be, and nothing is recorded."""
    users, interview = setup["users"], setup["interview"]
    _scored_far_apart(users, interview)
    login(users["head"])
    response = client.post(f"/interviews/{interview.id}/decide", data={"score": "70", "reason": "lệch nhiều " * 100},
                           follow_redirects=True)
    assert "1000" in response.get_data(as_text=True)
    db.session.refresh(interview)
    assert interview.final_score is None and interview.head_reason is None


def test_a_declared_conflict_stands_and_is_declared_once(setup, client, login):
    """C4, G5: a conflict declared is a relation to the candidate on record: the interviewer does not take
    it back to score the candidate, and declaring it again is refused in words (it answered 500: the
    relation was inserted twice)."""
    users, interview = setup["users"], setup["interview"]
    service.declare(interview, users["member"], conflict=True, note="em họ")
    db.session.commit()
    with pytest.raises(service.Refused):
        service.declare(interview, users["member"], conflict=False)
    db.session.rollback()
    login(users["member"])
    response = client.post(f"/interviews/{interview.id}/declare", data={"conflict": "yes", "note": "em họ"})
    assert response.status_code == 302
    with pytest.raises(service.Refused):
        service.submit(interview, users["member"], _points("30", "20", "15", "5"))
    db.session.rollback()
    score = db.session.scalar(db.select(Score).filter_by(user_id=users["member"].id))
    assert score.conflict and score.total is None
    assert db.session.scalar(db.select(db.func.count()).select_from(Relation)) == 2  # the setup's and this one


def test_the_interview_score_waits_for_every_member_of_the_panel(setup, client, login):
    """C4: the result is the mean of the panel's scores. With two of a board of three in, the mean of the
    two was recorded as settled (the list could be published) and the third score then changed it. The
    mean waits until every member who declared no conflict has submitted; a spread goes to the head."""
    users, interview = setup["users"], setup["interview"]
    interview.board.members = [users["head"], users["member"], users["spare"]]
    db.session.commit()
    for user, points in ((users["member"], ("35", "25", "15", "8")), (users["spare"], ("34", "25", "15", "8"))):
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, _points(*points))
    db.session.commit()
    row = db.session.scalar(db.select(Round2Score))
    # The head has not scored: the empty score blocks publication, and the head is not what is awaited.
    assert row.interview is None and not row.interview_pending
    login(users["member"])
    assert 'id="final"' not in client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    service.declare(interview, users["head"], conflict=False)
    service.submit(interview, users["head"], _points("20", "15", "10", "5"))  # 50: a spread over 10
    db.session.commit()
    assert row.interview is None and row.interview_pending
    service.head_decides(interview, users["head"], Decimal("70"), "Ban thống nhất sau trao đổi")
    db.session.commit()
    assert row.interview == Decimal("70.00") and not row.interview_pending


def test_the_interview_page_says_how_the_score_was_reached_in_words(setup, client, login):
    users, interview = setup["users"], setup["interview"]
    _scored_far_apart(users, interview)
    service.head_decides(interview, users["head"], Decimal(76), "thống nhất sau trao đổi")
    db.session.commit()
    login(users["head"])
    users["head"].locale = "en"
    db.session.commit()
    final = client.get(f"/interviews/{interview.id}").get_data(as_text=True).split('id="final"')[1].split("</p>")[0]
    assert "76.00" in final and "decided by the board head (C4)" in final and "C4 head" not in final


def test_the_results_say_whom_the_interview_waits_for(setup, app):
    """The blocker said "waiting for the board head (C4)" while the panel's last member had not scored:
    the head is awaited only for a spread over 10, and until then it is the interviewers' scores."""
    from flask_babel import force_locale

    from results import reasons
    from results import service as results

    users, interview = setup["users"], setup["interview"]
    interview.board.members = [users["head"], users["member"], users["spare"]]
    application = interview.application
    part = round1_result(application.id)
    part.correct, part.total = Decimal(40), 60
    round2_score(application.id).written = Decimal(70)
    db.session.commit()

    def blocker() -> str:
        return next(b.code for b in results.compute(application.round).blockers if b.application_id == application.id)

    for user, points in ((users["member"], ("35", "25", "15", "8")), (users["spare"], ("34", "25", "15", "8"))):
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, _points(*points))
    db.session.commit()
    with force_locale("en"):
        assert blocker() == "interview_awaited"
        assert "interviewers" in reasons.blocker_text(blocker()) and "head" not in reasons.blocker_text(blocker())
        service.declare(interview, users["head"], conflict=False)
        service.submit(interview, users["head"], _points("20", "15", "10", "5"))  # 50: a spread over 10
        db.session.commit()
        assert blocker() == "interview_pending" and "head" in reasons.blocker_text(blocker())


@pytest.fixture
def head_related(setup, make_user):
    """The head declared a conflict with the first candidate (his son) and replaced himself with the
    spare; the three on the panel scored 90, 55 and 70 (a spread over 10 points: the head decides, C4)."""
    users, interview = setup["users"], setup["interview"]
    service.declare(interview, users["head"], conflict=True, note="con trai")  # recorded as a relation (G5)
    chair = make_user("chutich", "council_chair")
    service.replace_member(interview, chair, users["head"], users["spare"])  # the chair, in the head's place
    for user, points in ((users["member"], ("37", "27", "17", "9")), (users["spare"], ("20", "15", "12", "8"))):
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, _points(*points))
    db.session.commit()
    return chair


def test_a_head_with_a_conflict_neither_decides_nor_corrects_that_interview(setup, head_related):
    """C4, G5: a head related to the candidate recorded the final score and corrected the others'
    scores all the same (only the head's id was checked). The council chair decides in their place."""
    users, interview = setup["users"], setup["interview"]
    member_score = db.session.scalar(db.select(Score).filter_by(interview_id=interview.id, user_id=users["member"].id))
    with pytest.raises(service.Refused, match="Chủ tịch Hội đồng quyết định thay"):
        service.head_decides(interview, users["head"], Decimal("100"), "quyết định")
    with pytest.raises(service.Refused, match="Chủ tịch Hội đồng quyết định thay"):
        service.correct(member_score, users["head"], _points("40", "30", "20", "10"), "nhập nhầm")
    with pytest.raises(service.Refused):  # a member is not the head
        service.head_decides(interview, users["member"], Decimal("80"), "quyết định")
    db.session.rollback()
    service.head_decides(interview, head_related, Decimal("75"), "biên bản họp Ban số 3")
    db.session.commit()
    assert db.session.scalar(db.select(Round2Score)).interview == Decimal("75.00")
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="interview_head_decision"))
    assert entry.reason == "biên bản họp Ban số 3"


def test_the_chair_decides_in_the_conflicted_heads_place_on_the_page(setup, head_related, client, login):
    users, interview = setup["users"], setup["interview"]
    login(users["head"])
    assert client.post(f"/interviews/{interview.id}/decide", data={"score": "100", "reason": "x"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Interview, interview.id).final_score is None
    login(head_related)
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)
    assert 'id="head-decision"' in page and "90,00" in page and "55,00" in page  # the scores it decides between
    assert 'id="declaration"' not in page  # the chair does not score
    assert client.post(f"/interviews/{interview.id}/decide",
                       data={"score": "72,5", "reason": "biên bản họp"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Interview, interview.id).final_score == Decimal("72.50")


def test_the_chair_has_no_say_where_the_head_has_no_conflict(setup, make_user, client, login):
    users, interview = setup["users"], setup["interview"]
    for user, points in ((users["head"], ("37", "27", "17", "9")), (users["member"], ("20", "15", "12", "8"))):
        service.declare(interview, user, conflict=False)
        service.submit(interview, user, _points(*points))
    db.session.commit()
    chair = make_user("chutich", "council_chair")
    with pytest.raises(service.Refused):
        service.head_decides(interview, chair, Decimal("75"), "x")
    login(chair)
    page = client.get(f"/interviews/{interview.id}").get_data(as_text=True)  # the chair may read it
    assert 'id="head-decision"' not in page and 'id="declaration"' not in page and "90,00" not in page
    assert client.post(f"/interviews/{interview.id}/decide", data={"score": "75", "reason": "x"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Interview, interview.id).final_score is None
