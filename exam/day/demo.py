"""The exam-day demo step: a sitting under way now, in two rooms with spares and staff (G3), with its
sitting code and three candidates' access codes printed, so a newcomer can open it as a proctor and
sit it as a candidate.

The sitting belongs to a second, smaller round (a supplementary recruitment whose round 1 is sat
today), not to HP2026: every HP2026 candidate has a recorded round-1 result by the end of the demo,
and a recorded result never opens an attempt again (issue "Exam day you can trust", item 3). So the
README's step 1 (sit the test) leaves steps 5 and 6 (HP2026's results and dossiers) as they were,
and only candidates who can really sit get a printed code."""
from __future__ import annotations

import json
import random
from datetime import timedelta

from sqlalchemy import select

from questionbank import api as bank
from recruitment import audit, importing, tabular
from recruitment.database import utcnow
from recruitment.demo import FAMILY, GIVEN_F, GIVEN_M, MIDDLE_F, MIDDLE_M, demo_draw_seed
from recruitment.extensions import db
from recruitment.i18n import local_today
from recruitment.models import Round

from .. import blueprints, form_draws
from ..models import ExamTest
from . import admission, board, seating
from .models import Placement

ROUND_CODE = "HP2026-BS"
POSITIONS = [["CV-NV-01", "Chuyên viên tổ chức cán bộ", "Sở Nội vụ", "chuyen_vien", 2, "written", "dai_hoc", ""],
             ["CS-LT-02", "Cán sự lưu trữ", "Sở Nội vụ", "can_su", 1, "written", "cao_dang", ""]]
CANDIDATES = 24
SHOWN = 3


def _round(ctx: dict) -> Round:
    """A supplementary round of 24 candidates for two positions (all of round-1 grades, B0)."""
    rng = random.Random(35)
    deadline = local_today() - timedelta(days=10)
    round_ = Round(code=ROUND_CODE, name="Thi tuyển công chức bổ sung năm 2026 (thi vòng 1 hôm nay)",
                   rules_code="vn-2025", application_deadline=deadline, draw_seed=demo_draw_seed(ROUND_CODE))
    db.session.add(round_)
    db.session.flush()
    audit.record("round_created", "round", round_.id, after={"code": round_.code}, actor="demo")
    importing.import_positions(round_, "positions.xlsx", tabular.xlsx_bytes(
        [("positions", [c.name for c in importing.POSITION_COLUMNS], POSITIONS)]))
    rows = []
    for i in range(CANDIDATES):
        female = rng.random() < 0.55
        name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                         rng.choice(GIVEN_F if female else GIVEN_M)])
        position = POSITIONS[0] if i % 3 else POSITIONS[1]
        birth = deadline - timedelta(days=rng.randint(22 * 365, 38 * 365))
        rows.append([f"031{900000000 + i:09d}", name, birth.strftime("%d/%m/%Y"), "nu" if female else "nam",
                     f"bosung{i + 1}@example.vn", f"09{rng.randint(10000000, 99999999)}", position[0], position[6],
                     "Quản trị nhân lực" if position is POSITIONS[0] else "Văn thư lưu trữ", "", "no"])
    importing.import_applications(round_, "applications.xlsx", tabular.xlsx_bytes(
        [("applications", [c.name for c in importing.APPLICATION_COLUMNS], rows)]),
        received_on=deadline - timedelta(days=3))  # the demo replays a round: the file came before the deadline
    return round_


def load(ctx: dict) -> None:
    round_ = _round(ctx)
    topics = sorted({p.topic for p in bank.approved_pool("general")})
    settings = blueprints.preset(round_, "round1_general", topics)
    test = ExamTest(round_id=round_.id, kind="round1_general", section="general",
                    title="Vòng 1 — Kiến thức chung (tuyển bổ sung)", minutes=settings["minutes"],
                    pass_fraction=settings["pass_fraction"], scale_to_100=False,
                    cells=json.dumps(settings["cells"], ensure_ascii=False))
    db.session.add(test)
    db.session.flush()
    if blueprints.activate(test):
        ctx["echo"]("exam day: the demo bank is too small for the round-1 blueprint")
        return
    form_draws.draw_test(test.id)
    users = ctx["users"]
    staff = [users["proctor"], users["proctor2"], users["technician"]]
    now = utcnow()
    # Under way now: started a few minutes ago, two hours left; two rooms of 12 seats and 2 spares,
    # filled in candidate-number order.
    sitting, code = seating.create_sitting(test, "Ca thi thử (demo) — Phòng máy tầng 1",
                                         now - timedelta(minutes=5), now + timedelta(hours=2),
                                         [seating.RoomPlan("P101", 12, 2), seating.RoomPlan("P102", 12, 2)],
                                         {"P101": staff, "P102": staff})
    codes = seating.issue_access_codes(sitting)
    for placement in db.session.scalars(select(Placement).filter_by(sitting_id=sitting.id)):
        # B4 would shut the door 10 minutes after the start; the demo's candidates are let in by the
        # proctor (the late-admission mark) so that a newcomer can try it at any time.
        placement.late_admitted = True
    db.session.commit()
    shown = 0
    for placement_id, access in codes.items():
        placement = db.session.get(Placement, placement_id)
        if shown == SHOWN or not admission.may_open(placement.attempt):
            continue
        ctx["passwords"][f"candidate {placement.attempt.application.number_label} ({ROUND_CODE})"] = access
        shown += 1
    ctx["passwords"]["sitting code (proctor opens the sitting)"] = code
    ctx["passwords"]["results board code (waiting hall's screen, /exam/board/)"] = board.board_code(sitting.id)
    ctx["echo"](f"exam day: round {ROUND_CODE}, sitting '{sitting.name}' with {len(codes)} candidates; code {code}")
