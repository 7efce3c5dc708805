"""The papers of exam day, in Vietnamese by default: admission tickets with the one-time access
code, the room's result list for candidates to sign (G4) and each candidate's score slip."""
from __future__ import annotations

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer
from sqlalchemy import select

from recruitment import pdf
from recruitment.extensions import db
from recruitment.i18n import format_number, local_time
from recruitment.labels import label
from recruitment.tabular import csv_bytes

from .models import Placement, Room, Sitting


def _local(value) -> str:
    return local_time(value).strftime("%H:%M %d/%m/%Y")


def tickets(sitting: Sitting, codes: dict[int, str]) -> bytes:
    st = pdf.styles()
    story = []
    for placement in db.session.scalars(select(Placement).filter_by(sitting_id=sitting.id)):
        if placement.id not in codes:
            continue
        a = placement.attempt.application
        rows = [[_("Candidate number"), a.number_label], [_("Full name"), a.full_name],
                [_("Date of birth"), a.date_of_birth.strftime("%d/%m/%Y")], [_("Position"), a.position.name],
                [_("Test"), sitting.test.title], [_("Room / seat"), placement.seat.label],
                [_("Starts at"), _local(sitting.starts_at)], [_("Access code"), codes[placement.id]]]
        story.append(KeepTogether([pdf.para(_("ADMISSION TICKET"), st["h2"]), pdf.para(a.round.name, st["body"]),
                                   pdf.table(rows, [50 * mm, 120 * mm], header_rows=0), Spacer(1, 4 * mm),
                                   pdf.para(_("Late entry is allowed up to %(n)d minutes after the start, with no extra "
                                               "time (B4). Keep the access code secret.",
                                               n=sitting.test.round.rules.late_entry_minutes(sitting.test.minutes)),
                                             st["small"]), Spacer(1, 10 * mm)]))
    return pdf.build(story, title=_("Admission tickets"), footer=sitting.name, page_label=_("Page %(page)d"))


def _results(room: Room) -> list[list[str]]:
    rows = []
    for seat in room.seats:
        placement = db.session.scalar(select(Placement).filter_by(seat_id=seat.id))
        if placement is None:
            continue
        attempt, a = placement.attempt, placement.attempt.application
        correct = "" if attempt.correct is None else format_number(attempt.correct, 2)
        rows.append([seat.label, a.number_label, a.full_name, correct, attempt.sanction or "", _outcome(attempt, "")])
    return rows


def _outcome(attempt, unknown: str) -> str:
    """B6: a suspension voids the test, which is neither passed nor failed."""
    if attempt.status == "voided" or attempt.sanction == "suspension":
        return _("voided by a suspension (B6)")
    if attempt.status == "collected" and attempt.correct is None:
        return _("absent")
    return {True: _("passed"), False: _("not passed"), None: unknown}[attempt.passed]


def room_results_pdf(room: Room) -> bytes:
    st = pdf.styles()
    headers = pdf.heads([_("Seat"), _("No."), _("Full name"), _("Correct"), _("Sanction"), _("Result"), _("Signature")], st)
    # Header cells wrap in their column ("Số câu đúng" no longer runs into "Kỷ luật"); names and
    # labels wrap too, and the sanction is in words (the CSV keeps the code).
    rows = [[seat, number, pdf.para(name, st["cell"]), correct, pdf.para(label(sanction, "sanction"), st["cell"]),
             pdf.para(outcome, st["cell"]), ""] for seat, number, name, correct, sanction, outcome in _results(room)]
    story = [pdf.para(_("RESULT LIST OF ROOM %(room)s", room=room.name), st["title"]),
             pdf.para(f"{room.sitting.test.title} · {_local(room.sitting.starts_at)}", st["body"]), Spacer(1, 4 * mm),
             pdf.table([headers, *rows], [16 * mm, 15 * mm, 48 * mm, 18 * mm, 22 * mm, 27 * mm, 34 * mm]),
             Spacer(1, 10 * mm), pdf.para(_("Proctor 1") + " " * 40 + _("Proctor 2"), st["body"])]
    return pdf.build(story, title=room.name, footer=room.sitting.name, page_label=_("Page %(page)d"))


def room_results_csv(room: Room) -> bytes:
    return csv_bytes(["seat", "candidate_number", "full_name", "correct", "sanction", "result"], _results(room))


def score_slip(placement: Placement) -> bytes:
    st = pdf.styles()
    attempt, a = placement.attempt, placement.attempt.application
    total = len(attempt.form.version_ids) // 4
    rows = [[_("Candidate number"), a.number_label], [_("Full name"), a.full_name], [_("Test"), attempt.form.test.title],
            [_("Correct answers"), f"{format_number(attempt.correct or 0, 2)} / {total}"],
            [_("Sanction"), label(attempt.sanction, "sanction") or "—"], [_("Result"), _outcome(attempt, "—")]]
    if attempt.score is not None:
        rows.append([_("Score"), format_number(attempt.score, 2)])
    story = [pdf.para(_("SCORE SLIP"), st["title"]), pdf.table(rows, [60 * mm, 110 * mm], header_rows=0)]
    return pdf.build(story, title=_("Score slip"), footer=a.round.name, page_label=_("Page %(page)d"))
