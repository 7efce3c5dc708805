"""The results board's pages (no staff log-in): the code form, the full-screen board, and the poll
it makes. The code opens the board for this browser (kept in its signed session), so the polls
themselves are not code checks and cost one query each (exam/day/board.py)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from recruitment import throttle
from recruitment.access import public
from recruitment.extensions import db

from . import board
from .models import Sitting

bp = Blueprint("results_board", __name__, url_prefix="/exam/board")


class BoardCodeForm(FlaskForm):
    code = StringField(_l("Board code"), validators=[DataRequired(), Length(max=20)])


def _address() -> str:
    return throttle.client(request.remote_addr)


def _open_for_this_browser(sitting_id: int) -> None:
    opened = [i for i in session.get("boards", []) if i != sitting_id][-9:]
    session["boards"] = [*opened, sitting_id]


def _too_many():
    return render_template("exam/day/board_code.html", form=BoardCodeForm(),
                           error=_("Too many wrong board codes from this computer: wait ten minutes.")), 429


@bp.route("/", methods=["GET", "POST"])
@public
def enter():
    form = BoardCodeForm()
    error = None
    if form.validate_on_submit():
        if board.blocked(_address()):
            return _too_many()
        sitting = board.find_sitting(form.code.data)
        if sitting is None:
            board.note_wrong_code(_address())
            error = _("Wrong board code: ask the proctor for the code shown on the console.")
        else:
            _open_for_this_browser(sitting.id)
            return redirect(url_for("results_board.show", sitting_id=sitting.id))
    return render_template("exam/day/board_code.html", form=form, error=error)


@bp.route("/<int:sitting_id>/<code>")
@public
def by_path(sitting_id: int, code: str):
    """The board's address with its code, to bookmark on the hall's computer."""
    if board.blocked(_address()):
        return _too_many()
    if db.session.get(Sitting, sitting_id) is None or not board.code_matches(sitting_id, code):
        board.note_wrong_code(_address())
        flash(_("Wrong board code: ask the proctor for the code shown on the console."), "danger")
        return redirect(url_for("results_board.enter"))
    _open_for_this_browser(sitting_id)
    return redirect(url_for("results_board.show", sitting_id=sitting_id))


def _sitting_opened_here(sitting_id: int) -> Sitting:
    if sitting_id not in session.get("boards", []):
        abort(redirect(url_for("results_board.enter")))
    return db.get_or_404(Sitting, sitting_id)


@bp.route("/<int:sitting_id>")
@public
def show(sitting_id: int):
    sitting = _sitting_opened_here(sitting_id)
    return render_template("exam/day/board.html", sitting=sitting, poll_seconds=board.POLL_SECONDS)


@bp.route("/<int:sitting_id>/results.json")
@public
def results(sitting_id: int):
    if sitting_id not in session.get("boards", []):
        abort(403)
    current = board.fresh_version(sitting_id)
    etag = f'"{current}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = make_response("", 304)
    else:
        response = make_response(board.body(sitting_id, current))
        response.mimetype = "application/json"
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    return response
