"""The exam-day demo step: a sitting of the round-1 test for the candidates the exam-forms step left
not started, in two rooms with spares and staff (G3), with its sitting code and three candidates'
access codes printed, so a newcomer can open it as a proctor and sit it as a candidate."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from recruitment.database import utcnow
from recruitment.extensions import db

from ..models import Attempt, ExamTest
from . import board
from . import sitting as rules
from .models import Placement


def load(ctx: dict) -> None:
    test = db.session.scalar(select(ExamTest).filter_by(round_id=ctx["round"].id, kind="round1_general"))
    if test is None or not db.session.scalar(select(Attempt.id).filter_by(test_id=test.id, status="not_started").limit(1)):
        ctx["echo"]("exam day: no attempt left to seat")
        return
    users = ctx["users"]
    staff = [users["proctor"], users["proctor2"], users["technician"]]
    now = utcnow()
    # Under way now: started a few minutes ago, two hours left; two rooms of 16 seats and 2 spares,
    # filled in candidate-number order from the attempts the exam-forms step left not started.
    sitting, code = rules.create_sitting(test, "Ca thi thử (demo) — Phòng máy tầng 1",
                                         now - timedelta(minutes=5), now + timedelta(hours=2),
                                         [rules.RoomPlan("P101", 16, 2), rules.RoomPlan("P102", 16, 2)],
                                         {"P101": staff, "P102": staff})
    codes = rules.issue_access_codes(sitting)
    for placement in db.session.scalars(select(Placement).filter_by(sitting_id=sitting.id)):
        # B4 would shut the door 10 minutes after the start; the demo's candidates are let in by the
        # proctor (the late-admission mark) so that a newcomer can try it at any time.
        placement.late_admitted = True
    db.session.commit()
    shown = 0
    for placement_id, access in codes.items():
        placement = db.session.get(Placement, placement_id)
        ctx["passwords"][f"candidate {placement.attempt.application.number_label} ({ctx['round'].code})"] = access
        shown += 1
        if shown == 3:
            break
    ctx["passwords"]["sitting code (proctor opens the sitting)"] = code
    ctx["passwords"]["results board code (waiting hall's screen, /exam/board/)"] = board.board_code(sitting.id)
    ctx["echo"](f"exam day: sitting '{sitting.name}' with {len(codes)} candidates; code {code}")
