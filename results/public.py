"""The public look-up: published lists per position, and a candidate's own result found by
candidate number and date of birth. No log-in; rate limited in the database (every worker counts)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField
from wtforms.validators import DataRequired

from recruitment import throttle
from recruitment.access import public
from recruitment.extensions import db
from recruitment.models import Application, Round

from . import service

bp = Blueprint("results_public", __name__, url_prefix="/public/results")


class LookupForm(FlaskForm):
    class Meta:
        csrf = False  # a read-only look-up by GET

    candidate_number = IntegerField(_l("Candidate number"), validators=[DataRequired()])
    date_of_birth = DateField(_l("Date of birth"), format=["%d/%m/%Y", "%Y-%m-%d"], validators=[DataRequired()])


def _rate_limited() -> bool:
    limit = current_app.config["PUBLIC_LOOKUP_PER_MINUTE"]
    return throttle.hit("public_lookup", request.remote_addr or "?", limit, 60)


@bp.route("/")
@public
def index():
    published = [(r, service.latest(r)) for r in db.session.scalars(db.select(Round).order_by(Round.created_at.desc()))]
    return render_template("results/public_index.html", published=[(r, v) for r, v in published if v],
                           form=LookupForm())


@bp.route("/<int:round_id>/<position_code>")
@public
def position(round_id: int, position_code: str):
    round_ = db.get_or_404(Round, round_id)
    version = service.latest(round_)
    if version is None:
        abort(404)
    rows = [r for r in service.rows_of(version) if r["position_code"] == position_code]
    position = next((p for p in round_.positions if p.code == position_code), None)
    if position is None:
        abort(404)
    # The public list shows no national ID (E4 asks for status and reason, not identity numbers).
    return render_template("results/public_position.html", round=round_, version=version, rows=rows, position=position)


@bp.route("/lookup")
@public
def lookup():
    form = LookupForm(request.args)
    result = None
    if request.args and form.validate():
        if _rate_limited():
            return render_template("results/public_lookup.html", form=form, limited=True), 429
        result = _find_own_result(form.candidate_number.data, form.date_of_birth.data)
    return render_template("results/public_lookup.html", form=form, result=result, searched=bool(request.args))


def _find_own_result(number: int, born: date):
    for application in db.session.scalars(db.select(Application).filter_by(candidate_number=number,
                                                                           date_of_birth=born)):
        version = service.latest(application.round)
        if version is None:
            continue
        for row in service.rows_of(version):
            if row["application_id"] == application.id:
                return {"round": application.round, "version": version, "row": row}
    return None
