"""Exam-day rules on the database: seating, the candidate's log-in with an access code, lossless
autosave, submission, collection at the deadline, and the proctor's actions (B3-B6, G3)."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import case, select, update

from recruitment import audit, audit_bulk
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.i18n import local_time
from recruitment.models import Application, User

from .. import recorded, service
from ..models import Attempt, AttemptAnswer, ExamTest
from . import addresses
from .access_codes import code_hash, code_matches
from .models import Incident, Placement, Room, Seat, Sitting
from .save_statement import SAVE

SANCTIONS = ("reprimand", "warning", "suspension")  # B6


class Refused(ValueError):
    """A step the rules do not allow; the message says why, in the user's language."""


@dataclass(frozen=True)
class RoomPlan:
    name: str
    seats: int
    spares: int


def create_sitting(test: ExamTest, name: str, starts_at: datetime, ends_at: datetime, rooms: list[RoomPlan],
                   staff: dict[str, list[User]] | None = None) -> tuple[Sitting, str]:
    """Seats the candidates whose attempts are not yet placed, in candidate-number order (G3: spares
    kept free). Returns the sitting and its code (shown once, to the chair)."""
    code = secrets.token_hex(3).upper()
    sitting = Sitting(test_id=test.id, name=name, starts_at=starts_at, ends_at=ends_at)
    sitting.set_code(code)
    db.session.add(sitting)
    db.session.flush()
    seats = []
    for plan in rooms:
        room = Room(sitting_id=sitting.id, name=plan.name)
        room.staff = list((staff or {}).get(plan.name, []))
        db.session.add(room)
        db.session.flush()
        for number in range(1, plan.seats + plan.spares + 1):
            seat = Seat(room_id=room.id, number=number, spare=number > plan.seats)
            db.session.add(seat)
            if not seat.spare:
                seats.append(seat)
    db.session.flush()
    placed = select(Placement.attempt_id)
    attempts = db.session.scalars(
        select(Attempt).join(Application, Application.id == Attempt.application_id)
        .where(Attempt.test_id == test.id, Attempt.status == "not_started", Attempt.id.not_in(placed))
        .order_by(Application.candidate_number).limit(len(seats))).all()
    for attempt, seat in zip(attempts, seats, strict=False):
        db.session.add(Placement(sitting_id=sitting.id, attempt_id=attempt.id, seat_id=seat.id,
                                 access_hash=code_hash(secrets.token_hex(8))))
        attempt.deadline = ends_at
    audit.record("sitting_created", "exam_sitting", sitting.id,
                 after={"test": test.id, "starts_at": starts_at, "ends_at": ends_at, "placed": len(attempts),
                        "rooms": [r.name for r in rooms]})
    return sitting, code


def issue_access_codes(sitting: Sitting, only: Placement | None = None) -> dict[int, str]:
    """New one-time access codes for every candidate who has not started, or for one candidate who
    lost their ticket (placement id -> code); the old ones stop working. Only hashes are kept."""
    if only is not None and (only.sitting_id != sitting.id or only.attempt.status not in ("not_started", "in_progress")):
        raise Refused(_("a new access code is only for a candidate of this sitting whose test is not handed in"))
    codes = {}
    placements = [only] if only is not None else db.session.scalars(select(Placement).filter_by(sitting_id=sitting.id))
    for placement in placements:
        if only is not None or placement.attempt.status == "not_started":
            code = f"{secrets.randbelow(10**6):06d}"
            # the replaced code is kept (hashed) only to tell its holder to ask the proctor
            placement.old_access_hashes = " ".join([*placement.old_access_hashes.split(), placement.access_hash][-5:])
            placement.access_hash = code_hash(code)
            codes[placement.id] = code
    audit.record("access_codes_issued", "exam_sitting", sitting.id,
                 after={"count": len(codes), **({"placement": only.id} if only is not None else {})})
    return codes


def staff_problems(sitting: Sitting, rules) -> list[str]:
    """G3: at least 2 proctors and 1 technician per room."""
    problems = []
    for room in sitting.rooms:
        roles = [u.role_names for u in room.staff]
        if sum("proctor" in r for r in roles) < rules.min_proctors_per_room:
            problems.append(_("room %(room)s has fewer than %(n)d proctors (G3)", room=room.name, n=rules.min_proctors_per_room))
        if sum("technician" in r for r in roles) < rules.min_technicians_per_room:
            problems.append(_("room %(room)s has no technician (G3)", room=room.name))
    return problems


def open_sitting(sitting: Sitting, code: str) -> None:
    if not sitting.check_code(code):
        raise Refused(_("wrong sitting code"))
    if sitting.opened_at is None:
        sitting.opened_at = utcnow()
        audit.record("sitting_opened", "exam_sitting", sitting.id)


def deadline_of(attempt: Attempt, sitting: Sitting) -> datetime:
    """B4: the sitting's end for everyone, late or not; B5: plus the minutes a proctor credited."""
    return sitting.ends_at + timedelta(minutes=attempt.credited_minutes or 0)


class WrongCode(Refused):
    """A wrong candidate number or access code: the only refusal that counts towards a lock."""


def may_open(attempt: Attempt) -> bool:
    """Item 3: an attempt opens only for a candidate with no recorded result for its test, unless the
    council chair ordered a retake (B5: a retake's form)."""
    return attempt.form.retake > 0 or not recorded.recorded(attempt.form.test, attempt.application_id)


def login(round_id: int, number: int, code: str, now: datetime, address: str | None = None,
          load: tuple = ()) -> Placement:
    """load: loader options for the placement (the log-in view brings in what it reads next)."""
    placement = db.session.scalar(
        select(Placement).options(*load).join(Attempt, Attempt.id == Placement.attempt_id)
        .join(Application, Application.id == Attempt.application_id)
        .join(Sitting, Sitting.id == Placement.sitting_id)
        .where(Application.round_id == round_id, Application.candidate_number == number,
               Sitting.ends_at > now - timedelta(hours=12))
        .order_by(case((Attempt.status == "voided", 1), else_=0), Sitting.starts_at.desc()).limit(1))
    if placement is not None and not code_matches(placement.access_hash, code) and any(
            code_matches(old, code) for old in placement.old_access_hashes.split()):
        raise Refused(_("This access code was replaced by a new one (new admission tickets): ask the proctor."))
    if placement is None or not code_matches(placement.access_hash, code):
        raise WrongCode(_("wrong candidate number or access code"))
    attempt, sitting = placement.attempt, placement.sitting
    if not addresses.allowed(placement.seat.room, address):  # item 8: the room's computers only
        raise Refused(_("This computer is not one of your exam room's (%(room)s): sit at your seat %(seat)s or ask "
                        "the proctor.", room=placement.seat.room.name, seat=placement.seat.label))
    if attempt.status in ("submitted", "collected", "voided"):
        raise Refused(_("this test is already handed in"))
    if attempt.status == "not_started" and not may_open(attempt):
        raise Refused(_("Your result for this test is already recorded, so the test does not open again; ask the "
                        "proctor (only the council chair orders a retake, B5)."))
    if now >= deadline_of(attempt, sitting):
        raise Refused(_("the sitting is over"))
    limit = sitting.starts_at + timedelta(minutes=sitting.test.round.rules.late_entry_minutes(sitting.test.minutes))
    if attempt.status == "not_started" and now > limit and not placement.late_admitted:  # B4
        raise Refused(_("late entry is allowed until %(time)s; ask the proctor", time=limit.strftime("%H:%M")))
    return placement


def superseded_message() -> str:
    return _("Your exam continues on another computer (a new log-in or a seat move); this page is closed. "
             "Nothing is lost: call the proctor if this is not you.")


def open_session(placement: Placement, address: str | None, now: datetime) -> str:
    """One live session per attempt: a log-in ends the previous one (its next save gets 409), and a
    re-login is an incident the console shows with its time and both computers' addresses."""
    if placement.session_token is not None and placement.attempt.status in ("not_started", "in_progress"):
        record(placement.attempt, "relogin",
               _("logged in again from %(new)s; the session from %(old)s (opened %(at)s) was ended",
                 new=address or "?", old=placement.login_address or "?",
                 at=local_time(placement.login_at).strftime("%H:%M:%S") if placement.login_at else "?"), None)
    token = secrets.token_urlsafe(24)
    placement.session_token, placement.login_at, placement.login_address = token, now, address
    audit.record("candidate_logged_in", "exam_attempt", placement.attempt_id, after={"address": address})
    return token


def end_session(placement: Placement, token: str | None) -> None:
    """Log-out: the session of that token ends on the server (a newer one elsewhere is left alone)."""
    if token is not None and placement.session_token == token:
        placement.session_token = None


def begin(placement: Placement, now: datetime) -> None:
    attempt = placement.attempt
    if attempt.status == "not_started":
        attempt.status, attempt.started_at = "in_progress", now
        attempt.deadline = deadline_of(attempt, placement.sitting)
        audit.record("attempt_started", "exam_attempt", attempt.id, after={"seat": placement.seat.label})


@dataclass(frozen=True)
class Ack:
    slot: int
    seq: int
    stored_seq: int  # the sequence number the database holds for the slot after this save


class Superseded(Refused):
    """The attempt was opened again on another computer (a new log-in, a seat move) or logged out."""


def save_answer(attempt_id: int, application_id: int, slot: int, seq: int, now: datetime, *, token: str | None,
                choice: int | None = None, text: str | None = None, flagged: bool = False) -> Ack:
    """Idempotent and ordered: the row changes only when seq is newer than what is stored, so a
    late-arriving older save never overwrites a newer one and a repeated save is harmless. The
    caller acknowledges to the candidate only after commit.

    One statement stores the save and checks the attempt at once (save_statement.SAVE): a save racing
    with collection either lands before it or is refused, and the hot path costs no extra query.
    Only when it stored nothing is there a second look, to say why."""
    if db.session.execute(SAVE, {"attempt": attempt_id, "application": application_id, "slot": slot, "seq": seq,
                                  "now": now, "choice": choice, "text": (text or None) and text[:500],
                                  "flagged": flagged, "token": token}).first():
        return Ack(slot, seq, seq)
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.application_id != application_id:
        raise Refused(_("this is not your test"))
    live = db.session.scalar(select(Placement.session_token).filter_by(attempt_id=attempt_id))
    if token is None or live != token:
        raise Superseded(superseded_message())
    if attempt.status != "in_progress":
        raise Refused(_("this test is not in progress"))
    if attempt.deadline is None or now >= attempt.deadline:
        raise Refused(_("time is up: the answer was not saved"))
    if not 0 <= slot < len(attempt.form.version_ids) // 4:
        raise Refused(_("no such question"))
    stored = db.session.scalar(select(AttemptAnswer.seq).filter_by(attempt_id=attempt_id, slot=slot))
    if stored is not None and stored >= seq:
        return Ack(slot, seq, stored)  # already as new or newer: nothing to do
    raise Refused(_("the answer could not be saved; it will be sent again"))


class HandedIn(Refused):
    """The attempt is no longer in progress: handed in, or collected by another worker's collection at
    the deadline a moment before. The attempt (refreshed) holds its final state, which is the answer."""


def submit(attempt: Attempt, now: datetime, *, collected: bool = False) -> list[service.GradingFailure]:
    """B3: handed in by the candidate or collected at the deadline (B4: a hand-in at or after the
    deadline is the collection); graded at once. An attempt that cannot be graded stays handed in and
    becomes an incident for the chair (returned). The attempt is claimed by one conditional UPDATE,
    so of a hand-in and the collections of every other worker racing it exactly one hands it in; the
    others get HandedIn with the attempt refreshed, never a second hand-in over the first."""
    if attempt.status != "in_progress":
        raise HandedIn(_("this test is not in progress"))
    collected = collected or (attempt.deadline is not None and attempt.deadline <= now)
    status = "collected" if collected else "submitted"
    db.session.flush()
    claimed = db.session.execute(update(Attempt).where(Attempt.id == attempt.id, Attempt.status == "in_progress")
                                 .values(status=status, submitted_at=now)
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.refresh(attempt)
    if not claimed:
        raise HandedIn(_("this test is not in progress"))
    failures = _grade_or_report([attempt])
    audit.record("attempt_collected" if collected else "attempt_submitted", "exam_attempt", attempt.id,
                 after={"correct": attempt.correct, "score": attempt.score, "passed": attempt.passed})
    return failures


def _grade_or_report(attempts: list[Attempt]) -> list[service.GradingFailure]:
    """Grades; what cannot be graded, or meets a result recorded otherwise, is an incident for the chair."""
    report = service.grade([a.id for a in attempts])
    by_id = {a.id: a for a in attempts}
    for failure in report.failures:
        record(by_id[failure.attempt_id], "grading_failed",
               _("could not be graded, the chair re-grades it (flask exam grade): %(error)s", error=failure.error), None)
    for attempt_id in report.held:
        attempt = by_id[attempt_id]
        record(attempt, "result_held",
               _("graded %(correct)s correct, but a result recorded otherwise (imported or entered) is kept; only the "
                 "council chair replaces it, with a reason", correct=attempt.correct), None)
    return report.failures


@dataclass
class Collection:
    count: int = 0  # attempts collected, graded or not, and candidates recorded absent
    failed: list[service.GradingFailure] = field(default_factory=list)


CLAIM_CHUNK = 500  # ids per statement, well under every engine's limit on bound parameters


def _claim_overdue(now: datetime) -> list[Attempt]:
    """The overdue attempts this transaction collects, and no other: on PostgreSQL the rows another
    worker's collection or a hand-in holds are skipped (that worker hands them in; nobody waits on
    anybody, so two collections never deadlock), and on every engine the UPDATE takes only attempts
    still in progress, so one collected or handed in meanwhile is never handed in a second time."""
    ids = db.session.scalars(select(Attempt.id).where(Attempt.status == "in_progress", Attempt.deadline <= now)
                             .order_by(Attempt.id).with_for_update(skip_locked=True)).all()
    claimed: list[int] = []
    for start in range(0, len(ids), CLAIM_CHUNK):
        chunk = ids[start:start + CLAIM_CHUNK]
        claimed += db.session.scalars(update(Attempt).where(Attempt.id.in_(chunk), Attempt.status == "in_progress")
                                      .values(status="collected", submitted_at=now).returning(Attempt.id)
                                      .execution_options(synchronize_session=False)).all()
    overdue: list[Attempt] = []
    for start in range(0, len(claimed), CLAIM_CHUNK):
        overdue += db.session.scalars(select(Attempt).where(Attempt.id.in_(claimed[start:start + CLAIM_CHUNK]))
                                      .execution_options(populate_existing=True)).all()
    return overdue


def collect_overdue(now: datetime) -> Collection:
    """Collects every attempt whose deadline has passed, browser or not (B4); candidates who never
    started a sitting that is over are recorded absent. Safe to call from any worker, any time: the
    attempts are graded together, and one that cannot be graded is reported, never raised."""
    result = Collection()
    overdue = _claim_overdue(now)
    if overdue:
        result.failed = _grade_or_report(overdue)
        # One chained entry each, appended together (a whole sitting may be collected at once).
        audit_bulk.record_many((audit_bulk.Change("attempt_collected", "exam_attempt", attempt.id, after={
            "correct": attempt.correct, "score": attempt.score, "passed": attempt.passed}) for attempt in overdue),
            len(overdue))
        result.count += len(overdue)
    over = select(Placement.attempt_id).join(Sitting, Sitting.id == Placement.sitting_id).where(Sitting.ends_at <= now)
    absent = db.session.scalars(select(Attempt).where(Attempt.status == "not_started", Attempt.id.in_(over))).all()
    if absent:
        by_test: dict[int, list[Attempt]] = {}
        for attempt in absent:
            attempt.status = "collected"
            by_test.setdefault(attempt.test_id, []).append(attempt)
        for test_id, attempts in by_test.items():
            service.mark_absent(db.session.get(ExamTest, test_id), attempts)
        audit_bulk.record_many((audit_bulk.Change("attempt_absent", "exam_attempt", a.id) for a in absent), len(absent))
        result.count += len(absent)
    return result


def record(attempt: Attempt, kind: str, note: str, by: User | None, minutes: int = 0) -> Incident:
    incident = Incident(attempt_id=attempt.id, kind=kind, note=note, minutes=minutes, by_id=by.id if by else None)
    db.session.add(incident)
    audit.record(f"incident_{kind}", "exam_attempt", attempt.id, after={"note": note, "minutes": minutes})
    return incident


def move_seat(placement: Placement, seat: Seat, reason: str, by: User) -> None:
    """B5: a failed computer; the candidate carries on at a spare with every saved answer."""
    if seat.room.sitting_id != placement.sitting_id:
        raise Refused(_("that seat is in another sitting"))
    if db.session.scalar(select(Placement).filter_by(seat_id=seat.id)) is not None:
        raise Refused(_("that seat is taken"))
    old = placement.seat.label
    placement.seat_id = seat.id
    placement.session_token = None  # the old computer's session ends; the candidate logs in at the spare
    record(placement.attempt, "seat_moved", f"{old} -> {seat.room.name}-{seat.number:02d}: {reason}", by)


def credit_minutes(attempt: Attempt, minutes: int, reason: str, by: User) -> None:
    """B5: minutes lost to a machine failure, credited by the proctor."""
    if minutes <= 0 or not reason.strip():
        raise Refused(_("give the minutes and the reason"))
    attempt.credited_minutes = (attempt.credited_minutes or 0) + minutes
    if attempt.deadline is not None:
        attempt.deadline = attempt.deadline + timedelta(minutes=minutes)
    record(attempt, "time_credited", reason, by, minutes)


def sanction(attempt: Attempt, kind: str, reason: str, by: User) -> None:
    """B6: reprimand (-25%), warning (-50%), suspension (the test is void); recorded with its reason."""
    if kind not in SANCTIONS or not reason.strip():
        raise Refused(_("a sanction needs its kind and its reason (B6)"))
    attempt.sanction, attempt.sanction_reason = kind, reason
    if kind == "suspension" and attempt.status == "in_progress":
        attempt.status, attempt.submitted_at = "collected", utcnow()
    record(attempt, "sanction", f"{kind}: {reason}", by)
    if attempt.status in ("submitted", "collected"):
        service.grade([attempt.id])


def replace_result(attempt: Attempt, reason: str, by: User) -> None:
    """The council chair replaces a result recorded otherwise by the attempt's graded one (item 3)."""
    if not reason.strip():
        raise Refused(_("replacing a recorded result needs its reason"))
    if attempt.status not in ("submitted", "collected") or attempt.correct is None:
        raise Refused(_("only a graded test can replace a recorded result"))
    service.replace_recorded_result(attempt, reason)
    record(attempt, "note", _("recorded result replaced by the graded test: %(reason)s", reason=reason), by)


def void_for_retake(attempt: Attempt, reason: str, by: User) -> Attempt:
    """B5: the council chair voids the attempt so that the candidate retakes the test: a new form is
    drawn for them at once, and the next sitting of the test seats them. Returns the new attempt."""
    if attempt.status not in ("not_started", "in_progress"):
        raise Refused(_("only a test not yet handed in can be voided for a retake"))
    attempt.status, attempt.void_reason = "voided", reason
    record(attempt, "voided", reason, by)
    return service.draw_retake(attempt)
