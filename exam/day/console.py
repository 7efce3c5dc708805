"""The staff's side of exam day: sittings with rooms and seats, admission tickets, the proctor
console (open, admit late, move a seat, credit time, sanction, void), and the papers after the
sitting (room result list for signatures, G4, and score slips). Every action is audited."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from recruitment import reasons
from recruitment.access import roles
from recruitment.actions import ask_confirmation, committed, confirmed, second_step
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.forms import ConfirmForm
from recruitment.i18n import local_time, stored_utc, typed_moment
from recruitment.labels import label
from recruitment.models import User
from recruitment.photos import photo_of, with_photos
from recruitment.scores import SANCTIONS
from recruitment.tabular import length_of
from recruitment.url_ids import database_id
from recruitment.views.photos import photo_response

from ..models import Attempt, AttemptAnswer, ExamTest
from . import addresses, board, handing_in, late_entry, lockouts, papers, proctoring, sanctions, seating
from .models import Incident, Placement, Room, Seat, Sitting
from .standing import standing

bp = Blueprint("exam_day", __name__, url_prefix="/exam/sittings")
STAFF = ("proctor", "technician", "council_chair", "hr")
ACTORS = ("proctor", "council_chair")


# The chair, HR and the supervisor (G6, reading) oversee every room; a proctor or technician acts on
# and reads the rooms they are staff of (G3), never another room's seats, codes or results.
OVERSEERS = frozenset({"council_chair", "hr", "supervisor"})


def staffs(room: Room) -> bool:
    return any(u.id == current_user.id for u in room.staff)


def _room(room: Room) -> Room:
    if not current_user.role_names & OVERSEERS and not staffs(room):
        abort(403)
    return room


def _sitting(sitting_id: int) -> Sitting:
    sitting = db.get_or_404(Sitting, sitting_id)
    if not current_user.role_names & OVERSEERS and not any(staffs(room) for room in sitting.rooms):
        abort(403)
    return sitting


def _placement(placement_id: int) -> Placement:
    placement = db.get_or_404(Placement, placement_id)
    _room(placement.seat.room)
    return placement


@bp.route("/")
@roles(*STAFF)
def index():
    sittings = db.session.scalars(select(Sitting).order_by(Sitting.starts_at.desc())).all()
    tests = db.session.scalars(select(ExamTest).filter_by(status="active")).all()
    return render_template("exam/day/sittings.html", sittings=sittings, tests=tests, confirm=ConfirmForm(),
                           now=utcnow())


@bp.route("/new", methods=["POST"])
@roles("council_chair", "hr")
def create():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    test = db.get_or_404(ExamTest, request.form.get("test_id", type=database_id) or 0)
    try:
        starts = typed_moment(request.form["starts_at"])
    except (KeyError, ValueError):
        flash(_("Give the start as a date and time, and the rooms as NAME:SEATS:SPARES, separated by commas."), "danger")
        return redirect(url_for("exam_day.index"))
    try:
        plans = seating.parse_rooms(request.form.get("rooms", ""))
    except seating.Refused as refused:
        flash(str(refused), "danger")
        return redirect(url_for("exam_day.index"))
    starts_utc = stored_utc(starts)  # entered in the configured time zone (Vietnam's), stored in UTC
    name = (request.form.get("name") or "").strip() or test.title
    if starts_utc <= utcnow():
        # B4: the clock runs from the start, and the first look after the end records every seated
        # candidate absent; a sitting typed into the past would cost its candidates their test.
        flash(_("The start %(start)s has already passed: a sitting is created before it starts.",
                start=starts.strftime("%d/%m/%Y %H:%M")), "danger")
        return redirect(url_for("exam_day.index"))
    if len(name) > length_of(Sitting.name):
        flash(_("A sitting's name has at most %(n)d characters.", n=length_of(Sitting.name)), "danger")
        return redirect(url_for("exam_day.index"))
    sitting, code = seating.create_sitting(test, name, starts_utc,
                                         starts_utc + timedelta(minutes=test.minutes), plans)
    db.session.commit()
    flash(_("Sitting created. Its code, for the proctors to open it: %(code)s", code=code), "success")
    return redirect(url_for("exam_day.console", sitting_id=sitting.id))


@bp.route("/<int:sitting_id>")
@roles(*STAFF)
def console(sitting_id: int):
    sitting = _sitting(sitting_id)
    now = utcnow()
    if handing_in.collect_overdue(now).count:
        db.session.commit()
    # A proctor or technician reads the rooms they staff (their candidates, addresses, counts); an overseer, all.
    rooms = sitting.rooms if current_user.role_names & OVERSEERS else [r for r in sitting.rooms if staffs(r)]
    placements = db.session.scalars(select(Placement).join(Seat, Seat.id == Placement.seat_id).where(
        Placement.sitting_id == sitting_id, Seat.room_id.in_([r.id for r in rooms]))).all()
    answered = dict(db.session.execute(
        select(AttemptAnswer.attempt_id, func.count()).where(
            AttemptAnswer.attempt_id.in_([p.attempt_id for p in placements]),
            (AttemptAnswer.choice.is_not(None)) | (AttemptAnswer.text.is_not(None)))
        .group_by(AttemptAnswer.attempt_id)).all())
    notes: dict[str, dict[int, list[Incident]]] = {"relogin": {}, "result_held": {}, "grading_failed": {}}
    for incident in db.session.scalars(select(Incident).where(
            Incident.kind.in_(notes), Incident.attempt_id.in_([p.attempt_id for p in placements])).order_by(Incident.at)):
        notes[incident.kind].setdefault(incident.attempt_id, []).append(incident)
    by_seat = {p.seat_id: p for p in placements}
    spares = [s for room in rooms for s in room.seats if s.spare and s.id not in by_seat]
    return render_template("exam/day/console.html", sitting=sitting, rooms=rooms, by_seat=by_seat, answered=answered, now=now,
                           spares=spares, confirm=ConfirmForm(), deadline_of=seating.deadline_of, standing=standing,
                           notes=notes, locked=lockouts.locked_numbers(current_app.config, sitting.test.round_id),
                           staff_problems=seating.staff_problems(sitting, sitting.test.round.rules),
                           board_code=board.board_code(sitting.id), may_see_photos=may_see_photos,
                           photos=with_photos([p.attempt.application_id for p in placements]))


def _act(sitting_id: int, action, done: str):
    """Every action answers with what was done and to whom, not a bare 'done'."""
    return confirmed(action, seating.Refused, url_for("exam_day.console", sitting_id=sitting_id), done=done)


def _allowed(check) -> bool:
    """Whether an act's own checks let it through: a refused one goes straight to the act, which
    says why, rather than to a confirmation first."""
    try:
        check()
    except seating.Refused:
        return False
    return True


def _confirmation(sitting_id: int, title: str, consequence: str, button: str, fields: dict[str, str]):
    return ask_confirmation(title, consequence, button, fields, url_for("exam_day.console", sitting_id=sitting_id))



@bp.route("/<int:sitting_id>/open", methods=["POST"])
@roles(*ACTORS)
def open_sitting(sitting_id: int):
    sitting = _sitting(sitting_id)
    return _act(sitting_id, lambda: seating.open_sitting(sitting, request.form.get("code", "")),
                _("Sitting opened: the candidates can start."))


@bp.route("/rooms/<int:room_id>/addresses", methods=["POST"])
@roles("council_chair", "hr", "technician")
def room_addresses(room_id: int):
    """Item 8: the room's computers' networks; empty for any computer."""
    room = _room(db.get_or_404(Room, room_id))
    return confirmed(lambda: addresses.set_range(room, request.form.get("address_range", "")),
                     (seating.Refused, addresses.BadRange), url_for("exam_day.console", sitting_id=room.sitting_id))


@bp.route("/placements/<int:placement_id>/admit", methods=["POST"])
@roles(*ACTORS)
def admit_late(placement_id: int):
    placement = _placement(placement_id)
    try:  # the time the proctor saw the candidate arrive, on the room's clock, on the sitting's day
        typed = datetime.strptime(request.form.get("arrived_at", ""), "%H:%M").time()
    except ValueError:
        flash(_("Give the time the candidate arrived (hh:mm)."), "danger")
        return redirect(url_for("exam_day.console", sitting_id=placement.sitting_id))
    # On the day that puts it nearest the start: a sitting at 23:55 has its limit at 00:05 the next day.
    start = local_time(placement.sitting.starts_at)
    arrived = stored_utc(min((datetime.combine(start.date() + timedelta(days=d), typed) for d in (-1, 0, 1)),
                             key=lambda moment: abs(moment - start)))
    return _act(placement.sitting_id, lambda: late_entry.admit_late(placement, current_user, arrived),
                _("Late entry admitted for %(who)s (B4).", who=sanctions.who(placement)))


@bp.route("/placements/<int:placement_id>/unlock", methods=["POST"])
@roles(*ACTORS)
def unlock(placement_id: int):
    placement = _placement(placement_id)
    return _act(placement.sitting_id, lambda: lockouts.clear(placement, current_user),
                _("Log-in lock cleared for %(who)s.", who=sanctions.who(placement)))


@bp.route("/placements/<int:placement_id>/move", methods=["POST"])
@roles(*ACTORS)
def move(placement_id: int):
    placement = _placement(placement_id)
    seat = db.get_or_404(Seat, request.form.get("seat_id", type=database_id) or 0)
    _room(seat.room)  # a spare of a room the proctor staffs too
    done = _("%(who)s moved to seat %(seat)s (B5).", who=sanctions.who(placement), seat=seat.label)
    return _act(placement.sitting_id, lambda: proctoring.move_seat(placement, seat, request.form.get("reason") or
                                                             _("computer failure (B5)"), current_user), done)


@bp.route("/placements/<int:placement_id>/credit", methods=["POST"])
@roles(*ACTORS)
def credit(placement_id: int):
    placement = _placement(placement_id)
    minutes, reason = request.form.get("minutes", type=int) or 0, request.form.get("reason", "")
    if not second_step() and _allowed(lambda: proctoring.check_credit(placement.attempt, minutes, reason)):
        # Credited minutes are never taken back (B5): the new deadline is named before (50 typed for 5).
        deadline = seating.deadline_of(placement.attempt, placement.sitting) + timedelta(minutes=minutes)
        return _confirmation(placement.sitting_id, _("Credit lost minutes (B5)"),
                             _("Credit %(minutes)d minutes to %(who)s: their test then ends at %(time)s. Credited "
                               "minutes are not taken back. Reason: %(reason)s", minutes=minutes,
                               who=sanctions.who(placement), time=local_time(deadline).strftime("%H:%M"),
                               reason=reason), _("Credit the minutes"), {"minutes": str(minutes), "reason": reason})
    return _act(placement.sitting_id, lambda: proctoring.credit_minutes(
        placement.attempt, minutes, request.form.get("reason", ""), current_user),
        _("%(minutes)d minutes credited to %(who)s (B5).", minutes=minutes, who=sanctions.who(placement)))


@bp.route("/placements/<int:placement_id>/sanction", methods=["POST"])
@roles(*ACTORS)
def sanction(placement_id: int):
    placement = _placement(placement_id)
    kind, reason = request.form.get("kind", ""), request.form.get("reason", "").strip()
    # A reason over the limit goes straight to the action, which refuses it: no confirmation page first.
    if kind in SANCTIONS and reason and reasons.fits(reason) and not second_step() \
            and _allowed(lambda: sanctions.refuse_once_published(placement.attempt)):
        return _confirmation(placement.sitting_id, _("Record a sanction (B6)"),
                             sanctions.consequence(kind, placement, reason),
                             _("Record the %(sanction)s", sanction=label(kind, "sanction")),
                             {"kind": kind, "reason": reason})
    return _act(placement.sitting_id, lambda: proctoring.sanction(placement.attempt, kind, reason, current_user),
                _("Sanction recorded for %(who)s: %(sanction)s (B6).", sanction=label(kind, "sanction"),
                  who=sanctions.who(placement)))


@bp.route("/placements/<int:placement_id>/sanction/withdraw", methods=["POST"])
@roles("council_chair")
def withdraw_sanction(placement_id: int):
    placement = _placement(placement_id)
    return _act(placement.sitting_id, lambda: sanctions.withdraw(placement.attempt, request.form.get("reason", ""),
                                                                 current_user),
                _("Sanction withdrawn for %(who)s (B6).", who=sanctions.who(placement)))


@bp.route("/placements/<int:placement_id>/replace-result", methods=["POST"])
@roles("council_chair")
def replace_result(placement_id: int):
    placement = _placement(placement_id)
    reason = request.form.get("reason", "")
    if reason.strip() and reasons.fits(reason) and not second_step() \
            and _allowed(lambda: sanctions.refuse_once_published(placement.attempt)):
        return _confirmation(placement.sitting_id, _("Replace the recorded result (item 3)"),
                             proctoring.replacement_consequence(placement.attempt, reason),
                             _("Replace the recorded result"), {"reason": reason})
    return _act(placement.sitting_id, lambda: proctoring.replace_result(placement.attempt, request.form.get("reason", ""),
                                                                   current_user),
                _("Recorded round-1 result replaced by this test's for %(who)s.", who=sanctions.who(placement)))


@bp.route("/placements/<int:placement_id>/void", methods=["POST"])
@roles("council_chair")
def void(placement_id: int):
    placement = _placement(placement_id)
    reason = request.form.get("reason") or _("retake decided by the council chair (B5)")
    if not second_step():
        return _confirmation(placement.sitting_id, _("Void for a retake (B5)"),
                             _("Void the test of %(who)s: every answer given is discarded and the candidate sits a "
                               "new form at the next sitting of this test. Reason: %(reason)s",
                               who=sanctions.who(placement), reason=reason),
                             _("Void the test"), {"reason": reason})
    return _act(placement.sitting_id, lambda: proctoring.void_for_retake(placement.attempt, reason, current_user),
                _("Test of %(who)s voided; a new form is drawn for the retake (B5).", who=sanctions.who(placement)))


def _tickets_pdf(sitting: Sitting, codes: dict[int, str], name: str):
    return send_file(io.BytesIO(papers.tickets(sitting, codes, photos_shown=may_see_photos)), mimetype="application/pdf", as_attachment=True,
                     download_name=name)


@bp.route("/<int:sitting_id>/tickets.pdf", methods=["POST"])
@roles("council_chair", "hr")
def tickets(sitting_id: int):
    """New access codes for everyone who has not started, printed on their admission tickets, after
    a confirmation: the tickets already handed out stop working."""
    sitting = _sitting(sitting_id)
    waiting = db.session.scalar(select(func.count()).select_from(Placement).join(Placement.attempt)
                                .where(Placement.sitting_id == sitting_id, Attempt.status == "not_started"))
    if not second_step():
        return _confirmation(sitting_id, _("New access codes for everyone not started"),
                             _("New access codes for the %(n)d candidates who have not started: the codes on the "
                               "tickets already printed no longer work, and every one of them needs the new ticket.",
                               n=waiting),
                             _("Issue %(n)d new codes and print the tickets", n=waiting), {})
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with committed(seating.Refused) as outcome:
        codes = seating.issue_access_codes(sitting)
    if not outcome.committed:
        return redirect(url_for("exam_day.console", sitting_id=sitting_id))
    return _tickets_pdf(sitting, codes, f"tickets-{sitting.id}.pdf")


@bp.route("/placements/<int:placement_id>/ticket.pdf", methods=["POST"])
@roles("proctor", "council_chair", "hr")
def ticket(placement_id: int):
    """A new access code for one candidate (a lost ticket): only their old code stops working."""
    placement = _placement(placement_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with committed(seating.Refused) as outcome:
        codes = seating.issue_access_codes(placement.sitting, only=placement)
    if not outcome.committed:
        return redirect(url_for("exam_day.console", sitting_id=placement.sitting_id))
    return _tickets_pdf(placement.sitting, codes, f"ticket-{placement.attempt.application.number_label}.pdf")


@bp.route("/<int:sitting_id>/rooms/<int:room_id>/results.<any(pdf, csv):fmt>")
@roles(*STAFF)
def room_results(sitting_id: int, room_id: int, fmt: str):
    room = _room(db.get_or_404(Room, room_id))
    if room.sitting_id != sitting_id:
        abort(404)
    data = papers.room_results_pdf(room, photos_shown=may_see_photos(room)) if fmt == "pdf" else papers.room_results_csv(room)
    return send_file(io.BytesIO(data), mimetype="application/pdf" if fmt == "pdf" else "text/csv", as_attachment=True,
                     download_name=f"room-{room.name}-results.{fmt}")


@bp.route("/placements/<int:placement_id>/slip.pdf")
@roles(*STAFF)
def slip(placement_id: int):
    placement = _placement(placement_id)
    return send_file(io.BytesIO(papers.score_slip(placement)), mimetype="application/pdf", as_attachment=True,
                     download_name=f"slip-{placement.attempt.application.number_label}.pdf")


def may_see_photos(room: Room) -> bool:
    """Identity photos: the staff of that room, HR and the supervisor; no one else, not even the chair."""
    return bool(current_user.role_names & {"hr", "supervisor"}) or staffs(room)


@bp.route("/placements/<int:placement_id>/photo.jpg")
@roles("proctor", "technician", "hr")  # and the supervisor, who reads everything (G6)
def photo(placement_id: int):
    placement = _placement(placement_id)
    if not may_see_photos(placement.seat.room):
        abort(403)
    found = photo_of(placement.attempt.application_id)
    if found is None:
        abort(404)
    return photo_response(found)


def proctors() -> list[User]:
    return list(db.session.scalars(select(User).where(User.roles.any(name="proctor"))))
