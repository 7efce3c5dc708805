"""The exam's operations on the database: blueprints and their activation (G1), drawing every form
of a test, the candidate's paper without keys, grading into the hub's score tables, neutralising a
question (B7) and item analysis. Exam day (exam/day/) calls draw_test, candidate_paper and grade."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from questionbank import api as bank
from recruitment import audit, signals
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Application, Position, Round
from recruitment.scores import Round1Result, Round2Score, round1_result, round2_score

from . import draw as drawing
from . import grading, stats
from .models import Attempt, AttemptAnswer, ExamTest, Form

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

    @property
    def difficulty_spread(self) -> float:
        return self.difficulty_max - self.difficulty_min


@dataclass(frozen=True)
class PaperItem:
    slot: int
    type: str
    stem_html: str
    options_html: list[str]  # displayed order; never the key


class BlueprintProblem(ValueError):
    pass


def cells_of(test: ExamTest) -> list[drawing.Cell]:
    return [drawing.Cell(c["topic"], int(c["difficulty"]), int(c["count"]), float(c.get("points", 1)))
            for c in json.loads(test.cells or "[]")]


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
        raise BlueprintProblem("the blueprint has no cell")
    rules = test.round.rules
    if test.kind == "round2_written":  # C2
        low, high = rules.computer_written_questions
        total = sum(c.count for c in cells)
        if not low <= total <= high:
            raise BlueprintProblem(f"a round-2 computer test has {low} to {high} questions, this one {total}")
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
        raise BlueprintProblem("activate the blueprint first (G1)")
    cells = cells_of(test)
    items, pool = pool_of(test)
    plan = drawing.Plan.build(pool, cells)
    target = drawing.target_difficulty(pool, cells)
    existing = {f.application_id: f for f in db.session.scalars(select(Form).filter_by(test_id=test_id))}
    applications = [a for a in candidates_for(test) if application_ids is None or a.id in application_ids]
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
        db.session.execute(insert(Form), rows)
        created = db.session.execute(select(Form.id, Form.application_id).where(
            Form.test_id == test.id, Form.application_id.in_([r["application_id"] for r in rows]))).all()
        db.session.execute(insert(Attempt), [{"form_id": fid, "test_id": test.id, "application_id": aid,
                                              "status": "not_started", "credited_minutes": 0} for fid, aid in created])
        bank.mark_versions_used(sorted(new_versions))
    report = fairness(test, pool)
    report.new_forms = len(rows)
    audit.record("forms_drawn", "exam_test", test.id, after={"new_forms": len(rows), "forms": report.forms,
                                                            "difficulty_spread": round(report.difficulty_spread, 4),
                                                            "neighbour_clashes": report.neighbour_clashes})
    return report


def fairness(test: ExamTest, pool: drawing.Pool | None = None) -> FairnessReport:
    if pool is None:
        _items, pool = pool_of(test)
    forms = db.session.execute(select(Form.version_ids, Form.option_perms, Form.draw_attempt)
                               .join(Application, Application.id == Form.application_id)
                               .where(Form.test_id == test.id).order_by(Application.candidate_number)).all()
    report = FairnessReport(forms=len(forms), questions=sum(c.count for c in cells_of(test)),
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
    _values, counts = np.unique(matrix, return_counts=True)
    report.max_exposure = float(counts.max()) / len(forms)
    report.neighbour_clashes = int((matrix[1:] == matrix[:-1]).any(axis=1).sum()) if len(forms) > 1 else 0
    report.redrawn = sum(1 for _v, _p, a in forms if a)
    return report


def candidate_paper(attempt_id: int) -> list[PaperItem]:
    attempt = db.session.get(Attempt, attempt_id)
    ids, perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
    contents = bank.contents([int(v) for v in ids])
    paper = []
    for slot, (vid, perm) in enumerate(zip(ids, perms, strict=True)):
        c = contents[int(vid)]
        options = [c.options_html[int(o)] for o in perm if o >= 0] if c.type != "fill" else []
        paper.append(PaperItem(slot, c.type, c.stem_html, options))
    return paper


def _keys(test: ExamTest, version_ids: set[int]) -> grading.Keys:
    neutral = {int(k): v for k, v in json.loads(test.neutralised or "{}").items()}
    return grading.Keys.build(bank.contents(sorted(version_ids)),
                              neutralised={v for v, extra in neutral.items() if not extra},
                              extra_correct={v: extra for v, extra in neutral.items() if extra})


def grade(attempt_ids: list[int]) -> None:
    """Grades submitted or collected attempts and writes the hub's score tables (source 'computer')."""
    attempts = []
    for chunk in range(0, len(attempt_ids), 900):
        attempts += db.session.scalars(select(Attempt).options(selectinload(Attempt.form))
                                       .where(Attempt.id.in_(attempt_ids[chunk:chunk + 900]))).all()
    by_test: dict[int, list[Attempt]] = {}
    for a in attempts:
        by_test.setdefault(a.test_id, []).append(a)
    for test_id, group in by_test.items():
        _grade_group(db.session.get(ExamTest, test_id), group)


def _grade_group(test: ExamTest, attempts: list[Attempt]) -> None:
    rules = test.round.rules
    gradable = [a for a in attempts if a.status in ("submitted", "collected")]
    for a in attempts:
        if a.status == "voided":
            _write_hub(test, a, None, None, voided=True)
    if not gradable:
        return
    unpacked = [drawing.unpack(a.form.version_ids, a.form.option_perms) for a in gradable]
    versions = np.stack([ids for ids, _p in unpacked])
    keys = _keys(test, set(np.unique(versions).tolist()))
    rows = np.searchsorted(np.array(sorted(keys.index)), versions)  # Keys rows follow sorted version ids
    perms = np.stack([p for _ids, p in unpacked]).astype(np.int64)
    choices = np.full(rows.shape, -1, dtype=np.int64)
    texts = {}
    position = {a.id: i for i, a in enumerate(gradable)}
    _read_answers(position, choices, texts)
    graded = grading.grade(rows, perms, choices, texts, keys)
    hub = _hub_rows(test, [a.application_id for a in attempts])
    for i, a in enumerate(gradable):
        before = {"correct": a.correct, "score": a.score, "passed": a.passed}
        count, score, passed = grading.outcome(graded.correct_count[i], rows.shape[1], graded.points[i],
                                               graded.max_points[i], rules, sanction=a.sanction,
                                               scale_to_100=test.scale_to_100, pass_fraction=test.pass_fraction)
        a.correct, a.points, a.score, a.passed, a.graded_at = count, Decimal(str(graded.points[i])), score, passed, utcnow()
        _write_hub(test, a, count, score, voided=a.sanction == rules.voiding_sanction, rows=hub)
        if before["correct"] is not None and before["correct"] != a.correct:
            audit.record("attempt_regraded", "exam_attempt", a.id, before=before,
                         after={"correct": a.correct, "score": a.score, "passed": a.passed})


def _read_answers(position: dict[int, int], choices: np.ndarray, texts: dict) -> None:
    """Fills the answer matrix from plain rows, vectorised (no ORM objects, no per-row Python work)."""
    ids = list(position)
    for chunk in range(0, len(ids), 5000):
        part = ids[chunk:chunk + 5000]
        rows = db.session.execute(
            select(AttemptAnswer.attempt_id, AttemptAnswer.slot, AttemptAnswer.choice, AttemptAnswer.text)
            .where(AttemptAnswer.attempt_id.in_(part))).all()
        if not rows:
            continue
        attempt_ids, slots, picked, written = zip(*rows, strict=True)
        at = np.array([position[a] for a in attempt_ids])
        chosen = np.array([-1 if c is None else c for c in picked])
        choices[at, np.array(slots)] = chosen
        texts.update({(position[a], s): t for a, s, t in zip(attempt_ids, slots, written, strict=True) if t})


def _part(test: ExamTest) -> str:
    return "language" if test.kind == "round1_language" else "general"


def _hub_rows(test: ExamTest, application_ids: list[int]) -> dict:
    """The score rows to write into, loaded in a few queries (not one per attempt)."""
    found = {}
    for chunk in range(0, len(application_ids), 900):
        ids = application_ids[chunk:chunk + 900]
        if test.kind == "round2_written":
            rows = db.session.scalars(select(Round2Score).where(Round2Score.application_id.in_(ids)))
        else:
            rows = db.session.scalars(select(Round1Result).where(Round1Result.application_id.in_(ids),
                                                                 Round1Result.part == _part(test)))
        found.update({r.application_id: r for r in rows})
    return found


def _write_hub(test: ExamTest, attempt: Attempt, count, score, *, voided: bool, rows: dict | None = None) -> None:
    rows = rows if rows is not None else _hub_rows(test, [attempt.application_id])
    row = rows.get(attempt.application_id)
    if test.kind in ("round1_general", "round1_language"):
        if row is None:
            row = rows[attempt.application_id] = Round1Result(application_id=attempt.application_id, part=_part(test))
            db.session.add(row)
        row.correct, row.total = count, sum(c.count for c in cells_of(test))
        row.absent, row.source = False, "computer"
        row.sanction, row.sanction_reason = attempt.sanction, attempt.sanction_reason
        if voided:
            row.sanction = test.round.rules.voiding_sanction
    else:
        if row is None:
            row = rows[attempt.application_id] = Round2Score(application_id=attempt.application_id)
            db.session.add(row)
        row.written, row.written_voided, row.written_absent, row.written_source = score, voided, False, "computer"


def mark_absent(test: ExamTest, attempt: Attempt) -> None:
    """An attempt never started when the sitting closed: absent in the hub."""
    if test.kind == "round2_written":
        s = round2_score(attempt.application_id)
        s.written, s.written_absent, s.written_source = None, True, "computer"
    else:
        result = round1_result(attempt.application_id, _part(test))
        result.correct, result.absent, result.source = None, True, "computer"
        result.total = sum(c.count for c in cells_of(test))


def neutralise(test_id: int, version_id: int, reason: str, correct_options: list[int] | None = None) -> int:
    """B7: every candidate who sat the question gets its point (or each listed option earns it);
    every affected attempt is re-graded and logged. Returns how many attempts changed."""
    test = db.session.get(ExamTest, test_id)
    neutral = json.loads(test.neutralised or "{}")
    before = dict(neutral)
    neutral[str(version_id)] = sorted(correct_options or [])
    test.neutralised = json.dumps(neutral)
    audit.record("question_neutralised", "exam_test", test.id, before=before, after=neutral, reason=reason)
    affected = []
    for attempt in db.session.scalars(select(Attempt).where(Attempt.test_id == test_id,
                                                            Attempt.status.in_(("submitted", "collected")))):
        ids, _p = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
        if version_id in set(int(v) for v in ids):
            affected.append(attempt)
    previous = {a.id: a.correct for a in affected}
    _grade_group(test, affected)
    changed = sum(1 for a in affected if a.correct != previous[a.id])
    signals.scores_changed.send(None, round_id=test.round_id, what=f"neutralised question version {version_id}")
    return changed


@dataclass
class ItemRow:
    version_id: int
    seen: int
    p_value: float
    discrimination: float
    options: list[int]  # bank-order counts, blanks last
    flag: str | None


def item_analysis(test_id: int, record: bool = True) -> tuple[list[ItemRow], float]:
    """Per question p-value, corrected point-biserial and option counts; the mean KR-20 of the forms."""
    test = db.session.get(ExamTest, test_id)
    attempts = list(db.session.scalars(select(Attempt).where(Attempt.test_id == test_id,
                                                             Attempt.status.in_(("submitted", "collected")))))
    if not attempts:
        return [], float("nan")
    unpacked = [drawing.unpack(a.form.version_ids, a.form.option_perms) for a in attempts]
    versions = sorted({int(v) for ids, _p in unpacked for v in ids})
    column = {v: i for i, v in enumerate(versions)}
    keys = _keys(test, set(versions))
    rows = np.stack([[keys.index[int(v)] for v in ids] for ids, _p in unpacked])
    perms = np.stack([p for _i, p in unpacked]).astype(np.int64)
    choices = np.full(rows.shape, -1, dtype=np.int64)
    texts, position = {}, {a.id: i for i, a in enumerate(attempts)}
    _read_answers(position, choices, texts)
    graded = grading.grade(rows, perms, choices, texts, keys)
    matrix = np.zeros((len(attempts), len(versions)))
    shown = np.zeros_like(matrix, dtype=bool)
    option_counts = np.zeros((len(versions), drawing.MAX_OPTIONS + 1), dtype=np.int64)
    for i, (ids, perm) in enumerate(unpacked):
        cols = [column[int(v)] for v in ids]
        matrix[i, cols] = graded.correct[i]
        shown[i, cols] = True
        for s, c in enumerate(cols):
            chosen = choices[i, s]
            option_counts[c, perm[s, chosen] if chosen >= 0 and perm[s, chosen] >= 0 else drawing.MAX_OPTIONS] += 1
    result = stats.item_statistics(matrix, shown)
    items = [ItemRow(v, int(result.seen[j]), float(result.p_value[j]), float(result.discrimination[j]),
                     option_counts[j].tolist(), stats.flag(float(result.p_value[j]), float(result.discrimination[j])))
             for j, v in enumerate(versions)]
    # Parallel forms: slot j of every form is one item of the same blueprint cell, so KR-20 over slots.
    reliability = stats.kr20(graded.correct.astype(float))
    if record:
        bank.record_item_statistics([bank.ItemStatistic(r.version_id, r.p_value,
                                                        None if np.isnan(r.discrimination) else r.discrimination, r.flag)
                                     for r in items])
    return items, reliability
