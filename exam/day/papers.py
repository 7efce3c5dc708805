"""The papers of exam day, in Vietnamese by default: admission tickets with the one-time access
code, the room's result list for candidates to sign (G4) and each candidate's score slip."""
from __future__ import annotations

import io
from collections.abc import Callable

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Spacer, Table
from sqlalchemy import select

from recruitment import pdf
from recruitment.extensions import db
from recruitment.i18n import format_number, local_time
from recruitment.photos import photo_of
from recruitment.tabular import csv_bytes

from .models import Placement, Room, Sitting
from .standing import Standing, count_text, standing


def _photo(application_id: int, width_mm: float):
    """The candidate's identity photo (3x4) for the door, or an empty cell when there is none."""
    found = photo_of(application_id)
    if found is None:
        return ""
    return Image(io.BytesIO(found.data), width=width_mm * mm, height=width_mm * mm * found.height / found.width)


def _with_photo(application_id: int, flowable, shown: bool):
    """A ticket's table with the photo on its left, where the proctor compares it with the face."""
    photo = _photo(application_id, 30) if shown else ""
    if not photo:
        return flowable
    return Table([[photo, flowable]], colWidths=[34 * mm, 136 * mm], style=[("VALIGN", (0, 0), (-1, -1), "TOP")])


def _local(value) -> str:
    return local_time(value).strftime("%H:%M %d/%m/%Y")


def _typed(st):
    """What people typed (a name, a position, a room): wrapped within its cell, never read as markup."""
    return lambda text: pdf.para(text, st["cell"])


def tickets(sitting: Sitting, codes: dict[int, str], *, photos_shown: Callable[[Room], bool]) -> bytes:
    """photos_shown: whether the one printing may see the photos of a room's candidates (console.may_see_photos)."""
    st = pdf.styles()
    story = []
    for placement in db.session.scalars(select(Placement).filter_by(sitting_id=sitting.id)):
        if placement.id not in codes:
            continue
        a = placement.attempt.application
        typed = _typed(st)
        rows = [[_("Candidate number"), a.number_label], [_("Full name"), typed(a.full_name)],
                [_("Date of birth"), a.date_of_birth.strftime("%d/%m/%Y")], [_("Position"), typed(a.position.name)],
                [_("Test"), typed(sitting.test.title)], [_("Room / seat"), typed(placement.seat.label)],
                [_("Starts at"), _local(sitting.starts_at)], [_("Access code"), codes[placement.id]]]
        story.append(KeepTogether([pdf.para(_("ADMISSION TICKET"), st["h2"]), pdf.para(a.round.name, st["body"]),
                                   _with_photo(a.id, pdf.table(rows, [45 * mm, 90 * mm], header_rows=0),
                                               photos_shown(placement.seat.room)),
                                   Spacer(1, 4 * mm),
                                   pdf.para(_("Late entry is allowed up to %(n)d minutes after the start, with no extra "
                                               "time (B4). Keep the access code secret.",
                                               n=sitting.test.round.rules.late_entry_minutes(sitting.test.minutes)),
                                             st["small"]), Spacer(1, 10 * mm)]))
    return pdf.build(story, title=_("Admission tickets"), footer=sitting.name, page_label=_("Page %(page)d"))


def _placements(room: Room) -> list[tuple[Placement, Standing]]:
    rows = []
    for seat in room.seats:
        placement = db.session.scalar(select(Placement).filter_by(seat_id=seat.id))
        if placement is not None:
            rows.append((placement, standing(placement.attempt)))
    return rows


def room_results_pdf(room: Room, *, photos_shown: bool) -> bytes:
    """G4: the count after the sanction (B6), the sanction in words, the result; the photos when the
    one printing may see them (console.may_see_photos), else an empty column."""
    st = pdf.styles()
    headers = pdf.heads([_("Seat"), _("No."), _("Full name"), _("Correct (after sanction)"), _("Sanction"), _("Result"),
                         _("Signature"), _("Photo")], st)
    # Header cells wrap in their column ("Số câu đúng" no longer runs into "Kỷ luật"); names and
    # words wrap too (the CSV keeps the codes).
    rows = [[p.seat.label, p.attempt.application.number_label, pdf.para(p.attempt.application.full_name, st["cell"]),
             "" if shown.counted is None else f"{shown.counted_text} / {shown.total}",
             pdf.para(shown.sanction_label, st["cell"]), pdf.para(shown.outcome, st["cell"]), "",
             _photo(p.attempt.application_id, 12) if photos_shown else ""] for p, shown in _placements(room)]
    story = [pdf.para(_("RESULT LIST OF ROOM %(room)s", room=room.name), st["title"]),
             pdf.para(f"{room.sitting.test.title} · {_local(room.sitting.starts_at)}", st["body"]), Spacer(1, 4 * mm),
             pdf.table([headers, *rows], [16 * mm, 14 * mm, 40 * mm, 20 * mm, 20 * mm, 22 * mm, 24 * mm, 16 * mm]),
             Spacer(1, 10 * mm), pdf.para(_("Proctor 1") + " " * 40 + _("Proctor 2"), st["body"])]
    return pdf.build(story, title=room.name, footer=room.sitting.name, page_label=_("Page %(page)d"))


def _plain(value) -> str:
    return "" if value is None else str(value.normalize() if value != value.to_integral_value() else value.quantize(1))


def room_results_csv(room: Room) -> bytes:
    """The machine format keeps the codes (sanction, result) and both counts, before and after B6."""
    rows = [[p.seat.label, p.attempt.application.number_label, p.attempt.application.full_name,
             _plain(shown.correct), _plain(shown.counted), shown.sanction or "", shown.result_code]
            for p, shown in _placements(room)]
    return csv_bytes(["seat", "candidate_number", "full_name", "correct", "counted", "sanction", "result"], rows)


def score_slip(placement: Placement) -> bytes:
    st = pdf.styles()
    attempt, a = placement.attempt, placement.attempt.application
    shown = standing(attempt)
    typed = _typed(st)
    rows = [[_("Candidate number"), a.number_label], [_("Full name"), typed(a.full_name)],
            [_("Test"), typed(attempt.form.test.title)], [_("Room / seat"), typed(placement.seat.label)]]
    reason = pdf.para(shown.sanction_reason or "", st["body"])  # the proctor's words, wrapped, no markup
    if shown.suspended:
        rows += [[_("Sanction"), shown.sanction_label], [_("Reason"), reason],
                 [_("Result"), shown.outcome]]
    else:
        rows.append([_("Correct answers"), f"{shown.counted_text or '—'} / {shown.total}"])
        if shown.sanction:
            rows += [[_("Sanction"), shown.sanction_label], [_("Reason"), reason],
                     [_("Before the sanction"), f"{count_text(shown.correct)} / {shown.total}"]]
        rows.append([_("Result"), shown.outcome or "—"])
        if shown.score is not None:
            rows.append([_("Score"), format_number(shown.score, 2)])
    story = [pdf.para(_("SCORE SLIP"), st["title"]), pdf.table(rows, [60 * mm, 110 * mm], header_rows=0)]
    return pdf.build(story, title=_("Score slip"), footer=a.round.name, page_label=_("Page %(page)d"))
