"""Declared unavailability and manual moves: the scheduler keeps an interviewer out of a period they
declared, HR sees interviews already in such a period, and a manual move is checked against the
scheduler's constraints (C4, G5), refused with the constraint named, and audited."""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import pytest

from interviews import service
from interviews.models import Board, Interview, Relation, Unavailability
from recruitment import i18n
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import round_with_applications

DAY = datetime(2026, 12, 1)


@pytest.fixture
def setup(app, make_user, tmp_path):
    """Two boards for TC-01 sharing no member; three candidates, two already scheduled on board 1."""
    users = {n: make_user(n, "interviewer") for n in ("head1", "member1", "head2", "member2")}
    hr = make_user("hr_pv", "hr")
    round_, apps = round_with_applications(tmp_path, "MV", ["Trần An", "Lê Bình", "Võ Cường"])
    boards = []
    for n in (1, 2):
        board = Board(round_id=round_.id, name=f"Ban {n}", head_id=users[f"head{n}"].id, positions="TC-01")
        board.members = [users[f"head{n}"], users[f"member{n}"]]
        boards.append(board)
    db.session.add_all(boards)
    db.session.flush()
    first = Interview(board_id=boards[0].id, application_id=apps[0].id, starts_at=DAY.replace(hour=8), minutes=30)
    second = Interview(board_id=boards[0].id, application_id=apps[1].id, starts_at=DAY.replace(hour=9), minutes=30)
    db.session.add_all([first, second])
    db.session.commit()
    return {"round": round_, "boards": boards, "users": users, "hr": hr, "first": first, "second": second, "apps": apps}


def test_the_scheduler_keeps_an_interviewer_out_of_a_declared_period(setup):
    users, round_ = setup["users"], setup["round"]
    db.session.delete(setup["first"])
    db.session.delete(setup["second"])
    with pytest.raises(service.Refused, match="1000"):
        service.declare_unavailable(users["member1"], round_, DAY.replace(hour=8), DAY.replace(hour=12), "Họp " * 260)
    service.declare_unavailable(users["member1"], round_, DAY.replace(hour=8), DAY.replace(hour=12), "Họp Ủy ban")
    service.declare_unavailable(users["member2"], round_, DAY.replace(hour=8), DAY.replace(hour=8, minute=30))
    problem = service.problem_for(round_, [DAY], "08:00", "12:00", 30, only=setup["apps"])
    assert problem.unavailable[users["member1"].id] == [(DAY.replace(hour=8), DAY.replace(hour=12))]
    from interviews import scheduling

    result = scheduling.schedule(problem)
    assert scheduling.conflicts(problem, result) == []
    assert {p.board for p in result.placements} == {setup["boards"][1].id}  # board 1 is out all morning
    assert min(p.start for p in result.placements) == DAY.replace(hour=8, minute=30)


def test_an_interview_in_a_period_declared_later_is_shown_to_hr(setup):
    service.declare_unavailable(setup["users"]["head1"], setup["round"], DAY.replace(hour=8, minute=15), DAY.replace(hour=8, minute=45))
    clashes = service.clashes_with_unavailability(setup["round"])
    assert [(i.id, u.username) for i, u in clashes] == [(setup["first"].id, "head1")]


def test_a_period_ends_after_it_starts_and_only_its_author_withdraws_it(setup):
    users = setup["users"]
    with pytest.raises(service.Refused):
        service.declare_unavailable(users["head1"], setup["round"], DAY.replace(hour=9), DAY.replace(hour=8))
    period = service.declare_unavailable(users["head1"], setup["round"], DAY.replace(hour=9), DAY.replace(hour=10))
    with pytest.raises(service.Refused):
        service.withdraw_unavailable(period, users["head2"])
    service.withdraw_unavailable(period, users["head1"])
    db.session.commit()
    assert db.session.scalar(db.select(Unavailability)) is None


def _named(reason: str) -> str:
    return re.escape(str(service.MOVE_REFUSALS[reason]))


@pytest.mark.parametrize("hour, minute", [(9, 0), (9, 15), (8, 45)])
def test_a_move_onto_a_busy_board_is_refused_with_its_reason(setup, hour, minute):
    with pytest.raises(service.Refused, match=_named("board_busy")):
        service.move(setup["first"], setup["boards"][0], DAY.replace(hour=hour, minute=minute))


def test_moves_check_relations_unavailability_and_scores(setup):
    first, boards, users = setup["first"], setup["boards"], setup["users"]
    db.session.add(Relation(user_id=users["member2"].id, application_id=setup["second"].application_id, note="cháu ruột"))
    with pytest.raises(service.Refused, match=_named("relation")):  # G5
        service.move(setup["second"], boards[1], DAY.replace(hour=10))
    service.declare_unavailable(users["head2"], setup["round"], DAY.replace(hour=13), DAY.replace(hour=17))
    with pytest.raises(service.Refused, match=_named("interviewer_unavailable")):
        service.move(first, boards[1], DAY.replace(hour=14))
    service.move(first, boards[1], DAY.replace(hour=10))
    db.session.commit()
    assert (first.board_id, first.starts_at) == (boards[1].id, DAY.replace(hour=10))
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="interview_moved"))
    assert entry is not None and str(boards[0].id) in entry.before
    for user in (users["head2"], users["member2"]):
        service.declare(first, user, conflict=False)
    service.submit(first, users["head2"], [Decimal(p) for p in (30, 20, 15, 8)])
    with pytest.raises(service.Refused):
        service.move(first, boards[1], DAY.replace(hour=11))  # the panel that scored stays on record


def test_hr_moves_from_the_schedule_page_and_interviewers_declare_on_their_page(setup, client, login):
    login(setup["hr"])
    page = client.get(f"/interviews/rounds/{setup['round'].id}/schedule").get_data(as_text=True)
    assert f'action="/interviews/{setup["first"].id}/move"' in page
    client.post(f"/interviews/{setup['first'].id}/move", data={"board_id": setup["boards"][0].id,
                                                               "starts_at": "2026-12-01T09:00"})
    db.session.expire_all()
    assert db.session.get(Interview, setup["first"].id).starts_at == DAY.replace(hour=8)  # refused: board busy
    assert client.post("/interviews/unavailability/new", data={"round_id": setup["round"].id,
                                                           "starts_at": "2026-12-01T13:00",
                                                           "ends_at": "2026-12-01T17:00"}).status_code == 403
    login(setup["users"]["member1"])
    client.post("/interviews/unavailability/new", data={"round_id": setup["round"].id, "starts_at": "2026-12-01T13:00",
                                                    "ends_at": "2026-12-01T17:00", "note": "Công tác"})
    period = db.session.scalar(db.select(Unavailability))
    assert period.user_id == setup["users"]["member1"].id and period.ends_at == DAY.replace(hour=17)
    assert "Công tác" in client.get("/interviews/unavailability").get_data(as_text=True)


def test_interviews_come_after_the_positions_written_test_on_computer(setup):
    """C4's timing: the sitting ends at 02:00 UTC, 09:00 in Vietnam; no interview of the position
    is placed before it, and a manual move before it is refused."""
    from exam.day.models import Sitting
    from exam.models import ExamTest

    position = setup["apps"][0].position
    test = ExamTest(round_id=setup["round"].id, kind="round2_written", position_id=position.id, section="specialist",
                    title="Vòng 2 — thi viết trên máy", minutes=120)
    db.session.add(test)
    db.session.flush()
    db.session.add(Sitting(test_id=test.id, name="Ca 1", starts_at=DAY.replace(hour=0), ends_at=DAY.replace(hour=2),
                           code_hash="-"))
    db.session.delete(setup["first"])
    db.session.delete(setup["second"])
    db.session.flush()
    problem = service.problem_for(setup["round"], [DAY], "07:00", "12:00", 30, only=setup["apps"])
    assert {c.earliest for c in problem.candidates} == {DAY.replace(hour=9)}
    from interviews import scheduling

    result = scheduling.schedule(problem)
    assert result.placements and min(p.start for p in result.placements) >= DAY.replace(hour=9)
    assert scheduling.move_refusal(problem, result.placements, result.placements[0].candidate,
                                   result.placements[0].board, DAY.replace(hour=8)) == "before_written_test"


def test_a_schedule_for_a_day_gone_by_is_refused(setup, client, login, monkeypatch):
    """Interviews are scheduled from today on, as the council counts days (its time zone): a past day
    typed by mistake placed candidates in it, and their letters invited them to a day gone by."""
    monkeypatch.setattr(i18n, "utcnow", lambda: datetime(2026, 12, 1, 18, 0))  # 01:00 on 2 December in Vietnam
    with pytest.raises(service.Refused, match="01/12/2026"):
        service.build_schedule(setup["round"], [DAY.replace(day=3), DAY], "08:00", "12:00", 30)
    login(setup["hr"])
    page = client.post(f"/interviews/rounds/{setup['round'].id}/schedule",
                       data={"days": "03/12/2026, 01/12/2026", "first": "08:00", "last": "12:00", "minutes": "30",
                             "gap": "0"}, follow_redirects=True)
    assert page.status_code == 200 and "ngày 01/12/2026 đã qua" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Interview)) == 2  # nothing scheduled


def test_a_schedule_of_slots_that_never_end_is_refused_in_words(setup, client, login):
    """HR's form: minutes of 0 or less looped until the worker's memory ran out."""
    login(setup["hr"])
    page = client.post(f"/interviews/rounds/{setup['round'].id}/schedule",
                       data={"days": DAY.strftime("%d/%m/%Y"), "first": "08:00", "last": "12:00", "minutes": "-30",
                             "gap": "0"}, follow_redirects=True)
    assert page.status_code == 200 and "ít nhất một phút" in page.get_data(as_text=True)


def test_a_time_at_the_calendars_end_is_refused_as_no_time(setup, client, login):
    """A move to 9999-12-31T23:59 took the interview's end past the year 9999 (OverflowError, which the
    page's refusals did not catch: a 500); such a time, and a period declared from it, is refused as a
    time that is not one, and nothing changes."""
    login(setup["hr"])
    for starts in ("9999-12-31T23:59", "0001-01-01T00:00"):
        response = client.post(f"/interviews/{setup['first'].id}/move", data={"board_id": setup["boards"][1].id,
                                                                           "starts_at": starts})
        assert response.status_code == 302, starts
    db.session.expire_all()
    assert db.session.get(Interview, setup["first"].id).starts_at == DAY.replace(hour=8)
    login(setup["users"]["member1"])
    client.post("/interviews/unavailability/new", data={"round_id": setup["round"].id, "starts_at": "2026-12-01T13:00",
                                                    "ends_at": "9999-12-31T23:59"})
    assert db.session.scalar(db.select(Unavailability)) is None
    login(setup["hr"])
    assert client.get(f"/interviews/rounds/{setup['round'].id}/schedule").status_code == 200
