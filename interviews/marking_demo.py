"""The paper written test in the demo: before the results, three scripts marked under C3 (the mean,
a third marker two of three agree with, the head marker's decision); after the first publication, a
re-marking request (C7) whose re-mark moves the score by 5 or more and waits for the council chair."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from recruitment.extensions import db
from recruitment.models import Application, Position

from . import marking

CASES = [  # marker marks in turn, C3
    [("first", "marker", "71"), ("second", "marker2", "74")],  # 3 apart: the mean
    [("first", "marker", "52"), ("second", "marker2", "64"), ("third", "marker3", "64")],  # two of three agree
    [("first", "marker2", "60"), ("second", "marker3", "67"), ("head", "council_chair", "64")],  # the head marker
]


# The demo's paper written test of the Department of Justice; the other paper position carries the
# results demo's tie, which marks set here would undo.
PAPER_POSITION = "CV-TP-02"


def _paper_candidates(round_) -> list[Application]:
    return db.session.scalars(select(Application).join(Position).where(
        Application.round_id == round_.id, Position.code == PAPER_POSITION, Application.status == "admitted",
        Application.cancelled.is_(False)).order_by(Application.candidate_number)).all()


def load_marks(ctx: dict) -> None:
    users = ctx["users"]
    candidates = _paper_candidates(ctx["round"])[:len(CASES)]
    for application, marks in zip(candidates, CASES, strict=False):
        for which, who, score in marks:
            marking.record_mark(application, which, Decimal(score), users[who])
    db.session.commit()
    ctx["echo"](f"marking: {len(candidates)} paper scripts double-marked (C3)")


def load_remark(ctx: dict) -> None:
    users, round_ = ctx["users"], ctx["round"]
    published = marking.published_on(_paper_candidates(round_)[0]) if _paper_candidates(round_) else None
    if published is None:
        return
    application = _paper_candidates(round_)[0]
    request = marking.request_remark(application, published)
    for which, who, score in (("first", "marker4", "78"), ("second", "marker5", "80"), ("third", "marker6", "78")):
        marking.record_remark(request, which, Decimal(score), users[who])
    db.session.commit()
    ctx["echo"](f"marking: a re-marking request (C7) for candidate {application.number_label} waits for the chair")
