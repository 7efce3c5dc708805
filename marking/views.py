"""The paper written test's pages (C3, C7): markers enter marks against script codes, the council
chair records the head marker's decisions and decides re-marks, HR records absences from the written
test and re-marking requests with the date they were received."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from recruitment import registry, tabular
from recruitment.access import roles
from recruitment.actions import ask_confirmation, committed, confirmed, second_step
from recruitment.extensions import db
from recruitment.forms import ConfirmForm
from recruitment.i18n import typed_moment
from recruitment.models import Application, Round
from recruitment.url_ids import database_id

from . import page, remarks
from . import service as marking
from .models import RemarkRequest

bp = Blueprint("marking", __name__, url_prefix="/marking")


def _score(name: str = "score") -> Decimal | None:
    """A typed mark, "66,5" or "66.5"; None for anything that is not a finite number (NaN, Infinity, 1e999)."""
    try:
        return tabular.parse_decimal(request.form.get(name, ""))
    except tabular.CellError:
        return None


@bp.route("/")
@roles("marker", "hr", "council_chair")
def index():
    rounds = db.session.scalars(select(Round).order_by(Round.created_at.desc())).all()
    return render_template("marking/rounds.html", rounds=rounds)


@bp.route("/rounds/<int:round_id>")
@roles("marker", "hr", "council_chair")
def round_marks(round_id: int):
    round_ = db.get_or_404(Round, round_id)
    rows, scores = page.rows(round_)  # C3: in script-code order
    # C3: a marker sees script codes and what is asked of them, never another marker's mark.
    sees_all = not current_user.has_role("marker") or current_user.has_role("council_chair")
    # ... nor, while they may still give one of a script's marks, that script's marks (a chair who marks).
    blind = {r["code"] for r in rows if page.still_to_mark(r, current_user)}
    requests = db.session.scalars(select(RemarkRequest).join(Application).where(Application.round_id == round_id)
                                  .order_by(RemarkRequest.requested_on)).all()
    changed = []
    if sees_all:  # E5: a re-mark changes the recorded score, never a published version
        changed = registry.provider(current_app, "results_changes", lambda _round: [])(round_)
    return render_template("marking/round.html", round=round_, rows=rows, sees_all=sees_all, blind=blind, requests=requests,
                           scores=scores, changed=changed, remarks_of=remarks.remarks_of,
                           remark_needed=remarks.remark_needed, labels=marking.MARK_LABELS, confirm=ConfirmForm())


def _back(application: Application):
    return redirect(url_for("marking.round_marks", round_id=application.round_id))


def _act(application: Application, action):
    return confirmed(action, marking.MarkRefused, url_for("marking.round_marks", round_id=application.round_id),
                     _("Recorded."))


def _on_script(round_id: int, code: str, action, attempted: dict):
    """A mark or a final mark on the script a code names (C3: the URL carries only the code). A
    refusal is rolled back, shown with its reason and audited."""
    round_ = db.get_or_404(Round, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with committed(marking.MarkRefused) as outcome:
        action(marking.find_script(round_, code))
    if outcome.refused is not None:  # the refused attempt stays on record, in its own transaction
        marking.audit_refusal(round_, code, attempted, outcome.refused, current_user)
        db.session.commit()
    else:
        flash(_("Recorded."), "success")
    return redirect(url_for("marking.round_marks", round_id=round_id))


@bp.route("/rounds/<int:round_id>/scripts/<code>/mark", methods=["POST"])
@roles("marker", "council_chair")
def mark(round_id: int, code: str):
    which = request.form.get("which", "")
    return _on_script(round_id, code, lambda a: marking.record_mark(a, which, _score(), current_user),
                      {"which": which, "score": request.form.get("score", "")[:20]})


@bp.route("/rounds/<int:round_id>/scripts/<code>/absent", methods=["POST"])
@roles("hr")
def absent(round_id: int, code: str):
    """An absence is for good (the script is never marked): a first post names the candidate and the
    consequence, the confirmation's post records it."""
    if not second_step():
        round_ = db.get_or_404(Round, round_id)
        try:
            application = marking.find_script(round_, code)
        except marking.MarkRefused as refused:
            flash(str(refused), "danger")
            return redirect(url_for("marking.round_marks", round_id=round_id))
        return ask_confirmation(
            _("Record absent from the written test"),
            _("%(name)s (candidate number %(number)s) is recorded as absent from the written test: the script is "
              "never marked, and round 2 is 'absent' for this candidate in the results (E1). This is not taken back.",
              name=application.full_name, number=application.number_label),
            _("Record absent"), {}, url_for("marking.round_marks", round_id=round_id))
    return _on_script(round_id, code, lambda a: marking.record_absence(a, current_user), {"which": "absent"})


def _date(name: str):
    """A typed day; None for none, and for one outside i18n's years (31/12/9999 as the announcement took
    C7's deadline of 5 working days past the year 9999: OverflowError, a 500)."""
    try:
        return typed_moment(request.form.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


@bp.route("/rounds/<int:round_id>/remarks", methods=["POST"])
@roles("hr")
def request_remark(round_id: int):
    application = db.get_or_404(Application, request.form.get("application_id", type=database_id) or 0)
    if application.round_id != round_id:
        abort(404)
    requested_on = _date("requested_on")
    if requested_on is None:
        flash(_("Give the date the request was received."), "danger")
        return _back(application)
    results_on = _date("results_on")  # only used when no results version is published in the system
    return _act(application, lambda: remarks.request_remark(application, requested_on, results_on))


@bp.route("/remarks/<int:request_id>/mark", methods=["POST"])
@roles("marker")
def remark(request_id: int):
    item = db.get_or_404(RemarkRequest, request_id)
    return _act(item.application, lambda: remarks.record_remark(item, request.form.get("which", ""), _score(),
                                                                current_user))


@bp.route("/remarks/<int:request_id>/decide", methods=["POST"])
@roles("council_chair")
def decide(request_id: int):
    item = db.get_or_404(RemarkRequest, request_id)
    return _act(item.application, lambda: remarks.chair_decides(item, current_user, request.form.get("accept") == "yes",
                                                                 request.form.get("reason", "")))
