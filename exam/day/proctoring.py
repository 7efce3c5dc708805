"""The proctor's and the chair's actions on an attempt (B5, B6, item 3), each an incident the
console shows and the audit log keeps."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import audit, reasons
from recruitment.database import as_it_stands, utcnow
from recruitment.extensions import db
from recruitment.i18n import format_number, local_time
from recruitment.labels import label
from recruitment.models import User
from recruitment.scores import SANCTIONS

from .. import form_draws, recorded, scoring
from ..blueprint_checks import BlueprintProblem
from ..models import CLOSED_BY_SITTING, HANDED_IN, Attempt, ExamTest
from .models import Incident, Placement, Seat
from .sanctions import refuse_once_published
from .seating import Refused, deadline_of, sitting_of
from .standing import count_text, standing


def record(attempt: Attempt, kind: str, note: str, by: User | None, minutes: int = 0, before: dict | None = None,
           facts: dict | None = None) -> Incident:
    """facts: what the audit entry holds besides the note (its fields are labelled, the note is a person's words)."""
    incident = Incident(attempt_id=attempt.id, kind=kind, note=note, minutes=minutes, by_id=by.id if by else None)
    db.session.add(incident)
    audit.record(f"incident_{kind}", "exam_attempt", attempt.id, before=before,
                 after={**(facts or {}), "note": note, "minutes": minutes})
    return incident


def move_seat(placement: Placement, seat: Seat, reason: str, by: User) -> None:
    """B5: a failed computer; the candidate carries on at a spare with every saved answer."""
    if seat.room.sitting_id != placement.sitting_id:
        raise Refused(_("that seat is in another sitting"))
    if db.session.scalar(select(Placement).filter_by(seat_id=seat.id)) is not None:
        raise Refused(_("that seat is taken"))
    reasons.check(reason, Refused)  # each reason here is kept in the sitting's record and shown on the console
    if as_it_stands(placement.attempt).status not in ("not_started", "in_progress"):
        raise Refused(_("only a candidate whose test is not handed in moves to a spare (B5)"))
    old = placement.seat.label
    placement.seat_id = seat.id
    placement.session_token = None  # the old computer's session ends; the candidate logs in at the spare
    record(placement.attempt, "seat_moved", f"{old} -> {seat.room.name}-{seat.number:02d}: {reason}", by)


def credit_minutes(attempt: Attempt, minutes: int, reason: str, by: User) -> None:
    """B5: minutes lost to a machine failure, credited by the proctor: only while the test can still be
    sat, and never more in all than the test's own length (no failure loses more time than there was)."""
    check_credit(attempt, minutes, reason)
    before = {"credited_minutes": attempt.credited_minutes or 0, "deadline": attempt.deadline}
    attempt.credited_minutes = (attempt.credited_minutes or 0) + minutes
    if attempt.deadline is not None:
        attempt.deadline = attempt.deadline + timedelta(minutes=minutes)
    record(attempt, "time_credited", reason, by, minutes, before=before,
           facts={"credited_minutes": attempt.credited_minutes, "deadline": attempt.deadline})


def check_credit(attempt: Attempt, minutes: int, reason: str) -> None:
    """Refused: why these minutes cannot be credited (asked before the confirmation too)."""
    if minutes <= 0 or not reason.strip():
        raise Refused(_("give the minutes and the reason"))
    reasons.check(reason, Refused)
    if as_it_stands(attempt).status not in ("not_started", "in_progress"):
        raise Refused(_("time is credited only before hand-in: this test is already over (B5)"))
    # Past its deadline a test is collected (B4), by whatever request comes next: until then it still
    # reads in progress, and a credit would have opened it again.
    if utcnow() >= (attempt.deadline or deadline_of(attempt, sitting_of(attempt))):
        raise Refused(_("the time of this test is over: it is collected at its deadline (B4); only the council chair "
                        "can order a retake (B5)"))
    starts = sitting_of(attempt).starts_at
    if utcnow() < starts:  # the clock runs from the start (B4): before it no minute can be lost
        raise Refused(_("the sitting starts at %(time)s: no time is lost before it, so none is credited (B5)",
                        time=local_time(starts).strftime("%d/%m/%Y %H:%M")))
    length = db.session.get(ExamTest, attempt.test_id).minutes
    if (attempt.credited_minutes or 0) + minutes > length:
        raise Refused(_("at most %(minutes)d minutes can be credited in all, the length of the test (B5)",
                        minutes=length))


# A proctor records a sanction while the sitting lasts, and in the report written after the collection;
# later, the council chair does, from that report.
PROCTOR_REPORT_HOURS = timedelta(hours=2)
# ...and from when the room lets its candidates in (the identity check at the door), not days before.
ROOM_OPENS = timedelta(hours=1)


def sanction(attempt: Attempt, kind: str, reason: str, by: User) -> None:
    """B6: reprimand (-25%), warning (-50%), suspension (the test is void); recorded with its reason."""
    if kind not in SANCTIONS or not reason.strip():
        raise Refused(_("a sanction needs its kind and its reason (B6)"))
    reasons.check(reason, Refused)  # printed on the score slip and shown to the candidate
    refuse_once_published(attempt)
    as_it_stands(attempt)  # a hand-in in another worker may have committed since the console loaded it
    if attempt.sanction is not None and SANCTIONS.index(kind) <= SANCTIONS.index(attempt.sanction):
        # A lighter one over it would undo it (a suspension's void test graded): that is the chair's withdrawal.
        raise Refused(_("This candidate already has a %(sanction)s: a new sanction only makes it heavier; the council "
                        "chair withdraws one recorded in error (B6).", sanction=label(attempt.sanction, "sanction")))
    opens = sitting_of(attempt).starts_at - ROOM_OPENS
    if utcnow() < opens:
        raise Refused(_("A sanction is recorded from %(time)s, when the room lets its candidates in (B6).",
                        time=local_time(opens).strftime("%d/%m/%Y %H:%M")))
    if not by.has_role("council_chair"):
        closes = deadline_of(attempt, sitting_of(attempt)) + PROCTOR_REPORT_HOURS
        if utcnow() > closes:
            raise Refused(_("The proctors' sanctions of this sitting were due by %(time)s; after that the council "
                            "chair records one, from the proctors' report (B6).",
                            time=local_time(closes).strftime("%d/%m/%Y %H:%M")))
    before = {"sanction": attempt.sanction, "reason": attempt.sanction_reason} if attempt.sanction else None
    attempt.sanction, attempt.sanction_reason = kind, reason
    if kind == "suspension" and attempt.status in ("not_started", "in_progress"):
        # Over at once, begun or not (caught at the door): it never opens again, and its result is void.
        attempt.status, attempt.submitted_at = CLOSED_BY_SITTING, utcnow()
    record(attempt, "sanction", reason, by, before=before, facts={"sanction": kind})
    if attempt.status in HANDED_IN:
        scoring.grade([attempt.id])


def replace_result(attempt: Attempt, reason: str, by: User) -> None:
    """The council chair replaces a result recorded otherwise by the attempt's graded one (item 3)."""
    if not reason.strip():
        raise Refused(_("replacing a recorded result needs its reason"))
    reasons.check(reason, Refused)
    refuse_once_published(attempt)
    if as_it_stands(attempt).status not in HANDED_IN or attempt.correct is None:
        raise Refused(_("only a graded test can replace a recorded result"))
    scoring.replace_recorded_result(attempt, reason)
    record(attempt, "note", _("recorded result replaced by the graded test: %(reason)s", reason=reason), by)


def replacement_consequence(attempt: Attempt, reason: str) -> str:
    """What the confirmation names before the chair replaces a recorded result (item 3): the result that
    goes, the graded one that takes its place."""
    test = db.session.get(ExamTest, attempt.test_id)
    kept = recorded.snapshot(test, attempt.application_id) or {}
    if kept.get("absent") or kept.get("written_absent"):
        was = _("absent")
    elif "written" in kept:
        was = format_number(kept["written"], 2) if kept["written"] is not None else "—"
    else:
        was = f"{count_text(kept.get('correct')) or '—'} / {kept.get('total') or '—'}"
    graded = standing(attempt)
    return _("The result recorded for %(who)s (%(was)s, %(source)s) is replaced by this test's, %(now)s. The recorded "
             "result is not kept as the result. Reason: %(reason)s", who=attempt.application.full_name, was=was,
             source=label(kept.get("source") or "", "score_source"),
             now=f"{graded.counted_text or '—'} / {graded.total}", reason=reason)


def void_for_retake(attempt: Attempt, reason: str, by: User) -> Attempt:
    """B5: the council chair voids the attempt so that the candidate retakes the test: a new form is
    drawn for them at once, and the next sitting of the test seats them. Returns the new attempt."""
    reasons.check(reason, Refused)
    if as_it_stands(attempt).status not in ("not_started", "in_progress"):
        raise Refused(_("only a test not yet handed in can be voided for a retake"))
    attempt.status, attempt.void_reason = "voided", reason
    record(attempt, "voided", reason, by)
    try:
        return form_draws.draw_retake(attempt)
    except BlueprintProblem as short:  # G1: the bank cannot give the retake a whole form; nothing is voided
        raise Refused(str(short)) from short
