"""The exam-forms demo step: the round-1 general test (B1: 60 questions, 60 minutes) drawn for
every round-1 candidate, most attempts answered and graded (a realistic spread, a reprimand), a few
left not started for exam day."""
from __future__ import annotations

import json
import random
from datetime import timedelta

from sqlalchemy import insert, select

from questionbank import api as bank
from recruitment.database import utcnow
from recruitment.extensions import db

from . import blueprints, form_draws, item_stats, scoring
from . import draw as drawing
from .models import CLOSED_BY_SITTING, Attempt, AttemptAnswer, ExamTest

LEFT_FOR_EXAM_DAY = 40  # exam day's step (order 35) seats some of these


def load(ctx: dict) -> None:
    round_, rng = ctx["round"], random.Random(30)
    topics = sorted({p.topic for p in bank.approved_pool("general")})
    settings = blueprints.preset(round_, "round1_general", topics)
    test = ExamTest(round_id=round_.id, kind="round1_general", section="general",
                    title="Vòng 1 — Kiến thức chung (thi trắc nghiệm trên máy tính)", minutes=settings["minutes"],
                    pass_fraction=settings["pass_fraction"], scale_to_100=False,
                    cells=json.dumps(settings["cells"], ensure_ascii=False))
    db.session.add(test)
    db.session.flush()
    if blueprints.activate(test):
        ctx["echo"]("exam: the demo bank is too small for the round-1 blueprint")
        return
    report = form_draws.draw_test(test.id)
    attempts = list(db.session.scalars(select(Attempt).filter_by(test_id=test.id).order_by(Attempt.id)))
    sat = attempts[:-LEFT_FOR_EXAM_DAY] if len(attempts) > LEFT_FOR_EXAM_DAY else []
    contents = {}
    answers, now = [], utcnow()
    for attempt in sat:
        if rng.random() < 0.03:  # absent: the sitting closed before they started (collected, never started)
            attempt.status = CLOSED_BY_SITTING
            continue
        ids, perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
        missing = [int(v) for v in ids if int(v) not in contents]
        contents.update(bank.contents(missing))
        ability = min(0.95, max(0.25, rng.gauss(0.64, 0.13)))
        for slot, (vid, perm) in enumerate(zip(ids, perms, strict=True)):
            content = contents[int(vid)]
            shown = [int(o) for o in perm if o >= 0]
            right = shown.index(content.key[0])
            if rng.random() < 0.04:
                continue  # left blank
            choice = right if rng.random() < ability else rng.choice([i for i in range(len(shown)) if i != right] or [right])
            answers.append({"attempt_id": attempt.id, "slot": slot, "choice": choice, "seq": slot + 1, "saved_at": now,
                            "flagged": False})
        attempt.status, attempt.started_at = "submitted", now - timedelta(minutes=test.minutes)
        attempt.submitted_at = now - timedelta(minutes=rng.randint(0, 20))
    if answers:
        db.session.execute(insert(AttemptAnswer), answers)
    graded = [a for a in sat if a.status == "submitted"]
    if graded:
        graded[0].sanction, graded[0].sanction_reason = "reprimand", "Trao đổi với thí sinh bên cạnh (B6)"
    db.session.flush()
    scoring.grade([a.id for a in sat])
    items, reliability = item_stats.item_analysis(test.id, record=True)  # the bank learns observed difficulty
    db.session.commit()
    passed = sum(1 for a in graded if a.passed)
    ctx["echo"](f"exam: {report.new_forms} forms drawn (difficulty spread {report.difficulty_spread:.3f}, "
                f"neighbour clashes {report.neighbour_clashes}); {len(graded)} graded, {passed} passed round 1; "
                f"{len(attempts) - len(sat)} left for exam day")
