"""The paper written test in the demo: before the results, scripts marked under C3 (two markers
agreeing within 5 points: the mean; a third marker two of three agree with; the head marker's
decision); after the first publication, two re-marking requests (C7): one whose re-mark moves the
score by 5 or more and waits for the council chair, one whose two re-markers differ and wait for the
third re-marker. A script left waiting for C3's third marker would block every publication of the
demo round (results cannot be published while a written mark is pending), so the demo shows the
waiting third marker on the re-marking side instead."""
from __future__ import annotations

from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from recruitment import registry, tabular
from recruitment.extensions import db
from recruitment.models import Application, Position
from recruitment.scores import round1_parts

from . import remarks
from . import service as marking

DRAWN, ANOTHER = "the second marker drawn", "another marker"
CASES = [  # marker marks in turn, C3; the second marker is the one drawn at random with the first mark
    [("first", "marker", "71"), ("second", DRAWN, "74")],  # 3 apart: the mean
    [("first", "marker3", "82"), ("second", DRAWN, "82")],  # the two markers agree
    [("first", "marker2", "58.5"), ("second", DRAWN, "62")],  # 3.5 apart: the mean
    [("first", "marker", "52"), ("second", DRAWN, "64"), ("third", ANOTHER, "64")],  # two of three agree
    [("first", "marker2", "60"), ("second", DRAWN, "67"), ("head", "council_chair", "64")],  # the head marker
]
MARKERS = ("marker", "marker2", "marker3", "marker4", "marker5", "marker6")


def _not_on(application: Application, users: dict) -> list:
    """The demo's markers who have given none of the script's marks, in order."""
    on = {m.marker_id for m in marking.marks_of(application).values()}
    return [users[name] for name in MARKERS if users[name].id not in on]


# The demo's paper written test of the Department of Justice; the other paper position carries the
# results demo's tie, which marks set here would undo.
PAPER_POSITION = "CV-TP-02"


def _paper_candidates(round_) -> list[Application]:
    """The position's candidates admitted to its paper written test (round 1 passed), by number."""
    applications = db.session.scalars(select(Application).join(Position).where(
        Application.round_id == round_.id, Position.code == PAPER_POSITION, Application.status == "admitted",
        Application.cancelled.is_(False)).order_by(Application.candidate_number)).all()
    return [a for a in applications if marking.refusal(a) is None]


def _round1_passed(round_, candidates: list[Application]) -> None:
    """Only those who passed round 1 sit the written test (B2, B9): the demo's paper candidates get
    their round-1 results from a paper sheet first (the real `scores import --kind round1`)."""
    have = round1_parts(round_.id)
    rows = [[a.candidate_number, part, 42, round_.rules.round1_questions if part == "general"
             else round_.rules.language_questions, "no", ""]
            for a in candidates if round_.rules.has_round1(a.position.grade)
            for part in round_.rules.round1_parts(a.exempt_language) if part not in have.get(a.id, {})]
    if rows:
        data = tabular.csv_bytes(["candidate_number", "part", "correct", "total", "absent", "sanction"], rows)
        registry.score_importers(current_app)["round1"](round_, "demo-paper-round1.csv", data)


def load_marks(ctx: dict) -> None:
    users = ctx["users"]
    _round1_passed(ctx["round"], db.session.scalars(select(Application).join(Position).where(
        Application.round_id == ctx["round"].id, Position.code == PAPER_POSITION,
        Application.status == "admitted")).all())
    candidates = _paper_candidates(ctx["round"])[:len(CASES)]
    for application, marks in zip(candidates, CASES, strict=False):
        for which, who, score in marks:
            marker = (marking.second_marker(application) if who == DRAWN
                      else _not_on(application, users)[0] if who == ANOTHER else users[who])
            marking.record_mark(application, which, Decimal(score), marker)
    db.session.commit()
    ctx["echo"](f"marking: {len(candidates)} paper scripts double-marked (C3)")


def load_remark(ctx: dict) -> None:
    users, round_ = ctx["users"], ctx["round"]
    candidates = [a for a in _paper_candidates(round_)[:len(CASES)] if marking.published_on(a) is not None]
    if len(candidates) < 2:
        return
    requests = [  # C7: re-markers are none of the script's original markers
        (candidates[0], (("first", "78"), ("second", "80"), ("third", "78"))),
        (candidates[1], (("first", "84"), ("second", "85.5"))),  # they differ: a third
    ]
    for application, scores in requests:
        request = remarks.request_remark(application, marking.published_on(application))
        remarkers = list(reversed(_not_on(application, users)))  # the re-marking board's first
        for (which, score), remarker in zip(scores, remarkers, strict=False):
            remarks.record_remark(request, which, Decimal(score), remarker)
    db.session.commit()
    ctx["echo"](f"marking: re-marking (C7) of {candidates[0].number_label} waits for the chair, "
                f"of {candidates[1].number_label} for a third re-marker")
