"""The interviews demo step: one board (the user 'interviewer' heads it) for the positions with an
interview, a schedule from today for every candidate due, and every interview scored by the board's
members on the rubric, one of them with a spread over 10 points settled by the head (C4)."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from recruitment.extensions import db
from recruitment.i18n import local_today

from . import rubrics, service
from .models import Board, Interview, Score


def _points(total: float, criteria: list[dict]) -> list[Decimal]:
    return [Decimal(str(round(total * c["weight"] / 100 * 2) / 2)) for c in criteria]


def load(ctx: dict) -> None:
    round_, users, rng = ctx["round"], ctx["users"], random.Random(40)
    codes = [p.code for p in round_.positions if p.round2_form == "written_interview" and p.grade != "nhan_vien"]
    board = Board(round_id=round_.id, name="Ban phỏng vấn số 1", room="Phòng họp tầng 3", head_id=users["interviewer"].id,
                  positions="; ".join(codes))
    board.members = [users["interviewer"], users["interviewer2"], users["interviewer3"]]
    db.session.add(board)
    db.session.flush()
    with_interview = [p for p in round_.positions if p.code in codes]
    if with_interview:  # a position with its own rubric (C4: 100 points)
        rubrics.set_rubric(with_interview[0], [
            {"name": "Hiểu biết pháp luật chuyên ngành", "weight": 35}, {"name": "Xử lý tình huống thực tế", "weight": 35},
            {"name": "Kỹ năng giao tiếp, trình bày", "weight": 20}, {"name": "Tác phong, thái độ", "weight": 10}])
    today = datetime.combine(local_today(), time())  # interviews are written in local time
    service.declare_unavailable(users["interviewer3"], round_, today + timedelta(days=1, hours=13),
                                today + timedelta(days=1, hours=17), "Họp giao ban của Sở")
    result = service.build_schedule(round_, [today + timedelta(days=d) for d in range(8)], "07:30", "17:00", 30)
    db.session.flush()
    interviews = db.session.scalars(select(Interview).filter_by(board_id=board.id).order_by(Interview.starts_at)).all()
    spread_case = interviews[len(interviews) // 2] if interviews else None
    for interview in interviews:
        centre = min(96.0, max(35.0, rng.gauss(74, 9)))
        for member in board.members:
            service.declare(interview, member, conflict=False)
            total = centre + rng.uniform(-4, 4)
            if interview is spread_case:
                total = {users["interviewer"].id: 78, users["interviewer2"].id: 84, users["interviewer3"].id: 66}[member.id]
            service.submit(interview, member, _points(total, rubrics.rubric_for(interview.application.position)))
        if interview is spread_case:
            service.head_decides(interview, users["interviewer"], Decimal("76"),
                                 "Thí sinh trả lời tốt câu hỏi tình huống; thống nhất sau trao đổi của Ban")
    if len(interviews) > 1:  # a locked score corrected by the head, with its reason
        first = interviews[0]
        slip = db.session.scalar(select(Score).filter_by(interview_id=first.id, user_id=users["interviewer3"].id))
        service.correct(slip, users["interviewer"], _points(float(slip.total) + 2, rubrics.rubric_for(first.application.position)),
                        "Thành viên đề nghị sửa do cộng nhầm điểm trên phiếu chấm")
    db.session.commit()
    ctx["echo"](f"interviews: {len(result.placements)} scheduled and scored ({len(result.unplaced)} not placed); "
                f"one spread over 10 settled by the head")
