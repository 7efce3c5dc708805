"""Interview pages: boards and the schedule for HR; scoring pages for leaders (usable on a
tablet): declaration first, independent scoring on the rubric, the head's reconciliation."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from recruitment import tabular
from recruitment.access import roles
from recruitment.actions import committed, confirmed
from recruitment.errors import Refused
from recruitment.extensions import db
from recruitment.forms import ConfirmForm
from recruitment.i18n import local_today, typed_moment
from recruitment.models import Position, Round, User
from recruitment.url_ids import database_id

from . import boards, heads, rubrics, service
from .models import Board, Interview, Score, Substitute, Unavailability

bp = Blueprint("interviews", __name__, url_prefix="/interviews")
REASONS = {
    "no_board_for_position": _l("no board interviews for this position"),
    "relation": _l("every board has a member related to the candidate (G5)"),
    "no_free_slot": _l("no free slot left"),
    "interviewer_busy": _l("the interviewers are busy in every free slot"),
    "interviewer_unavailable": _l("the interviewers are unavailable in every free slot"),
    "before_written_test": _l("every free slot is before the written test"),
}


def _or(unreadable: str):
    """A refusal says its reason; a date or time that did not parse (ValueError) says `unreadable`."""
    return lambda problem: str(problem) if isinstance(problem, Refused) else unreadable


def _interviewers():
    """Those a board may seat (boards.create refuses anyone else): active interviewers."""
    return db.session.scalars(select(User).where(User.roles.any(name="interviewer"), User.active.is_(True))
                              .order_by(User.full_name)).all()


@bp.route("/")
@roles("hr", "council_chair", "interviewer")
def index():
    rounds = db.session.scalars(select(Round).order_by(Round.created_at.desc())).all()
    boards = db.session.scalars(select(Board).order_by(Board.round_id, Board.name)).all()
    return render_template("interviews/index.html", rounds=rounds, boards=boards, interviewers=_interviewers(),
                           confirm=ConfirmForm())


@bp.route("/boards/new", methods=["POST"])
@roles("hr")
def create_board():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    round_ = db.get_or_404(Round, request.form.get("round_id", type=database_id) or 0)
    head = db.get_or_404(User, request.form.get("head_id", type=database_id) or 0)
    members = [db.get_or_404(User, i) for i in request.form.getlist("member_ids", type=database_id)]
    with committed() as outcome:
        boards.create(round_, request.form.get("name", ""), request.form.get("room", ""), head, members,
                      request.form.get("positions", ""))
    if outcome.committed:
        flash(_("Board created."), "success")
    return redirect(url_for("interviews.index"))


@bp.route("/rounds/<int:round_id>/schedule", methods=["GET", "POST"])
@roles("hr", "council_chair")
def schedule(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    unplaced = {}
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(403)
        with committed(ValueError, say=_or(_("Days are dd/mm/yyyy, separated by commas."))) as outcome:
            days = [typed_moment(d.strip(), "%d/%m/%Y") for d in request.form.get("days", "").split(",") if d.strip()]
            result = service.build_schedule(round_, days, request.form.get("first", "08:00"),
                                            request.form.get("last", "17:00"), request.form.get("minutes", type=int) or 30,
                                            request.form.get("gap", type=int) or 0)
        if outcome.committed:
            unplaced = result.unplaced
            flash(_("%(n)d interviews scheduled; %(m)d candidates could not be placed.", n=len(result.placements),
                    m=len(result.unplaced)), "success" if not result.unplaced else "warning")
    interviews = db.session.scalars(select(Interview).join(Board).where(Board.round_id == round_id)
                                    .order_by(Interview.starts_at, Board.name)).all()
    from recruitment.models import Application
    waiting = {a.id: a for a in db.session.scalars(select(Application).where(Application.id.in_(list(unplaced))))}
    boards = db.session.scalars(select(Board).filter_by(round_id=round_id).order_by(Board.name)).all()
    return render_template("interviews/schedule.html", round=round_, interviews=interviews, unplaced=unplaced,
                           waiting=waiting, reasons=REASONS, confirm=ConfirmForm(), boards=boards,
                           clashes=service.clashes_with_unavailability(round_), due=len(service.due(round_)))


@bp.route("/<int:interview_id>/move", methods=["POST"])
@roles("hr")
def move(interview_id: int):
    item = db.get_or_404(Interview, interview_id)
    round_id = item.board.round_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    board = db.get_or_404(Board, request.form.get("board_id", type=database_id) or 0)
    with committed(ValueError, say=_or(_("Give the new date and time."))) as outcome:
        service.move(item, board, typed_moment(request.form.get("starts_at", "")))  # its end is a time too
    if outcome.committed:
        flash(_("Interview moved."), "success")
    return redirect(url_for("interviews.schedule", round_id=round_id))


@bp.route("/unavailability")
@roles("interviewer", "hr", "council_chair")
def unavailability():
    query = select(Unavailability).order_by(Unavailability.starts_at)
    if not any(current_user.has_role(r) for r in ("hr", "council_chair", "supervisor")):
        query = query.filter_by(user_id=current_user.id)  # an interviewer sees their own periods
    rounds = db.session.scalars(select(Round).order_by(Round.created_at.desc())).all()
    return render_template("interviews/unavailability.html", periods=db.session.scalars(query).all(), rounds=rounds,
                           confirm=ConfirmForm())


@bp.route("/unavailability/new", methods=["POST"])
@roles("interviewer")
def declare_unavailability():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    round_ = db.get_or_404(Round, request.form.get("round_id", type=database_id) or 0)
    with committed(ValueError, say=_or(_("Give the start and the end."))) as outcome:
        starts = typed_moment(request.form.get("starts_at", ""))
        ends = typed_moment(request.form.get("ends_at", ""))
        service.declare_unavailable(current_user, round_, starts, ends, request.form.get("note", ""))
    if outcome.committed:
        flash(_("Declared: the schedule keeps you out of that period."), "success")
    return redirect(url_for("interviews.unavailability"))


@bp.route("/unavailability/<int:period_id>/withdraw", methods=["POST"])
@roles("interviewer")
def withdraw_unavailability(period_id: int):
    period = db.get_or_404(Unavailability, period_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with committed():
        service.withdraw_unavailable(period, current_user)
    return redirect(url_for("interviews.unavailability"))


@bp.route("/mine")
@roles("interviewer")
def mine():
    interviews = service.interviews_of(current_user)
    mine_scores = {s.interview_id: s for s in db.session.scalars(select(Score).filter_by(user_id=current_user.id))}
    # Today as the interviews' times are written: Vietnam's day (UTC's is a day behind until 07:00).
    return render_template("interviews/mine.html", interviews=interviews, scores=mine_scores,
                           today=local_today())


def _interview(interview_id: int) -> Interview:
    interview = db.get_or_404(Interview, interview_id)
    on_panel = current_user.id in service.panel(interview) or current_user.id == interview.board.head_id
    # The supervisor (G6) and the council chair, who decides in a conflicted head's place, may read it.
    if not on_panel and not current_user.has_role("supervisor", "council_chair"):
        abort(403)
    return interview


@bp.route("/<int:interview_id>")
@roles("interviewer", "council_chair")
def interview(interview_id: int):
    item = _interview(interview_id)
    own = db.session.scalar(select(Score).filter_by(interview_id=item.id, user_id=current_user.id))
    submitted = service.submitted_scores(item)
    # Decides, corrects and appoints replacements: the head, or the chair in a conflicted head's place.
    deciding = heads.deciding_head(item, current_user)
    declarations = db.session.scalars(select(Score).filter_by(interview_id=item.id)).all()
    panel = service.panel(item)
    scorer = own is not None or current_user.id in panel
    conflicted = {s.user_id for s in declarations if s.conflict}
    all_in = len(submitted) >= len(panel - conflicted)
    replaced = set(db.session.scalars(select(Substitute.replaced_id).filter_by(interview_id=item.id)))
    to_replace = [s.user for s in declarations if s.conflict and s.user_id not in replaced]
    # Those the mean waits for, should one of them not sit (ill, away): replaced with the reason (C4); the
    # head, by the council chair.
    waiting = service.awaited(item) - {current_user.id}
    if not deciding:
        waiting &= {item.board.head_id} if current_user.has_role("council_chair") else set()
    cannot_sit = [db.session.get(User, uid) for uid in sorted(waiting)]
    # Nobody sees another's score before submitting their own (C4); the head sees them all once all are in.
    # The chair deciding in a conflicted head's place does not score: they read the scores to decide between.
    others = submitted if (own and own.submitted_at) or (deciding and not scorer) else []
    outcome = service.outcome_of(item)
    # A head on the panel reads the spread and decides once their own score is in (C4).
    decides = deciding and current_user.id not in service.awaited(item)
    return render_template("interviews/interview.html", interview=item, own=own, others=others, is_head=deciding,
                           decides=decides,
                           scorer=scorer,
                           all_in=all_in, outcome=outcome, confirm=ConfirmForm(), criteria=rubrics.rubric_for(item.application.position),
                           to_replace=to_replace if deciding else [], cannot_sit=cannot_sit,
                           interviewers=_interviewers() if deciding or cannot_sit else [],
                           substitutes=db.session.scalars(select(Substitute).filter_by(interview_id=item.id)).all())


def _act(interview_id: int, action):
    return confirmed(action, service.Refused, url_for("interviews.interview", interview_id=interview_id))


@bp.route("/<int:interview_id>/declare", methods=["POST"])
@roles("interviewer")
def declare(interview_id: int):
    item = _interview(interview_id)
    conflict = request.form.get("conflict") == "yes"
    return _act(interview_id, lambda: service.declare(item, current_user, conflict, request.form.get("note", "")))


def _decimal(value) -> Decimal | None:
    """A typed score, "7,5" or "7.5"; None for anything that is not a finite number (NaN, Infinity, 1e999)."""
    try:
        return tabular.parse_decimal(value)
    except tabular.CellError:
        return None


@bp.route("/<int:interview_id>/score", methods=["POST"])
@roles("interviewer")
def score(interview_id: int):
    item = _interview(interview_id)
    points = [_decimal(request.form.get(f"c{i}")) for i in range(len(rubrics.rubric_for(item.application.position)))]
    return _act(interview_id, lambda: service.submit(item, current_user, points))


@bp.route("/<int:interview_id>/decide", methods=["POST"])
@roles("interviewer", "council_chair")
def decide(interview_id: int):
    item = _interview(interview_id)
    value = _decimal(request.form.get("score"))
    return _act(interview_id, lambda: service.head_decides(item, current_user, value if value is not None else Decimal(-1),
                                                           request.form.get("reason", "")))


@bp.route("/<int:interview_id>/replace", methods=["POST"])
@roles("interviewer", "council_chair")  # the chair appoints in a conflicted head's place (C4, G5)
def replace(interview_id: int):
    item = _interview(interview_id)
    replaced = db.get_or_404(User, request.form.get("replaced_id", type=database_id) or 0)
    substitute = db.get_or_404(User, request.form.get("substitute_id", type=database_id) or 0)
    return _act(interview_id, lambda: service.replace_member(item, current_user, replaced, substitute,
                                                             request.form.get("reason", "")))


@bp.route("/scores/<int:score_id>/correct", methods=["POST"])
@roles("interviewer", "council_chair")
def correct(score_id: int):
    score = db.get_or_404(Score, score_id)
    item = _interview(score.interview_id)
    points = [_decimal(request.form.get(f"c{i}")) for i in range(len(rubrics.rubric_for(item.application.position)))]
    return _act(item.id, lambda: service.correct(score, current_user, points, request.form.get("reason", "")))


@bp.route("/rounds/<int:round_id>/rubrics")
@roles("hr", "council_chair")
def rubric_list(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    positions = [p for p in round_.positions if p.round2_form in ("written_interview", "interview")]
    return render_template("interviews/rubrics.html", round=round_, positions=positions, rubric_for=rubrics.rubric_for,
                           confirm=ConfirmForm())


@bp.route("/positions/<int:position_id>/rubric", methods=["POST"])
@roles("hr")
def set_rubric(position_id: int):
    position = db.get_or_404(Position, position_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with committed(say=lambda refused: _("%(position)s: %(problem)s", position=position.code,
                                         problem=str(refused))) as outcome:
        rubrics.set_rubric(position, rubrics.parse(request.form.get("criteria", "")))
    if outcome.committed:
        flash(_("Rubric of %(position)s saved.", position=position.code), "success")
    return redirect(url_for("interviews.rubric_list", round_id=position.round_id))
