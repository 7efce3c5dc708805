"""The results demo step: scores that no earlier step recorded are filled in as a paper round would
bring them (through the real `scores import` importers), then version 1 is published, with one tie
at the last place of CS-VT-04 left for the head of agency to decide."""
from __future__ import annotations

import random
from decimal import Decimal

from flask import current_app

from recruitment import registry, tabular
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import Round1Result, Round2Score, passed_round1, round1_parts

from . import service

TIE_POSITION = "CS-VT-04"


def _import(kind: str, round_, headers: list[str], rows: list[list]) -> None:
    if rows:
        registry.score_importers(current_app)[kind](round_, f"demo-{kind}.csv", tabular.csv_bytes(headers, rows))


def load(ctx: dict) -> None:
    round_, rng = ctx["round"], random.Random(60)
    apart_rng = random.Random(61)  # the markers' spread, drawn apart so that the marks stay those of rng
    rules = round_.rules
    applications = db.session.scalars(db.select(Application).filter_by(round_id=round_.id, status="admitted")
                                      .order_by(Application.candidate_number)).all()
    have_r1 = set(db.session.scalars(db.select(Round1Result.application_id)))
    round1 = []
    for a in applications:
        if rules.has_round1(a.position.grade) and a.id not in have_r1:
            absent = rng.random() < 0.04
            correct = "" if absent else str(max(0, min(60, round(rng.gauss(39, 8)))))
            round1.append([a.candidate_number, "general", correct, 60, "yes" if absent else "no", ""])
    _import("round1", round_, ["candidate_number", "part", "correct", "total", "absent", "sanction"], round1)

    parts = round1_parts(round_.id)
    scored = {s.application_id: s for s in db.session.scalars(db.select(Round2Score))}
    due = [a for a in applications if passed_round1(a, parts.get(a.id, {}))]
    # The exam grades a written test on computer (C2); a file brings only paper marks, with their markers (C3).
    on_computer = registry.provider(current_app, "round2_written_tests", lambda _round_id: {})(round_.id)
    tie = [a for a in due if a.position.code == TIE_POSITION and not a.priority_list][:3]
    written, interview = [], []
    for a in due:
        existing = scored.get(a.id)
        paper = a.position.round2_form in ("written", "written_interview") and a.position_id not in on_computer
        if paper and (existing is None or (existing.written is None and not existing.written_absent
                                           and not existing.written_pending)):
            absent = rng.random() < 0.03 and a not in tie
            mark = Decimal(str(round(max(20.0, min(98.0, rng.gauss(68, 12))), 1)))
            if a in tie:  # rank 1 at 97, then two candidates tied at 95 for the last of 2 places (E3)
                mark, absent = (Decimal(97) if a is tie[0] else Decimal(95)), False
            apart = Decimal(apart_rng.choice(["0", "0.5", "1", "2"]))  # C3: two markers within 5 points give the mean
            written.append([a.candidate_number, "" if absent else str(mark), "yes" if absent else "no"]
                           + (["", "", "", ""] if absent else ["marker", str(mark - apart), "marker2", str(mark + apart)]))
        if a.position.round2_form == "written_interview" and (existing is None or existing.interview is None):
            centre = rng.gauss(74, 9)
            for who in ("interviewer", "interviewer2", "interviewer3")[:rng.choice([2, 3])]:
                interview.append([a.candidate_number, who, str(round(max(0, min(100, centre + rng.uniform(-4, 4))), 1)), "no"])
    _import("written", round_, ["candidate_number", "score", "absent", "first_marker", "first_mark", "second_marker",
                                "second_mark"], written)
    _import("interview", round_, ["candidate_number", "interviewer", "score", "absent"], interview)
    db.session.commit()
    try:
        version = service.publish(round_, "demo", "Demo: first publication")
    except service.PublicationBlocked as blocked:
        db.session.rollback()
        ctx["echo"](f"results: not published, {len(blocked.blockers)} problem(s) to settle first")
        return
    db.session.commit()
    ctx["echo"](f"results: version {version.number} published; a tie in {TIE_POSITION} awaits the head of agency")
