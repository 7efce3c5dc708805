"""The exam's operations on the database: blueprints and their activation (G1), drawing every form
of a test, the candidate's paper without keys, grading into the hub's score tables, neutralising a
question (B7) and item analysis. Exam day (exam/day/) calls draw_test, candidate_paper and grade."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from questionbank import api as bank
from recruitment import audit, errors, signals
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.i18n import format_number
from recruitment.models import Application, Position, Round
from recruitment.scores import Round1Result, Round2Score

from . import draw as drawing
from . import stats
from .models import Attempt, DrawPool, ExamTest, Form
from .scoring import (  # noqa: F401 -- grading lives in exam/scoring.py; callers keep using service.*
    GRADABLE,
    GradeReport,
    GradingFailure,
    _absent,
    _attempt_rows,
    _expire,
    _grade_rows,
    _grade_sheet,
    _load_sheet,
    cells_of,
    grade,
    mark_absent,
    replace_recorded_result,
)

SECTION_OF = {"round1_general": "general", "round1_language": "language", "round2_written": "professional"}


@dataclass
class FairnessReport:
    forms: int = 0
    new_forms: int = 0
    questions: int = 0
    target_difficulty: float = 0.0
    difficulty_min: float = 0.0
    difficulty_max: float = 0.0
    max_exposure: float = 0.0  # the largest share of forms any one question appears on
    neighbour_clashes: int = 0  # consecutive seats with the same question at the same slot
    redrawn: int = 0
    shortfalls: list = field(default_factory=list)
    tolerance: float = 0.0  # the blueprint's limit on a form's distance from the target at the draw
    observed: int = 0  # questions on the forms whose difficulty is an observed p-value (item analysis)
    distinct: int = 0  # distinct questions on the forms

    @property
    def difficulty_spread(self) -> float:
        return self.difficulty_max - self.difficulty_min


@dataclass(frozen=True)
class PaperItem:
    slot: int
    type: str
    stem_html: str
    options_html: list[str]  # displayed order; never the key


class BlueprintProblem(errors.Refused):
    pass


def preset(round_: Round, kind: str, topics: list[str]) -> dict:
    """Defaults from the round's rule set: round 1 (B1, B2, L1) or round 2 on computer (C2)."""
    rules = round_.rules
    if kind == "round1_general":
        questions, minutes, fraction, scale = rules.round1_questions, rules.round1_minutes, rules.round1_pass_fraction, False
    elif kind == "round1_language":
        questions, minutes, fraction, scale = rules.language_questions, rules.language_minutes, rules.round1_pass_fraction, False
    else:
        questions, minutes, fraction, scale = rules.computer_written_questions[0], rules.computer_written_minutes[0], None, True
    cells = []
    if topics:
        per_topic, extra = divmod(questions, len(topics))
        for i, topic in enumerate(topics):
            n = per_topic + (1 if i < extra else 0)
            easy, hard = round(n * 0.3), round(n * 0.2)
            for difficulty, count in ((1, easy), (2, n - easy - hard), (3, hard)):
                if count:
                    cells.append({"topic": topic, "difficulty": difficulty, "count": count, "points": 1})
    return {"minutes": minutes, "pass_fraction": fraction, "scale_to_100": scale, "cells": cells}


def pool_of(test: ExamTest) -> tuple[list, drawing.Pool]:
    items = bank.approved_pool(test.section, test.position.code if test.position else None)
    return items, drawing.Pool.build(items, cells_of(test))


def check_blueprint(test: ExamTest) -> list[tuple[drawing.Cell, int]]:
    """G1: the cells with fewer than 3 times their count of approved questions (empty: usable)."""
    cells = cells_of(test)
    if not cells or sum(c.count for c in cells) == 0:
        raise BlueprintProblem(_("The blueprint has no cell with questions."))
    rules = test.round.rules
    if test.kind == "round2_written":  # C2
        low, high = rules.computer_written_questions
        total = sum(c.count for c in cells)
        if not low <= total <= high:
            raise BlueprintProblem(_("A round-2 test on computer has %(low)d to %(high)d questions (C2); this one has %(n)d.",
                                     low=low, high=high, n=total))
    _items, pool = pool_of(test)
    return drawing.shortfalls(pool, cells, rules.bank_multiple)


def activate(test: ExamTest) -> list[tuple[drawing.Cell, int]]:
    short = check_blueprint(test)
    if not short:
        test.status = "active"
        audit.record("blueprint_activated", "exam_test", test.id, after={"cells": json.loads(test.cells)})
    return short


def candidates_for(test: ExamTest) -> list[Application]:
    """B0: round-1 tests for the grades that sit round 1; L1: the language part for those not exempt;
    a round-2 computer test for its position."""
    query = (select(Application).join(Position, Position.id == Application.position_id)
             .where(Application.round_id == test.round_id, Application.status == "admitted")
             .order_by(Application.candidate_number))
    if test.kind == "round2_written":
        query = query.where(Application.position_id == test.position_id)
    else:
        query = query.where(Position.grade.in_(test.round.rules.round1_grades))
        if test.kind == "round1_language":
            query = query.where(Application.exempt_language.is_(False))
    return list(db.session.scalars(query))


def draw_test(test_id: int, application_ids: list[int] | None = None) -> FairnessReport:
    test = db.session.get(ExamTest, test_id)
    if test.status != "active":
        raise BlueprintProblem(_("Activate the blueprint first (G1)."))
    cells = cells_of(test)
    items, pool = pool_of(test)
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
    report = fairness(test)
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
    """B5: the council chair decided a retake: a new form for the candidate (its own seed, no question
    at the slot it had on the voided form where the bank allows) and a new attempt, which the next
    sitting created for the test seats like any other."""
    test = db.session.get(ExamTest, voided.test_id)
    cells = cells_of(test)
    items, pool = pool_of(test)
    old = db.session.get(Form, voided.form_id)
    retake = (db.session.scalar(select(func.max(Form.retake)).filter_by(test_id=test.id,
                                                                        application_id=voided.application_id)) or 0) + 1
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
    attempt = Attempt(form_id=form.id, test_id=test.id, application_id=voided.application_id, status="not_started",
                      credited_minutes=0)
    db.session.add(attempt)
    db.session.flush()
    bank.mark_versions_used(sorted({int(v) for v in drawn.version_ids(pool)}))
    audit.record("retake_drawn", "exam_attempt", attempt.id,
                 after={"voided_attempt": voided.id, "retake": retake, "form_digest": form.digest})
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


def fairness(test: ExamTest) -> FairnessReport:
    """The one fairness report the page and `flask exam draw` show: every first form of the test
    (retakes apart), each question at the difficulty the bank knows today (its observed p-value once
    item analysis recorded one, else its level's expected value)."""
    items, pool = pool_of(test)
    forms = db.session.execute(select(Form.version_ids, Form.option_perms, Form.draw_attempt)
                               .join(Application, Application.id == Form.application_id)
                               .where(Form.test_id == test.id, Form.retake == 0)
                               .order_by(Application.candidate_number)).all()
    report = FairnessReport(forms=len(forms), questions=sum(c.count for c in cells_of(test)),
                            tolerance=float(test.difficulty_tolerance),
                            target_difficulty=drawing.target_difficulty(pool, cells_of(test)) if len(pool.version_ids) else 0)
    if not forms:
        return report
    matrix = np.frombuffer(b"".join(v for v, _p, _a in forms), dtype="<i4").reshape(len(forms), -1)
    order = np.argsort(pool.version_ids)
    known = pool.version_ids[order]
    where = np.clip(np.searchsorted(known, matrix), 0, max(len(known) - 1, 0))
    found = known[where] == matrix if len(known) else np.zeros(matrix.shape, dtype=bool)
    # A version retired from the pool since the draw keeps its place but not a difficulty.
    difficulty = np.where(found, pool.difficulty[order][where] if len(known) else 0.0, np.nan)
    means = np.nanmean(difficulty, axis=1)
    report.difficulty_min, report.difficulty_max = float(np.nanmin(means)), float(np.nanmax(means))
    values, counts = np.unique(matrix, return_counts=True)
    report.distinct = len(values)
    observed = {q.version_id for q in items if q.p_value is not None}
    report.observed = sum(1 for v in values if int(v) in observed)
    report.max_exposure = float(counts.max()) / len(forms)
    report.neighbour_clashes = int((matrix[1:] == matrix[:-1]).any(axis=1).sum()) if len(forms) > 1 else 0
    report.redrawn = sum(1 for _v, _p, a in forms if a)
    return report


def spread_explanation(report: FairnessReport) -> str:
    """What the spread measures and against which tolerance, the same sentence on the page and at the CLI."""
    return _("The spread is the gap between the easiest and the hardest form's mean difficulty (p: the share of "
             "candidates expected to answer a question right). It is measured with the difficulty known today: the "
             "observed p-value from item analysis for %(observed)d of the %(distinct)d questions on the forms, the "
             "level's expected value (0.8, 0.6, 0.4) for the others. At the draw each form was kept within "
             "%(tolerance)s of the target on the difficulty then known (redrawn otherwise), so the spread was then at "
             "most %(double)s; once item analysis has replaced expected values with observed ones it may be larger.",
             observed=report.observed, distinct=report.distinct, tolerance=format_number(report.tolerance, 3),
             double=format_number(2 * report.tolerance, 3))


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


def neutralise(test_id: int, version_id: int, reason: str, correct_options: list[int] | None = None) -> int:
    """B7: every candidate who sat the question gets its point (or, with correct_options, each listed
    bank option also earns it); every affected attempt is re-graded, each change is logged, the
    whole is committed and results are told (scores_changed). Returns how many attempts changed."""
    if not (reason or "").strip():
        raise ValueError("neutralising a question needs its reason (B7)")
    test = db.session.get(ExamTest, test_id)
    neutral = json.loads(test.neutralised or "{}")
    before = dict(neutral)
    neutral[str(version_id)] = sorted({int(o) for o in correct_options or []})
    test.neutralised = json.dumps(neutral)
    audit.record("question_neutralised", "exam_test", test.id, before=before, after=neutral, reason=reason.strip())
    affected = [r for r in _attempt_rows(test_id)
                if version_id in np.frombuffer(r.version_ids, dtype="<i4")]
    changed = _grade_rows(test, affected, reason=reason.strip()) if affected else 0
    _expire(Attempt, Round1Result, Round2Score)
    db.session.commit()
    signals.scores_changed.send(current_app._get_current_object(), round_id=test.round_id,
                                what=f"B7: question version {version_id} neutralised in {test.title}: {reason.strip()}")
    return changed


@dataclass
class ItemRow:
    version_id: int
    seen: int
    p_value: float
    discrimination: float
    options: list[int]  # bank-order counts, blanks last
    flag: str | None


def item_analysis(test_id: int, record: bool = True) -> tuple[list[ItemRow], dict]:
    """Per question p-value, corrected point-biserial and option counts (bank order); KR-20 of the
    forms. With record, the figures and flags go back to the bank, where later draws read them."""
    test = db.session.get(ExamTest, test_id)
    rows = [r for r in _attempt_rows(test_id) if not _absent(r) and r.sanction != test.round.rules.voiding_sanction]
    if not rows:
        return [], {}
    sheet = _load_sheet(test, [(r.id, r.application_id, r.sanction, r.sanction_reason, r.correct, r.score, r.passed,
                                r.version_ids, r.option_perms) for r in rows])
    graded = _grade_sheet(test, sheet)
    versions, columns = np.unique(sheet.versions, return_inverse=True)
    columns = columns.reshape(sheet.versions.shape)
    n, k = sheet.versions.shape
    matrix = np.zeros((n, len(versions)))
    shown = np.zeros((n, len(versions)), dtype=bool)
    candidate = np.repeat(np.arange(n), k)
    matrix[candidate, columns.ravel()] = graded.correct.ravel()
    shown[candidate, columns.ravel()] = True
    # The bank option behind each displayed choice (blank: the last column).
    chosen = np.take_along_axis(sheet.perms, np.clip(sheet.choices, 0, None)[..., None], axis=2)[..., 0]
    chosen = np.where((sheet.choices >= 0) & (chosen >= 0), chosen, drawing.MAX_OPTIONS)
    options = np.zeros((len(versions), drawing.MAX_OPTIONS + 1), dtype=np.int64)
    np.add.at(options, (columns.ravel(), chosen.ravel()), 1)
    result = stats.item_statistics(matrix, shown)
    items = [ItemRow(int(v), int(result.seen[j]), float(result.p_value[j]), float(result.discrimination[j]),
                     options[j].tolist(), stats.flag(float(result.p_value[j]), float(result.discrimination[j])))
             for j, v in enumerate(versions)]
    per_form = stats.kr20_forms(result.p_value, columns, graded.correct.sum(axis=1))
    finite = per_form[np.isfinite(per_form)]
    reliability = {"forms": n, "kr20_mean": float(finite.mean()) if len(finite) else float("nan"),
                   "kr20_min": float(finite.min()) if len(finite) else float("nan"),
                   "kr20_max": float(finite.max()) if len(finite) else float("nan")}
    if record:
        bank.record_item_statistics([bank.ItemStatistic(r.version_id, r.p_value,
                                                        None if np.isnan(r.discrimination) else r.discrimination, r.flag)
                                     for r in items])
        audit.record("item_statistics_recorded", "exam_test", test.id,
                     after={"questions": len(items), "flagged": sum(1 for r in items if r.flag), **reliability})
    return items, reliability
