"""Downloads of the interview papers (documents.py): the schedule as PDF and XLSX, the candidates'
invitation letters, and each board's score sheets for a day, which only HR, the council chair, the
supervisor (G6, read-only) and the board's own members may print."""
from __future__ import annotations

import io
from datetime import date, datetime

from flask import Blueprint, abort, request, send_file
from flask_login import current_user

from recruitment.access import roles
from recruitment.extensions import db
from recruitment.i18n import local_today
from recruitment.models import Round
from recruitment.url_ids import database_id

from . import documents
from .models import Board

bp = Blueprint("interview_documents", __name__, url_prefix="/interviews/documents")
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _send(data: bytes, mimetype: str, name: str):
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


def _board_of(round_: Round) -> Board | None:
    board_id = request.args.get("board", type=database_id)
    if board_id is None:
        return None
    board = db.get_or_404(Board, board_id)
    if board.round_id != round_.id:
        abort(404)
    return board


def _day_arg() -> date | None:
    raw = request.args.get("day")
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        abort(404)


@bp.route("/rounds/<int:round_id>/schedule.pdf")
@roles("hr", "council_chair")  # the supervisor reads too (G6)
def schedule_pdf(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    board = _board_of(round_)
    suffix = f"-board-{board.id}" if board else ""
    return _send(documents.schedule_pdf(round_, board), PDF, f"interview-schedule-{round_.code}{suffix}.pdf")


@bp.route("/rounds/<int:round_id>/schedule.xlsx")
@roles("hr", "council_chair")
def schedule_xlsx(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    return _send(documents.schedule_xlsx(round_), XLSX, f"interview-schedule-{round_.code}.xlsx")


@bp.route("/rounds/<int:round_id>/invitations.pdf")
@roles("hr")
def invitations(round_id: int):
    """Every scheduled candidate's letter; ?board= and ?day=YYYY-MM-DD narrow the batch."""
    round_ = db.get_or_404(Round, round_id)
    board, day = _board_of(round_), _day_arg()
    interviews = [i for i in documents.interviews_of(round_, board) if day is None or i.starts_at.date() == day]
    return _send(documents.invitation_letters_pdf(round_, interviews), PDF, f"interview-invitations-{round_.code}.pdf")


def _may_print_sheets(board: Board) -> bool:
    if current_user.has_role("hr", "council_chair", "supervisor"):
        return True
    # An interviewer prints only the sheets of a board they sit on.
    return current_user.id == board.head_id or current_user in board.members


@bp.route("/boards/<int:board_id>/score-sheets.pdf")
@roles("hr", "council_chair", "interviewer")
def score_sheets(board_id: int):
    """?day=YYYY-MM-DD; without it today's sheets, or the board's next (else first) day of interviews.
    Today is Vietnam's day, as the interviews' times are (not UTC's, a day behind until 07:00)."""
    board = db.get_or_404(Board, board_id)
    if not _may_print_sheets(board):
        abort(403)
    day = _day_arg()
    if day is None:
        today = local_today()
        days = documents.board_days(board)
        day = today if today in days else next((d for d in days if d > today), days[0] if days else today)
    # An interviewer reads the others' scores of an interview once they have submitted their own (C4).
    reader = None if current_user.has_role("hr", "council_chair", "supervisor") else current_user
    return _send(documents.score_sheets_pdf(board, day, reader), PDF,
                 f"score-sheets-board-{board.id}-{day.isoformat()}.pdf")
