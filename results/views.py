"""The council's pages (computation, publication, versions and their differences, tie decisions,
dashboard) and the public look-up (no log-in, rate limited)."""
from __future__ import annotations

import io
from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, Length

from recruitment import labels
from recruitment.access import roles
from recruitment.actions import ask_confirmation, committed, second_step
from recruitment.extensions import db
from recruitment.models import Application, Round
from recruitment.reasons import MAX_CHARS as MAX_REASON
from recruitment.url_ids import database_id

from . import charts, exports, reasons, service, ties

bp = Blueprint("results", __name__, url_prefix="/results")
VIEWERS = ("council_chair", "hr")
STATUS_LABELS = labels.RESULT_STATUS  # the one catalogue (recruitment/labels.py)


@bp.app_context_processor
def labels():
    return {"result_statuses": STATUS_LABELS}


class PublishForm(FlaskForm):
    note = StringField(_l("Note (why this version)"), validators=[Length(max=500)])


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[("selected", _l("selected")), ("not_selected", _l("not selected"))],
                          validators=[DataRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=MAX_REASON)])


def _round(round_id: int) -> Round:
    return db.get_or_404(Round, round_id)


def _grouped(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["position_code"], []).append(row)
    return grouped


@bp.route("/")
@roles(*VIEWERS)
def index():
    rounds = db.session.scalars(db.select(Round).order_by(Round.created_at.desc())).all()
    return render_template("results/index.html", rounds=rounds, latest={r.id: service.latest(r) for r in rounds})


@bp.route("/<int:round_id>")
@roles(*VIEWERS)
def round_results(round_id: int):
    round_ = _round(round_id)
    computation = service.compute(round_)
    rows = service.snapshot_rows(computation.rows)
    statuses = {r.candidate.application_id: r.status for r in computation.rows}
    last = service.latest(round_)
    unchanged = last is not None and last.snapshot == service.canonical(rows)  # E5: nothing to publish
    return render_template("results/round.html", round=round_, grouped=_grouped(rows), blockers=computation.blockers,
                           unchanged=unchanged,                           ties=[ties.describe(g) for g in ties.open_groups(computation)],
                           changed=service.changes_since_latest(round_, rows),
                           blocker_text=reasons.blocker_text, versions=service.versions(round_), statuses=statuses,
                           publish_form=PublishForm(), decision_form=DecisionForm(),
                           positions={p.code: p for p in round_.positions})


def _not_published(problem: Exception) -> str:
    if isinstance(problem, service.VersionMoved):
        return str(problem)
    if isinstance(problem, service.PublicationBlocked):
        return _("Not published: %(n)d problem(s) must be settled first.", n=len(problem.blockers))
    return _("Not published: the list is the same as version %(v)d (E5). %(pending)s", v=problem.version,
             pending=" ".join(problem.pending) or _("Nothing is pending."))


@bp.route("/<int:round_id>/publish", methods=["POST"])
@roles("council_chair")
def publish(round_id: int):
    """A published version is never changed (E5): a first post names the version's number and that it is
    final, the second publishes that number only (the one the confirmation sends back). A list that cannot
    be published goes straight to publish, which says why."""
    round_ = _round(round_id)
    form = PublishForm()
    if form.validate_on_submit():
        preview = None if second_step() else service.publication_preview(round_)
        if preview is not None:
            number, digest, consequence = preview
            return ask_confirmation(_("Publish the results (E5)"), consequence, _("Publish version %(n)d", n=number),
                                    {"note": form.note.data or "", "version": str(number), "digest": digest},
                                    url_for("results.round_results", round_id=round_id))
        expected = request.form.get("version", 0, type=int) if second_step() else None
        digest = request.form.get("digest", "") if second_step() else None  # the list the confirmation showed
        with committed((service.PublicationBlocked, service.NothingToPublish, service.VersionMoved),
                       say=_not_published) as outcome:
            version = service.publish(round_, current_user.username, form.note.data or "", expected, digest)
        if outcome.committed:
            flash(_("Version %(n)d published.", n=version.number), "success")
            return redirect(url_for("results.version", round_id=round_id, number=version.number))
    return redirect(url_for("results.round_results", round_id=round_id))


@bp.route("/<int:round_id>/decide/<int:application_id>", methods=["POST"])
@roles("council_chair")
def decide(round_id: int, application_id: int):
    application = db.get_or_404(Application, application_id)
    if application.round_id != round_id:
        abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("A decision needs its reason (E3)."), "danger")
        return redirect(url_for("results.round_results", round_id=round_id))
    with committed() as outcome:
        service.decide_tie(application, form.decision.data, form.reason.data, current_user.id)
    if outcome.committed:
        flash(_("Decision recorded for %(name)s: %(decision)s (%(reason)s).", name=application.full_name,
                decision=STATUS_LABELS[form.decision.data], reason=form.reason.data), "success")
        computation = service.compute(application.round)
        position = application.position.code
        still = [ties.describe(g) for g in ties.open_groups(computation) if g.position_code == position]
        flash(" ".join(still) if still else
              _("The tie in %(position)s is settled; publish the next version to make it official (E3, E5).",
                position=position), "info")
    return redirect(url_for("results.round_results", round_id=round_id))


def _version_or_404(round_: Round, number: int):
    version = next((v for v in service.versions(round_) if v.number == number), None)
    if version is None:
        abort(404)
    return version


@bp.route("/<int:round_id>/versions/<int:number>")
@roles(*VIEWERS)
def version(round_id: int, number: int):
    round_ = _round(round_id)
    found = _version_or_404(round_, number)
    return render_template("results/version.html", round=round_, version=found, grouped=_grouped(service.rows_of(found)),
                           versions=service.versions(round_))


@bp.route("/<int:round_id>/diff")
@roles(*VIEWERS)
def diff(round_id: int):
    round_ = _round(round_id)
    a = _version_or_404(round_, request.args.get("a", type=database_id) or 1)
    b = _version_or_404(round_, request.args.get("b", type=database_id) or a.number)
    changes = service.diff(service.rows_of(a), service.rows_of(b))
    return render_template("results/diff.html", round=round_, a=a, b=b, changes=changes)


@bp.route("/<int:round_id>/versions/<int:number>.<any(csv, xlsx, pdf):fmt>")
@roles(*VIEWERS)
def export(round_id: int, number: int, fmt: str):
    round_ = _round(round_id)
    found = _version_or_404(round_, number)
    rows = service.rows_of(found)
    if fmt == "csv":
        data, mime = exports.to_csv(rows), "text/csv"
    elif fmt == "xlsx":
        data, mime = exports.to_xlsx(rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        data, mime = exports.to_pdf(rows, title=round_.name, version=found.number, digest=found.digest,
                                    positions={p.code: p.name for p in round_.positions}), "application/pdf"
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True,
                     download_name=f"{round_.code}-v{found.number}.{fmt}")


@bp.route("/<int:round_id>/dashboard")
@roles(*VIEWERS)
def dashboard(round_id: int):
    round_ = _round(round_id)
    applied = Counter(db.session.scalars(db.select(Application.position_id).filter_by(round_id=round_id)))
    computation = service.compute(round_)
    funnel: dict[str, Counter] = {}
    scores: list[float] = []
    for row in computation.rows:
        c = funnel.setdefault(row.candidate.position_code, Counter())
        c["admitted"] += 1
        if row.round1 in ("pass", "fail"):
            c["sat_round1"] += 1
        if row.round1 in ("pass", "not_required"):
            c["passed_round1"] += 1
        if row.round2 is not None:
            c["sat_round2"] += 1
            scores.append(float(row.round2))
        if row.status == "selected":
            c["selected"] += 1
    positions = {p.code: p for p in round_.positions}
    for code, p in positions.items():
        funnel.setdefault(code, Counter())["applied"] = applied.get(p.id, 0)
    return render_template("results/dashboard.html", round=round_, funnel=funnel, positions=positions,
                           histogram=charts.histogram_svg(scores, _("Round-2 scores")),
                           status_items=[(str(STATUS_LABELS[s]), n) for s, n in
                                         Counter(r.status for r in computation.rows).most_common()],
                           bars=charts.bars_svg)
