"""The exam-day demo step: a sitting of the round-1 test for the candidates the exam-forms step left
not started, in two rooms with spares and staff (G3), with its sitting code and three candidates'
access codes printed, so a newcomer can open it as a proctor and sit it as a candidate."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from recruitment.database import utcnow
from recruitment.extensions import db

from ..models import Attempt, ExamTest
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
    # A long demo sitting, so that a newcomer finds it open whenever they try it.
    sitting, code = rules.create_sitting(test, "Ca thi thử (demo) — sáng", now, now + timedelta(hours=8),
                                         [rules.RoomPlan("P101", 4, 2), rules.RoomPlan("P102", 4, 2)],
                                         {"P101": staff, "P102": staff})
    codes = rules.issue_access_codes(sitting)
    for placement in db.session.scalars(select(Placement).filter_by(sitting_id=sitting.id)):
        placement.late_admitted = True  # B4: the demo lets them in whenever the newcomer tries
    db.session.commit()
    shown = 0
    for placement_id, access in codes.items():
        placement = db.session.get(Placement, placement_id)
        ctx["passwords"][f"candidate {placement.attempt.application.number_label} ({ctx['round'].code})"] = access
        shown += 1
        if shown == 3:
            break
    ctx["passwords"]["sitting code (proctor opens the sitting)"] = code
    ctx["echo"](f"exam day: sitting '{sitting.name}' with {len(codes)} candidates; code {code}")
