"""Drawing every form of a test into the database (exam/draw.py does the drawing), a retake's form
(B5), the audit rebuild of stored forms, and the candidate's paper without keys."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from questionbank import api as bank
from recruitment import audit, labels
from recruitment.database import utcnow
from recruitment.extensions import db

from . import draw as drawing
from . import fairness
from .blueprints import BlueprintProblem, candidates_for, pool_of
from .fairness import FairnessReport
from .models import Attempt, DrawPool, ExamTest, Form
from .scoring import cells_of


@dataclass(frozen=True)
class PaperItem:
    slot: int
    type: str
    stem_html: str
    options_html: list[str]  # displayed order; never the key



def _bank_still_holds(test: ExamTest, pool, cells) -> None:
    """G1 at every draw, not only at activation: questions retired since may have left a cell short
    (even empty), and its forms would be shorter than the blueprint, unlike those drawn before."""
    short = drawing.shortfalls(pool, cells, test.round.rules.bank_multiple)
    if short:
        raise BlueprintProblem(_(
            "The bank no longer holds %(n)d times each cell's questions (G1): %(cells)s. Approve questions for "
            "these cells before drawing (on a test scored on points, questions worth the cell's points each, C2).",
            n=test.round.rules.bank_multiple,
            cells="; ".join(f"{c.topic} / {labels.label(c.difficulty, 'difficulty')}: {have}/{c.count * test.round.rules.bank_multiple}"
                            for c, have in short)))


def draw_test(test_id: int, application_ids: list[int] | None = None) -> FairnessReport:
    test = db.session.get(ExamTest, test_id)
    if test.status != "active":
        raise BlueprintProblem(_("Activate the blueprint first (G1)."))
    cells = cells_of(test)
    items, pool = pool_of(test)
    _bank_still_holds(test, pool, cells)
    plan = drawing.Plan.build(pool, cells)
    target = drawing.target_difficulty(pool, cells)
    existing = {f.application_id: f for f in db.session.scalars(select(Form).filter_by(test_id=test_id))}
    wanted = None if application_ids is None else set(application_ids)
    applications = [a for a in candidates_for(test) if wanted is None or a.id in wanted]
    tolerance = float(test.difficulty_tolerance)
    previous = None
    index_of = {int(v): i for i, v in enumerate(pool.version_ids)}
    rows, new_versions = [], set()
    for application in applications:
        form = existing.get(application.id)
        if form is not None:
            ids, _perms = drawing.unpack(form.version_ids, form.option_perms)
            previous = np.array([index_of.get(int(v), -1) for v in ids])
            continue
        seed = drawing.seed_for(test.round.draw_seed, test.id, application.id)
        drawn = drawing.draw(pool, cells, seed, tolerance=tolerance, avoid=previous, plan=plan, target=target)
        previous = drawn.positions
        version_bytes, perm_bytes = drawing.pack(drawn.version_ids(pool), drawn.perms)
        rows.append({"test_id": test.id, "application_id": application.id, "version_ids": version_bytes,
                     "option_perms": perm_bytes, "digest": drawing.digest(version_bytes, perm_bytes),
                     "draw_attempt": drawn.attempt, "drawn_at": utcnow()})
        new_versions.update(int(v) for v in drawn.version_ids(pool))
    if rows:
        frozen = _freeze(test, pool, cells)
        for row in rows:
            row["pool_id"] = frozen.id
        db.session.execute(insert(Form), rows)
        created = db.session.execute(select(Form.id, Form.application_id).where(
            Form.test_id == test.id, Form.application_id.in_([r["application_id"] for r in rows]))).all()
        db.session.execute(insert(Attempt), [{"form_id": fid, "test_id": test.id, "application_id": aid,
                                              "status": "not_started", "credited_minutes": 0} for fid, aid in created])
        bank.mark_versions_used(sorted(new_versions))
    report = fairness.report(test)
    report.new_forms = len(rows)
    audit.record("forms_drawn", "exam_test", test.id, after={"new_forms": len(rows), "forms": report.forms,
                                                            "difficulty_spread": round(report.difficulty_spread, 4),
                                                            "neighbour_clashes": report.neighbour_clashes})
    return report


def _freeze(test: ExamTest, pool: drawing.Pool, cells: list[drawing.Cell]) -> DrawPool:
    """The pool a draw run drew from, kept so that its forms can be rebuilt after the bank changes."""
    members = json.dumps(drawing.snapshot(pool, cells), separators=(",", ":"))
    frozen = DrawPool(test_id=test.id, cells=test.cells, members=members,
                      digest=hashlib.sha256(f"{test.cells}|{members}".encode()).hexdigest())
    db.session.add(frozen)
    db.session.flush()
    return frozen


def draw_retake(voided: Attempt) -> Attempt:
    """B5: the council chair decided a retake: a new form for the candidate (its own seed, none of the
    questions of their earlier forms where the bank allows) and a new attempt, which the next sitting
    created for the test seats like any other."""
    test = db.session.get(ExamTest, voided.test_id)
    cells = cells_of(test)
    items, pool = pool_of(test)
    _bank_still_holds(test, pool, cells)
    old = db.session.get(Form, voided.form_id)
    retake = (db.session.scalar(select(func.max(Form.retake)).filter_by(test_id=test.id,
                                                                        application_id=voided.application_id)) or 0) + 1
    # None of the questions of the candidate's earlier forms where the bank allows (the pool drawn from,
    # frozen below, is this one: the audit rebuilds the form from it); at the old slots elsewhere.
    seen = {int(v) for f in db.session.scalars(select(Form).filter_by(test_id=test.id, application_id=voided.application_id))
            for v in drawing.unpack_versions(f.version_ids)}
    pool = drawing.without(pool, cells, seen)
    index_of = {int(v): i for i, v in enumerate(pool.version_ids)}
    previous = np.array([index_of.get(int(v), -1) for v in drawing.unpack(old.version_ids, old.option_perms)[0]])
    seed = drawing.seed_for(test.round.draw_seed, test.id, voided.application_id, retake)
    drawn = drawing.draw(pool, cells, seed, tolerance=float(test.difficulty_tolerance), avoid=previous)
    version_bytes, perm_bytes = drawing.pack(drawn.version_ids(pool), drawn.perms)
    frozen = _freeze(test, pool, cells)
    form = Form(test_id=test.id, application_id=voided.application_id, version_ids=version_bytes,
                option_perms=perm_bytes, digest=drawing.digest(version_bytes, perm_bytes), draw_attempt=drawn.attempt,
                retake=retake, pool_id=frozen.id)
    db.session.add(form)
    db.session.flush()
    # B6 with B5: a sanction the proctor recorded stands on the retake (the retake answers a machine
    # failure, not the candidate's conduct); only a withdrawal by its own act lifts it.
    attempt = Attempt(form_id=form.id, test_id=test.id, application_id=voided.application_id, status="not_started",
                      credited_minutes=0, sanction=voided.sanction, sanction_reason=voided.sanction_reason)
    db.session.add(attempt)
    db.session.flush()
    bank.mark_versions_used(sorted({int(v) for v in drawn.version_ids(pool)}))
    audit.record("retake_drawn", "exam_attempt", attempt.id,
                 after={"voided_attempt": voided.id, "retake": retake, "form_digest": form.digest,
                        **({"sanction": voided.sanction} if voided.sanction else {})})
    return attempt


@dataclass
class Verification:
    forms: int = 0
    matching: int = 0
    mismatched: list = field(default_factory=list)  # application ids whose stored form differs from its rebuild


def verify_forms(test_id: int) -> Verification:
    """The audit rebuild: every stored form of the test drawn again from its seed, its kept redraw and
    the frozen pool of its draw run, and compared with what was stored (digest and content)."""
    test = db.session.get(ExamTest, test_id)
    pools = {p.id: p for p in db.session.scalars(select(DrawPool).filter_by(test_id=test_id))}
    built: dict[int, tuple] = {}
    result = Verification()
    for form in db.session.scalars(select(Form).filter_by(test_id=test_id).order_by(Form.id)):
        result.forms += 1
        frozen = pools.get(form.pool_id)
        if frozen is None:
            result.mismatched.append(form.application_id)
            continue
        if frozen.id not in built:
            cells = [drawing.Cell(c["topic"], int(c["difficulty"]), int(c["count"])) for c in json.loads(frozen.cells)]
            built[frozen.id] = (drawing.from_snapshot(json.loads(frozen.members), cells), cells)
        pool, cells = built[frozen.id]
        seed = drawing.seed_for(test.round.draw_seed, test.id, form.application_id, form.retake)
        again = drawing.rebuild(pool, cells, seed, form.draw_attempt)
        packed = drawing.pack(again.version_ids(pool), again.perms)
        if packed == (form.version_ids, form.option_perms) and drawing.digest(*packed) == form.digest:
            result.matching += 1
        else:
            result.mismatched.append(form.application_id)
    audit.record("forms_verified", "exam_test", test.id,
                 after={"forms": result.forms, "matching": result.matching, "mismatched": result.mismatched})
    return result


def candidate_paper(attempt_id: int) -> list[PaperItem]:
    attempt = db.session.get(Attempt, attempt_id)
    ids, perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
    contents = bank.contents([int(v) for v in ids])
    paper = []
    for slot, (vid, perm) in enumerate(zip(ids, perms, strict=True)):
        c = contents[int(vid)]
        options = [bank.candidate_html(c.options_html[int(o)]) for o in perm if o >= 0] if c.type != "fill" else []
        paper.append(PaperItem(slot, c.type, bank.candidate_html(c.stem_html), options))
    return paper
