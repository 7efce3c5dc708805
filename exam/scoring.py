"""Grading into the hub's score tables, and re-grading after a question is neutralised (B7): each test's attempts as arrays
graded at once, and one by one should that fail, so that an attempt that cannot be graded is reported
and never stops the others; results recorded otherwise are kept for the chair (exam/recorded.py)."""
from __future__ import annotations

import json
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import numpy as np
from flask import current_app
from sqlalchemy import bindparam, insert, inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from questionbank import api as bank
from recruitment import audit, audit_bulk
from recruitment.database import expire_loaded, loaded, run_core, take_written, update_rows, utcnow
from recruitment.extensions import db
from recruitment.scores import Round1Result, Round2Score

from . import draw as drawing
from . import grading, recorded
from .models import HANDED_IN, Attempt, AttemptAnswer, ExamTest, Form, absent


def cells_of(test: ExamTest) -> list[drawing.Cell]:
    return [drawing.Cell(c["topic"], int(c["difficulty"]), int(c["count"]), float(c.get("points", 1)))
            for c in json.loads(test.cells or "[]")]

def _keys(test: ExamTest, version_ids: set[int]) -> grading.Keys:
    neutral = {int(k): v for k, v in json.loads(test.neutralised or "{}").items()}
    return grading.Keys.build(bank.contents(sorted(version_ids)),
                              neutralised={v for v, extra in neutral.items() if not extra},
                              extra_keys={v: extra for v, extra in neutral.items() if extra})


GRADABLE = HANDED_IN
# What grading reads of an attempt and its form, one row each (no ORM objects: a test has thousands).
ATTEMPT_ROW = (Attempt.id, Attempt.test_id, Attempt.status, Attempt.started_at, Attempt.application_id,
               Attempt.sanction, Attempt.sanction_reason, Attempt.correct, Attempt.score, Attempt.passed,
               Form.version_ids, Form.option_perms, Form.retake)
AttemptRow = namedtuple("AttemptRow", [column.key for column in ATTEMPT_ROW])  # one made, not read (grading_ahead)
CHUNK = 900  # bound parameters per IN list, well under SQLite's limit


@dataclass
class Sheet:
    """The attempts of one test being graded, as arrays (no ORM objects: a test has thousands)."""
    ids: np.ndarray  # attempt ids
    application_ids: np.ndarray
    sanctions: list[str | None]
    sanction_reasons: list[str | None]
    before: list[tuple]  # (correct, score, passed) as stored, to log what a re-grade changes
    versions: np.ndarray  # [attempts, slots] version ids in slot order
    perms: np.ndarray  # [attempts, slots, MAX_OPTIONS] displayed -> bank option
    choices: np.ndarray  # [attempts, slots] displayed option chosen, -1 blank
    texts: dict  # (attempt row, slot) -> fill-in text


def _chunks(values: list) -> list[list]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)] or [[]]


def load_sheet(test: ExamTest, rows: list) -> Sheet:
    """rows: attempts with their forms, as attempt_rows reads them (ATTEMPT_ROW's columns, by name)."""
    versions = drawing.version_matrix([r.version_ids for r in rows])
    perms = drawing.perm_matrix([r.option_perms for r in rows])
    ids = np.array([r.id for r in rows], dtype=np.int64)
    sheet = Sheet(ids, np.array([r.application_id for r in rows], dtype=np.int64), [r.sanction for r in rows],
                  [r.sanction_reason for r in rows], [(r.correct, r.score, r.passed) for r in rows], versions, perms,
                  np.full(versions.shape, -1, dtype=np.int64), {})
    order = np.argsort(ids)
    choices, texts = _answers(test, ids)
    if choices:
        table = np.array(choices, dtype=np.int64)
        at = np.clip(np.searchsorted(ids[order], table[:, 0]), 0, len(ids) - 1)
        mine = ids[order][at] == table[:, 0]
        slot_ok = (table[:, 1] >= 0) & (table[:, 1] < versions.shape[1])
        keep = mine & slot_ok
        sheet.choices[order[at[keep]], table[keep, 1]] = table[keep, 2]
    where = {int(a): i for i, a in enumerate(ids)}
    for attempt_id, slot, text in texts:
        if attempt_id in where:
            sheet.texts[(where[attempt_id], slot)] = text
    return sheet


def _answers(test: ExamTest, ids: np.ndarray) -> tuple[list[tuple], list[tuple]]:
    """(attempt id, slot, choice) of the options chosen and (attempt id, slot, text) of the texts
    written. A hand-in, or a few attempts: their own answers only (not every answer of the sitting),
    in one statement built once. A whole test: one query over the test rather than IN lists of
    thousands of attempts (rows of other attempts drop out), its hundreds of thousands of choices as
    the driver's plain tuples."""
    if len(ids) <= CHUNK:
        rows = db.session.connection().execute(_answers_of(), {"ids": ids.tolist()}).all()
        return [(a, slot, choice) for a, slot, choice, _ in rows if choice is not None], \
            [(a, slot, text) for a, slot, _, text in rows if text]
    scope = (Attempt.id == AttemptAnswer.attempt_id, Attempt.test_id == test.id)
    choices = _plain_rows(select(AttemptAnswer.attempt_id, AttemptAnswer.slot, AttemptAnswer.choice)
                          .where(*scope, AttemptAnswer.choice.is_not(None)))
    texts = db.session.execute(select(AttemptAnswer.attempt_id, AttemptAnswer.slot, AttemptAnswer.text)
                               .where(*scope, AttemptAnswer.text.is_not(None), AttemptAnswer.text != "")).all()
    return choices, texts


@cache
def _answers_of():
    """Parameter: ids (expanding)."""
    return select(AttemptAnswer.attempt_id, AttemptAnswer.slot, AttemptAnswer.choice, AttemptAnswer.text).where(
        AttemptAnswer.attempt_id.in_(bindparam("ids", expanding=True)))


def _plain_rows(statement) -> list[tuple]:
    """The rows of a statement as the driver's plain tuples: hundreds of thousands of answers go
    straight into numpy without a Row object each (the statement's only parameters are integers)."""
    connection = db.session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def grade_sheet(test: ExamTest, sheet: Sheet) -> grading.Graded:
    keys = _keys(test, set(np.unique(sheet.versions).tolist()))
    rows = np.searchsorted(np.array(sorted(keys.index)), sheet.versions)  # Keys rows follow sorted version ids
    return grading.grade(rows, sheet.perms, sheet.choices, sheet.texts, keys)


@dataclass(frozen=True)
class GradingFailure:  # an attempt that could not be graded: left for the chair, never stopping the others
    attempt_id: int
    error: str


@dataclass
class GradeReport:
    failures: list[GradingFailure] = field(default_factory=list)
    held: list[int] = field(default_factory=list)  # graded, but a result recorded otherwise is kept (exam/recorded.py)


def grade(attempt_ids: list[int], entries: list[audit_bulk.Change] | None = None, ahead=None) -> GradeReport:
    """Grades submitted or collected attempts and writes the hub's score tables (source 'computer').
    A voided attempt scores nothing; one collected without ever being started is absent. Each test
    is graded in one go; should that fail, its attempts are graded one by one, so that one attempt
    that cannot be graded is returned as a failure and the others are graded all the same.
    entries: when given, the audit entries of the grading are added to it (those of what was rolled
    back are not), for the caller to append with its own at once (a hand-in's). ahead: a hand-in's
    grading worked out before the writers' queue (exam/grading_ahead.py), taken if it still fits."""
    found = []
    for chunk in _chunks(sorted(set(attempt_ids))):
        found += run_core(attempt_rows_by_id(), {"ids": chunk}).all()
    by_test: dict[int, list] = {}
    for row in found:
        by_test.setdefault(row.test_id, []).append(row)
    report = GradeReport()
    for test_id, rows in by_test.items():
        test = db.session.get(ExamTest, test_id)
        ahead = ahead if _neutralisations_as_loaded(test) else None  # else worked out with an older B7
        try:
            _grade_in_savepoint(test, rows, report, entries, ahead)
        except Exception:  # noqa: BLE001 -- whatever broke, the attempts are retried one by one below
            for row in rows:
                try:
                    _grade_in_savepoint(test, [row], report, entries)
                except Exception as error:  # noqa: BLE001 -- named in the failure, for the chair
                    current_app.logger.exception("attempt %s could not be graded", row.id)
                    report.failures.append(GradingFailure(row.id, f"{type(error).__name__}: {error}"))
            # A savepoint rolled back may have left loaded attempts showing what it wrote: read them again.
            expire_loaded(Attempt)
    expire_loaded(Round1Result, Round2Score)
    return report


def _neutralisations_as_loaded(test: ExamTest) -> bool:
    """B7: the test's neutralised questions as they stand in the writer's transaction, unchanged? Read FOR
    SHARE: a neutralisation (which re-grades only attempts handed in) waits for this commit on PostgreSQL."""
    current = run_core(_neutralised_now(), {"test_id": test.id}).scalar()
    if current == test.neutralised:
        return True
    set_committed_value(test, "neutralised", current)
    return False


@cache
def _neutralised_now():
    """Parameter: test_id. Built once: every hand-in asks, holding SQLite's one writer."""
    return select(ExamTest.neutralised).where(ExamTest.id == bindparam("test_id")).with_for_update(read=True)


def _grade_in_savepoint(test: ExamTest, rows: list, report: GradeReport, entries: list | None, ahead=None) -> None:
    """grade_rows, and the check of a grading worked out ahead, in a savepoint: what it holds and logs
    counts only if it succeeds (an error in the check is the attempt's grading failure)."""
    held, logged = [], None if entries is None else []
    with db.session.begin_nested():
        worked = ahead.worked if ahead is not None and ahead.fits(rows) else None
        grade_rows(test, rows, held=held, entries=logged, worked=worked)
    report.held += held
    if entries is not None:
        entries.extend(logged)


@cache
def attempt_rows_by_id():
    """Parameter: ids (expanding). Built once: every hand-in grades its attempt."""
    return select(*ATTEMPT_ROW).join(Form, Form.id == Attempt.form_id).where(
        Attempt.id.in_(bindparam("ids", expanding=True)))


def _held_otherwise(rows: list) -> list[Attempt]:
    """Attempts the session holds otherwise than grading read them (a sanction recorded since): read again."""
    stale = []
    for r in rows:
        if (attempt := loaded(Attempt, r.id)) is not None:
            held = inspect(attempt).dict
            if any(held.get(name, _UNREAD) != getattr(r, name) for name in _ATTEMPT_READ):
                stale.append(attempt)
    return stale


_ATTEMPT_READ = [column.key for column in ATTEMPT_ROW if column.class_ is Attempt]
_UNREAD = object()


def is_absent(row) -> bool:
    return absent(row.status, row.started_at)


@dataclass
class WorkedOut:
    """A grading worked out from its attempts' rows and answers, not yet written."""
    total: int  # questions of the test
    updates: list[dict]  # each attempt's graded columns, by id
    hub: dict[int, dict]  # by application: what the hub records
    changes: list[tuple]  # (attempt id, before, after) of a result a re-grade changes
    graded: int
    voided: int
    absent: int


def work_out(test: ExamTest, rows: list) -> WorkedOut:
    """Reads the answers and the keys and grades; writes nothing."""
    rules = test.round.rules
    voided = [r for r in rows if r.status == "voided"]
    absent = [r for r in rows if is_absent(r)]
    gradable = [r for r in rows if r.status in GRADABLE and not is_absent(r)]
    worked = WorkedOut(sum(c.count for c in cells_of(test)), [], {}, [], len(gradable), len(voided), len(absent))
    for r in voided + absent:  # B5: voided for a retake (the retake's attempt gives the result); never begun
        worked.updates.append({"id": r.id, "correct": None, "points": None, "score": None, "passed": False})
    for r in absent:  # one suspended before the start (B6) was there, and the test is void
        worked.hub[r.application_id] = ({"voided": True, "sanction": r.sanction, "reason": r.sanction_reason}
                                        if r.sanction == rules.voiding_sanction else {"absent": True})
    if gradable:
        graded = grade_sheet(test, load_sheet(test, gradable))
        for i, r in enumerate(gradable):
            count, score, passed = grading.outcome(graded.right_count[i], worked.total, graded.points[i],
                                                   graded.max_points[i], rules, sanction=r.sanction,
                                                   scale_to_100=test.scale_to_100, pass_fraction=test.pass_fraction)
            points = Decimal(str(round(float(graded.points[i]), 2)))
            worked.updates.append({"id": r.id, "correct": count, "points": points, "score": score, "passed": passed})
            suspended = r.sanction == rules.voiding_sanction  # B6: a suspension voids the test
            worked.hub[r.application_id] = {"voided": suspended, "sanction": r.sanction, "reason": r.sanction_reason,
                                            "count": count, "score": None if suspended else score}
            if r.correct is not None and (r.correct, r.score, r.passed) != (count, score, passed):
                worked.changes.append((r.id, {"correct": r.correct, "score": r.score, "passed": r.passed},
                                       {"correct": count, "score": score, "passed": passed}))
    return worked


def grade_rows(test: ExamTest, rows: list, reason: str | None = None, *, held: list | None = None,
               overwrite: bool = False, entries: list[audit_bulk.Change] | None = None,
               worked: WorkedOut | None = None) -> int:
    """held collects the attempts whose hub result was recorded otherwise and is kept; overwrite is
    the chair's replacement of it (replace_recorded_result); entries, as grade's; worked: these rows'
    grading worked out ahead (exam/grading_ahead.py), else it is worked out now."""
    def log(*change, **fields) -> None:
        if entries is None:
            audit.record(*change, **fields)
        else:
            entries.append(audit_bulk.Change(*change, **fields))

    worked = worked or work_out(test, rows)
    now = utcnow()  # graded when written, not when worked out (a hand-in's, before its wait in the queue)
    for values in worked.updates:
        values["graded_at"] = now
    if worked.updates:
        stale = _held_otherwise(rows)
        update_rows(Attempt, worked.updates)
        for attempt in stale:
            db.session.expire(attempt)
        read_again = {a.id for a in stale}
        take_written(Attempt, [u for u in worked.updates if u["id"] not in read_again])
    kept = _write_hub(test, worked.hub, worked.total, overwrite=overwrite)
    for r in rows:
        if r.application_id in kept and r.status != "voided":
            log("result_held", "exam_attempt", r.id, reason=reason,
                after={"recorded": recorded.snapshot(test, r.application_id), "graded": worked.hub.get(r.application_id)})
            if held is not None:
                held.append(r.id)
    for attempt_id, before, after in worked.changes:
        log("attempt_regraded", "exam_attempt", attempt_id, before=before, after=after, reason=reason)
    log("attempts_graded", "exam_test", test.id, reason=reason,
        after={"graded": worked.graded, "voided": worked.voided, "absent": worked.absent, "changed": len(worked.changes),
               "results": sorted([u["id"], u["correct"], u["score"], u["passed"]] for u in worked.updates)})
    return len(worked.changes)


def _write_hub(test: ExamTest, outcomes: dict[int, dict], total: int, overwrite: bool = False) -> set[int]:
    """Round1Result (B2, B6: the count before the sanction, the sanction beside it) or Round2Score.written
    (C2, C6: already scaled and rounded), in bulk: one insert and one update, not a query per attempt.
    A result recorded otherwise (imported, entered) is kept unless overwrite: returns those kept."""
    if not outcomes:
        return set()
    round1 = test.kind != "round2_written"
    model = Round1Result if round1 else Round2Score
    existing, kept = {}, set()
    for chunk in _chunks(list(outcomes)):
        for application_id, row_id, protected in recorded.hub_rows(test, chunk):
            existing[application_id] = row_id
            if protected and not overwrite:
                kept.add(application_id)
    outcomes = {a: o for a, o in outcomes.items() if a not in kept}
    new, changed, now = [], [], utcnow()
    for application_id, o in outcomes.items():
        if round1:
            values = {"correct": o.get("count"), "total": total, "absent": bool(o.get("absent")),
                      "sanction": None if o.get("absent") else o.get("sanction"),
                      "sanction_reason": None if o.get("absent") else o.get("reason"), "source": "computer"}
        else:
            values = {"written": o.get("score"), "written_absent": bool(o.get("absent")),
                      "written_voided": bool(o.get("voided")), "written_source": "computer"}
        values["updated_at"] = now
        if application_id in existing:
            changed.append({"id": existing[application_id], **values})
        else:
            new.append({"application_id": application_id, **({"part": recorded.part_of(test)} if round1 else {}), **values})
    if new:
        db.session.connection().execute(_insert_into(model.__table__), new)
    update_rows(model, changed)
    return kept


@cache
def _insert_into(table):
    return insert(table)


def replace_recorded_result(attempt: Attempt, reason: str) -> None:
    """The council chair replaces a result recorded otherwise (imported, entered) by this attempt's
    graded one: only with a reason, audited with the before and after; only before the results are
    published (E5: exam/day/sanctions.refuse_once_published, asked by the console's act)."""
    if not (reason or "").strip():
        raise ValueError("replacing a recorded result needs its reason")
    test = db.session.get(ExamTest, attempt.test_id)
    before = recorded.snapshot(test, attempt.application_id)
    grade_rows(test, [r for r in attempt_rows(test.id) if r.id == attempt.id], reason=reason.strip(), overwrite=True)
    db.session.flush()
    expire_loaded(Attempt, Round1Result, Round2Score)
    audit.record("round1_result_replaced" if test.kind != "round2_written" else "written_result_replaced",
                 "application", attempt.application_id, before=before,
                 after=recorded.snapshot(test, attempt.application_id), reason=reason.strip())


def mark_absent(test: ExamTest, attempts: list[Attempt]) -> None:
    """Attempts never started when the sitting closed: absent in the hub (exam day calls this), all
    of a test's at once (a sitting's absent candidates are collected together at its end)."""
    db.session.flush()
    _write_hub(test, {a.application_id: {"absent": True} for a in attempts}, sum(c.count for c in cells_of(test)))
    expire_loaded(Round1Result, Round2Score)


def attempt_rows(test_id: int, statuses=GRADABLE) -> list:
    return db.session.execute(
        select(*ATTEMPT_ROW)
        .join(Form, Form.id == Attempt.form_id).where(Attempt.test_id == test_id, Attempt.status.in_(statuses))
        .order_by(Attempt.id)).all()
