"""The candidate's way in on exam day: log-in with the candidate number and access code (item 3,
item 8, B4), one live session per attempt, and the start of the attempt."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from functools import cache

from flask import jsonify, request
from flask_babel import gettext as _
from sqlalchemy import bindparam, case, select
from sqlalchemy.orm import joinedload

from recruitment import audit_bulk, codes
from recruitment.database import write_columns
from recruitment.extensions import db
from recruitment.i18n import local_time
from recruitment.models import Application

from .. import recorded
from ..models import HANDED_IN, Attempt, ExamTest
from . import addresses
from .models import Placement, Seat, Sitting
from .proctoring import record
from .seating import Refused, deadline_of


class WrongCode(Refused):
    """A wrong candidate number or access code: the only refusal that counts towards a lock."""


def may_open(attempt: Attempt) -> bool:
    """Item 3: an attempt opens only for a candidate with no recorded result for its test, unless the
    council chair ordered a retake (B5: a retake's form)."""
    return attempt.form.retake > 0 or not recorded.recorded(attempt.form.test, attempt.application_id)


# --- the start of a sitting: what it reads, in one statement built once -------------------------
# The log-in, the exam page, the state and the paper load a placement with everything they read about
# it at once, so that the code after them issues no lazy load. The statements are built once per
# process: SQLAlchemy works out a statement's cache key once per statement object, and for these
# joined loads that cost about as much as running the query (the whole city logs in within a minute).
def everything_read() -> tuple:
    return (joinedload(Placement.attempt).joinedload(Attempt.application),
            joinedload(Placement.attempt).joinedload(Attempt.form),
            joinedload(Placement.sitting).joinedload(Sitting.test).joinedload(ExamTest.round),
            joinedload(Placement.seat).joinedload(Seat.room))


@cache
def placement_by_id():
    """Parameter: placement_id."""
    return select(Placement).options(*everything_read()).where(Placement.id == bindparam("placement_id"))


# A candidate may hold several placements at once: a round's two round-1 tests (L1; B8's language
# test) are sat in sittings of their own, each with its own access codes, and a retake's sitting
# (B5) may follow. The code says which one the candidate came for.
PLACEMENTS_AT_MOST = 20


@cache
def _placements_to_log_in():
    return (select(Placement).options(*everything_read()).join(Attempt, Attempt.id == Placement.attempt_id)
            .join(Application, Application.id == Attempt.application_id)
            .join(Sitting, Sitting.id == Placement.sitting_id)
            .where(Application.round_id == bindparam("round_id"), Application.candidate_number == bindparam("number"),
                   Sitting.ends_at > bindparam("since"))
            .order_by(case((Attempt.status == "voided", 1), else_=0), Sitting.starts_at.desc())
            .limit(PLACEMENTS_AT_MOST))
# ------------------------------------------------------------------------------------------------


def login(round_id: int, number: int, code: str, now: datetime, address: str | None = None) -> Placement:
    placements = db.session.scalars(_placements_to_log_in(),
                                    {"round_id": round_id, "number": number, "since": now - timedelta(hours=12)}).all()
    placement = next((p for p in placements if codes.matches(p.access_hash, code)), None)
    if placement is None:
        if any(codes.matches(old, code) for p in placements for old in p.old_access_hashes.split()):
            raise Refused(_("This access code was replaced by a new one (new admission tickets): ask the proctor."))
        raise WrongCode(_("wrong candidate number or access code"))
    attempt, sitting = placement.attempt, placement.sitting
    if attempt.application.status != "admitted":  # A4: rejected since it was seated
        raise Refused(_("Your application was rejected (A4): %(reason)s. You do not sit this test; ask the proctor.",
                        reason=attempt.application.reject_reason or ""))
    if not addresses.allowed(placement.seat.room, address):  # item 8: the room's computers only
        raise Refused(_("This computer is not one of your exam room's (%(room)s): sit at your seat %(seat)s or ask "
                        "the proctor.", room=placement.seat.room.name, seat=placement.seat.label))
    if attempt.sanction == sitting.test.round.rules.voiding_sanction:  # B6, before or during the test
        raise Refused(_("You were suspended from the test (B6): %(reason)s. Your test is void and is not graded.",
                        reason=attempt.sanction_reason or ""))
    if attempt.status == "voided":
        raise Refused(voided_message(attempt))
    if attempt.status in HANDED_IN:
        raise Refused(_("this test is already handed in"))
    if attempt.status == "not_started" and not may_open(attempt):
        raise Refused(_("Your result for this test is already recorded, so the test does not open again; ask the "
                        "proctor (only the council chair orders a retake, B5)."))
    if now >= deadline_of(attempt, sitting):
        raise Refused(_("the sitting is over"))
    limit = sitting.starts_at + timedelta(minutes=sitting.test.round.rules.late_entry_minutes(sitting.test.minutes))
    if attempt.status == "not_started" and now > limit and not placement.late_admitted:  # B4
        raise Refused(_("late entry is allowed until %(time)s; ask the proctor", time=local_time(limit).strftime("%H:%M")))
    return placement


def voided_message(attempt: Attempt) -> str:
    return _("Your test was voided by the council chair for a retake (B5): %(reason)s. You sit a new form at a "
             "later sitting, with a new access code; the answers of this one are set aside.",
             reason=attempt.void_reason or "")


def voided_answer(attempt: Attempt) -> dict:
    """The hand-in's answer to a page whose test was voided while it was open: no count to show, and
    what happens next."""
    return {"voided": True, "correct": None, "counted_text": "", "questions": None, "score": None, "passed": None,
            "score_text": "", "suspended": False, "message": voided_message(attempt)}


def superseded_message(status: str | None = None) -> str:
    """What a page whose session was ended is told, by the attempt's status: handed in or collected,
    the test is over (a tab left open); in progress, it goes on elsewhere (a new log-in, a seat move)."""
    if status in (*HANDED_IN, "voided"):  # as the log-in says of them
        return _("This test has been handed in: this page is closed and saves nothing more. Call the proctor "
                 "if this is not you.")
    return _("Your exam continues on another computer (a new log-in or a seat move); this page is closed. "
             "Nothing is lost: call the proctor if this is not you.")


def session_ended_message() -> str:
    return _("This page's session has ended: the test was handed in on another page, or you logged out. If "
             "your test is not handed in, log in again with your access code: nothing saved is lost.")


def refused_for_its_token(api_prefix: str):
    """A JSON call of the exam page (under api_prefix) refused for its CSRF token (registry.add_csrf_answer):
    the page stops and says what to do. A hand-in's answer may have been lost after the hand-in itself."""
    if not request.path.startswith(api_prefix):
        return None
    if request.endpoint == "exam_candidate.submit":
        message = _("This page's session has ended. If you had just handed in, your test is handed in: call the "
                    "proctor, who sees it on the console.")
    else:
        message = _("This page's session is no longer valid, so nothing was saved from it. Log in again (call the "
                    "proctor): every answer already saved is kept.")
    return jsonify({"error": message, "csrf": True, "superseded": True}), 400


def open_session(placement: Placement, address: str | None, now: datetime,
                 changes: list[audit_bulk.Change] | None = None) -> str:
    """One live session per attempt: a log-in ends the previous one (its next save gets 409), and a
    re-login is an incident the console shows with its time and both computers' addresses.
    changes: when given, the audit entry is added to it for the caller to append with others at once."""
    token = secrets.token_urlsafe(24)
    # A log-in is also a sighting (the console's "last seen"): one UPDATE of the placement, made only
    # if no other log-in wrote it since this one read it (two computers at the same moment): else it
    # is read again, and this log-in ends that one's session as a re-login. The last try writes
    # whatever the row holds: log-ins racing on and on must still go in.
    for tries_left in (2, 1, 0):
        ended = placement.session_token, placement.login_address, placement.login_at
        if write_columns(placement, where={"session_token": ended[0]} if tries_left else None, session_token=token,
                         login_at=now, login_address=address, last_seen=now):
            break
        # Its attempt too (the options it was loaded with load it again): handed in meanwhile, the
        # page, and no re-login, say so (tests/exam/day/test_sessions.py).
        db.session.refresh(placement)
    if ended[0] is not None and placement.attempt.status in ("not_started", "in_progress"):
        record(placement.attempt, "relogin",
               _("logged in again from %(new)s; the session from %(old)s (opened %(at)s) was ended",
                 new=address or "?", old=ended[1] or "?",
                 at=local_time(ended[2]).strftime("%H:%M:%S") if ended[2] else "?"), None)
    _audit(audit_bulk.Change("candidate_logged_in", "exam_attempt", placement.attempt_id, after={"address": address}),
           changes)
    return token


def _audit(change: audit_bulk.Change, changes: list[audit_bulk.Change] | None) -> None:
    if changes is None:
        audit_bulk.record_many((change,), 1)
    else:
        changes.append(change)


def end_session(placement: Placement, token: str | None) -> None:
    """Log-out: the session of that token ends on the server (a newer one elsewhere is left alone,
    even one written a moment ago by another worker). One UPDATE, not the unit of work's flush."""
    if token is not None and placement.session_token == token:
        write_columns(placement, where={"session_token": token}, session_token=None)


def begin(placement: Placement, now: datetime, changes: list[audit_bulk.Change] | None = None) -> None:
    """changes: as open_session's."""
    attempt = placement.attempt
    if attempt.status != "not_started":
        return
    if write_columns(attempt, where={"status": "not_started"}, status="in_progress", started_at=now,
                     deadline=deadline_of(attempt, placement.sitting)):
        _audit(audit_bulk.Change("attempt_started", "exam_attempt", attempt.id, after={"seat": placement.seat.label}),
               changes)
    else:
        db.session.refresh(attempt)  # begun by another log-in a moment before this one: its start stands
