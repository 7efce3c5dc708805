"""Exam-day sittings as the chair sets them up: seating (G3: spares kept free), access codes, the
staff check, opening with the sitting code, and the deadline every attempt of a sitting keeps (B4, B5).
The candidate's way in is exam/day/entry.py, saving answers autosave.py, handing in and collection
handing_in.py, the proctor's actions proctoring.py."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import audit, candidates, codes, errors
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Application, User
from recruitment.vietnamese import clean_spaces

from ..models import Attempt, ExamTest
from .models import Placement, Room, Seat, Sitting


class Refused(errors.Refused):
    """A step the rules do not allow; the message says why, in the user's language."""



@dataclass(frozen=True)
class RoomPlan:
    name: str
    seats: int
    spares: int


# G3: a room is a lab of computers; bounds that no real lab reaches, so that a typing slip (or a
# hostile form) cannot have the server add millions of seats.
MAX_ROOMS = 200
MAX_SEATS = 500
MAX_SPARES = 50
MAX_ROOM_NAME = 100  # Room.name's column


def parse_rooms(spec: str) -> list[RoomPlan]:
    """'A:20:2, B:20:2' -> rooms A and B with 20 seats and 2 spares each; every part is checked, and
    the refusal names the room."""
    plans: list[RoomPlan] = []
    parts = [p.strip() for p in spec.split(",") if p.strip()]
    if not parts:
        raise Refused(_("Give the rooms as NAME:SEATS:SPARES, separated by commas (e.g. P101:30:2)."))
    if len(parts) > MAX_ROOMS:
        raise Refused(_("A sitting has at most %(n)d rooms.", n=MAX_ROOMS))
    for part in parts:
        name, seats, spares = [*(x.strip() for x in part.split(":")), "0", "0"][:3]
        name = clean_spaces(name)  # one line, plain spaces (pasted from Word: no-break spaces): it names files
        shown = name[:20] or part[:20]
        if not name or len(name) > MAX_ROOM_NAME:
            raise Refused(_("Room %(room)s: a room's name has 1 to %(n)d characters.", room=shown, n=MAX_ROOM_NAME))
        if any(p.name == name for p in plans):
            raise Refused(_("Room %(room)s is named twice.", room=shown))
        if not all(n.isascii() and n.isdigit() and len(n) <= 6 for n in (seats, spares)):
            raise Refused(_("Room %(room)s: give the seats and the spares as whole numbers (NAME:SEATS:SPARES).",
                            room=shown))
        if not 1 <= int(seats) <= MAX_SEATS or int(spares) > MAX_SPARES:
            raise Refused(_("Room %(room)s: a room has 1 to %(seats)d seats and at most %(spares)d spares (G3).",
                            room=shown, seats=MAX_SEATS, spares=MAX_SPARES))
        plans.append(RoomPlan(name, int(seats), int(spares)))
    return plans


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
                                 access_hash=codes.keyed_hash(secrets.token_hex(8))))
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
    issued = {}
    placements = [only] if only is not None else db.session.scalars(
        select(Placement).options(db.joinedload(Placement.attempt).joinedload(Attempt.application))
        .filter_by(sitting_id=sitting.id)).all()
    for placement in placements:
        if only is not None or placement.attempt.status == "not_started":
            code = f"{secrets.randbelow(10**6):06d}"
            # the replaced code is kept (hashed) only to tell its holder to ask the proctor
            placement.old_access_hashes = " ".join([*placement.old_access_hashes.split(), placement.access_hash][-5:])
            placement.access_hash = codes.keyed_hash(code)
            issued[placement.id] = code
    # The accounts the log-ins will use, made now rather than by each log-in at the start (a peak).
    candidates.ensure_accounts(p.attempt.application for p in placements if p.id in issued)
    one = {"candidate_number": only.attempt.application.number_label, "seat": only.seat.label} if only is not None else {}
    audit.record("access_codes_issued", "exam_sitting", sitting.id, after={"count": len(issued), **one})
    return issued


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
        audit.record("sitting_opened", "exam_sitting", sitting.id, before={"opened_at": None},
                     after={"opened_at": sitting.opened_at})


def sitting_of(attempt: Attempt) -> Sitting:
    return db.session.scalar(select(Sitting).join(Placement, Placement.sitting_id == Sitting.id)
                             .where(Placement.attempt_id == attempt.id))


def deadline_of(attempt: Attempt, sitting: Sitting) -> datetime:
    """B4: the sitting's end for everyone, late or not; B5: plus the minutes a proctor credited."""
    return sitting.ends_at + timedelta(minutes=attempt.credited_minutes or 0)


def latest_deadline(attempt: Attempt, sitting: Sitting) -> datetime:
    """The latest the attempt's deadline can become: a proctor credits at most the test's length in
    all (B5). What is handed out for the whole test (the paper's image links) lasts until then."""
    still_creditable = sitting.test.minutes - (attempt.credited_minutes or 0)
    return deadline_of(attempt, sitting) + timedelta(minutes=max(0, still_creditable))
