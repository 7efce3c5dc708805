"""HR pages: rounds, job positions and applications (lists with search, filters and pagination;
create, edit, admit, reject with a reason; imports with downloadable templates)."""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import or_

from .. import applications as app_logic
from .. import import_jobs, importing, paging, positions, registry, tabular
from .. import rounds as rounds_ops
from ..access import roles
from ..actions import ask_confirmation, committed, on_field, second_step, shown_on_page
from ..extensions import db
from ..forms import ApplicationForm, ConfirmForm, ExtensionForm, ImportForm, PositionForm, RejectForm, RoundForm
from ..models import Application, Position, Round
from ..photos import with_photos
from ..url_ids import database_id
from ..vietnamese import fold
from .photos import PHOTOS_JOB

bp = Blueprint("hr", __name__, url_prefix="/hr")
HR = ("hr", "admin", "council_chair")


def init_nav(app) -> None:
    registry.add_nav(app, "hr.rounds", _l("Rounds"), order=10)


def _fields(form) -> dict:
    """The form's fields as the record's columns (the CSRF token is not one)."""
    return {name: value for name, value in form.data.items() if name != "csrf_token"}


def _round(round_id: int) -> Round:
    return db.get_or_404(Round, round_id)


@bp.route("/rounds")
@roles(*HR)
def rounds():
    items = db.session.scalars(db.select(Round).order_by(Round.created_at.desc())).all()
    return render_template("recruitment/rounds.html", rounds=items)


@bp.route("/rounds/new", methods=["GET", "POST"])
@roles("hr", "admin")
def round_new():
    form = RoundForm()
    if form.validate_on_submit():
        with committed(say=on_field(form)) as outcome:
            round_ = rounds_ops.create(_fields(form))
        if outcome.committed:
            flash(_("Round %(code)s created.", code=round_.code), "success")
            return redirect(url_for("hr.round_detail", round_id=round_.id))
    return render_template("recruitment/round_form.html", form=form, round=None)


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@roles("hr", "admin")
def round_edit(round_id: int):
    round_ = _round(round_id)
    form = RoundForm(obj=round_)
    fixed = rounds_ops.fixed_settings(round_)
    locked = "rules_code" in fixed
    for name in fixed:
        form[name].render_kw = {"disabled": True}
    if form.validate_on_submit():
        # A disabled field is not sent: what the page could not change stays as it is.
        fields = _fields(form) | {name: getattr(round_, name) for name in fixed}
        with committed(say=on_field(form)) as outcome:
            rounds_ops.edit(round_, fields)
        if outcome.committed:
            flash(_("Round saved."), "success")
            return redirect(url_for("hr.round_detail", round_id=round_.id))
    return render_template("recruitment/round_form.html", form=form, round=round_, locked=locked)


@bp.route("/rounds/<int:round_id>")
@roles(*HR)
def round_detail(round_id: int):
    round_ = _round(round_id)
    counts = dict(db.session.execute(
        db.select(Application.status, db.func.count()).filter_by(round_id=round_id).group_by(Application.status)).all())
    per_position = dict(db.session.execute(
        db.select(Application.position_id, db.func.count()).filter_by(round_id=round_id, status="admitted")
        .group_by(Application.position_id)).all())
    try:
        app_logic.check_open(round_)
        closed = None
    except app_logic.ApplicationRefused as refused:
        closed = str(refused)
    return render_template("recruitment/round_detail.html", round=round_, counts=counts, per_position=per_position,
                           import_form=ImportForm(), extension_form=ExtensionForm(), closed=closed)


@bp.route("/rounds/<int:round_id>/extend", methods=["POST"])
@roles("hr", "admin")
def round_extend(round_id: int):
    """Applications after the deadline, until a day and for a reason (audited with before and after)."""
    round_ = _round(round_id)
    form = ExtensionForm()
    if not form.validate_on_submit():
        flash(_("An extension needs its last day and its reason."), "danger")
    else:
        with committed() as outcome:
            app_logic.extend(round_, form.until.data, form.reason.data)
        if outcome.committed:
            flash(_("Applications are taken until %(day)s: %(reason)s", day=form.until.data.strftime("%d/%m/%Y"),
                    reason=round_.extension_reason), "success")
    return redirect(url_for("hr.round_detail", round_id=round_id))


@bp.route("/rounds/<int:round_id>/positions/new", methods=["GET", "POST"])
@roles("hr", "admin")
def position_new(round_id: int):
    round_ = _round(round_id)
    form = PositionForm()
    if form.validate_on_submit():
        with committed(say=on_field(form)) as outcome:
            positions.create(round_, _fields(form))
        if outcome.committed:
            return redirect(url_for("hr.round_detail", round_id=round_id))
    return render_template("recruitment/position_form.html", form=form, round=round_, position=None)


@bp.route("/positions/<int:position_id>/edit", methods=["GET", "POST"])
@roles("hr", "admin")
def position_edit(position_id: int):
    position = db.get_or_404(Position, position_id)
    with committed() as outcome:  # E5: nothing to edit once the results are published
        positions.check_editable(position)
    if not outcome.committed:
        return redirect(url_for("hr.round_detail", round_id=position.round_id))
    form = PositionForm(obj=position)
    if form.validate_on_submit():
        with committed(say=on_field(form)) as outcome:
            positions.edit(position, _fields(form))
        if outcome.committed:
            return redirect(url_for("hr.round_detail", round_id=position.round_id))
    return render_template("recruitment/position_form.html", form=form, round=position.round, position=position)


IMPORTS = {
    "positions": (importing.POSITION_COLUMNS, importing.import_positions),
    "applications": (importing.APPLICATION_COLUMNS, importing.import_applications),
}


def _job_runner(importer):
    """A big HR file's job: the very importer of the page, on the job's round."""
    def run(job: import_jobs.ImportJob, data: bytes, progress) -> import_jobs.Outcome:
        report = importer(db.session.get(Round, job.round_id), job.filename, data, progress=progress)
        return import_jobs.Outcome(report.rows, {
            "rows": report.rows, "admitted": getattr(report, "admitted", None),
            "rejected": len(getattr(report, "rejected", [])),
            "messages": [str(m) for m in report.messages[:import_jobs.MAX_ERRORS_KEPT]]})
    return run


for _kind, (_columns, _importer) in IMPORTS.items():
    import_jobs.register(_kind, _job_runner(_importer))


@bp.route("/templates/<kind>.<fmt>")
@roles("hr", "admin")
def import_template(kind: str, fmt: str):
    if kind not in IMPORTS or fmt not in ("xlsx", "csv"):
        abort(404)
    mimetype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                else "text/csv; charset=utf-8")
    return send_file(io.BytesIO(tabular.template(IMPORTS[kind][0], fmt)), mimetype=mimetype,
                     as_attachment=True, download_name=f"{kind}-template.{fmt}")


FLASHED_CHARACTERS = 1_500  # of an import's report, after its summary (see import_file)


@bp.route("/rounds/<int:round_id>/import/<kind>", methods=["POST"])
@roles("hr", "admin")
def import_file(round_id: int, kind: str):
    round_ = _round(round_id)
    if kind not in IMPORTS:
        abort(404)
    form = ImportForm()
    if not form.validate_on_submit():
        for error in form.file.errors:
            flash(error, "danger")
        return redirect(url_for("hr.round_detail", round_id=round_id))
    upload = form.file.data
    data = upload.read()
    if len(data) >= current_app.config["IMPORT_BACKGROUND_BYTES"]:  # a big file: a job with a progress bar
        job = import_jobs.start(kind, upload.filename, data, current_user.id, round_id=round_.id)
        return redirect(url_for("hr.import_job", round_id=round_id, job_id=job.id))
    with committed(tabular.ImportRejected, say=shown_on_page) as outcome:  # all or nothing
        report = IMPORTS[kind][1](round_, upload.filename, data)
    if outcome.refused is not None:
        return render_template("recruitment/import_errors.html", round=round_, kind=kind,
                               filename=upload.filename, errors=outcome.refused.errors), 422
    flash(_("%(file)s: %(rows)d rows imported.", file=upload.filename, rows=report.rows), "success")
    # The messages travel in the session's cookie to the next page, and a browser drops a cookie over
    # 4 KB (the whole report with it): the first ones within FLASHED_CHARACTERS, then where the rest are.
    kept, characters = 0, 0
    for message in report.messages:
        characters += len(message)
        if characters > FLASHED_CHARACTERS:
            break
        flash(message, "warning")
        kept += 1
    if kept < len(report.messages):
        flash(_("%(n)d more messages are not shown here; the rejected applications are listed with their reasons "
                "among the round's applications (status: rejected).", n=len(report.messages) - kept), "warning")
    return redirect(url_for("hr.round_detail", round_id=round_id))


def _job(round_id: int, job_id: int) -> import_jobs.ImportJob:
    job = db.get_or_404(import_jobs.ImportJob, job_id)
    if job.round_id != round_id or job.kind not in (*IMPORTS, PHOTOS_JOB):  # another round's, or the bank's
        abort(404)
    return job


@bp.route("/rounds/<int:round_id>/import-jobs/<int:job_id>")
@roles("hr", "admin")
def import_job(round_id: int, job_id: int):
    job = _job(round_id, job_id)
    return render_template("recruitment/import_job.html", job=job, finished=job.status in import_jobs.FINISHED,
                           status_url=url_for("hr.import_job_status", round_id=round_id, job_id=job.id),
                           back_url=url_for("hr.round_detail", round_id=_round(round_id).id),
                           back_label=_("Back to the round"))


@bp.route("/rounds/<int:round_id>/import-jobs/<int:job_id>/status")
@roles("hr", "admin")
def import_job_status(round_id: int, job_id: int):
    """Polled by the job's page: the state and, while it runs, the importer's steps."""
    return import_jobs.status_of(_job(round_id, job_id))


@bp.route("/rounds/<int:round_id>/applications")
@roles(*HR)
def applications(round_id: int):
    round_ = _round(round_id)
    query = db.select(Application).filter_by(round_id=round_id)
    q = request.args.get("q", "").strip()
    if q:
        folded = f"%{fold(q)}%"
        query = query.where(or_(Application.name_key.like(folded), Application.national_id.like(f"%{q}%"),
                                db.cast(Application.candidate_number, db.String).like(f"{q.lstrip('0')}%")))
    status = request.args.get("status")
    if status:
        query = query.filter_by(status=status)
    position_id = request.args.get("position", type=database_id)
    if position_id:
        query = query.filter_by(position_id=position_id)
    query = query.order_by(Application.candidate_number.is_(None), Application.candidate_number, Application.id)
    page = paging.paginate(query, per_page=current_app.config["PAGE_SIZE"])
    return render_template("recruitment/applications.html", round=round_, page=page, q=q, status=status,
                           position_id=position_id)


@bp.route("/rounds/<int:round_id>/applications/new", methods=["GET", "POST"])
@roles("hr", "admin")
def application_new(round_id: int):
    return _application_form(_round(round_id), None)


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@roles("hr", "admin")
def application_edit(application_id: int):
    application = db.get_or_404(Application, application_id)
    return _application_form(application.round, application)


def _application_form(round_: Round, application: Application | None):
    if application is None:  # a new application: only while the round takes them
        try:
            app_logic.check_open(round_)
        except app_logic.ApplicationRefused as refused:
            flash(str(refused), "danger")
            return redirect(url_for("hr.round_detail", round_id=round_.id))
    form = ApplicationForm(obj=application)
    form.position_id.choices = [(p.id, f"{p.code} — {p.name}") for p in round_.positions]
    if request.method == "GET" and application is not None:
        form.priority_codes.data = application.priority_list
    if form.validate_on_submit():
        with committed(say=on_field(form, "national_id")) as outcome:  # A1: the person's other applications
            application = app_logic.save(round_, application, _fields(form))
        if outcome.committed:
            flash(_("Application saved."), "success")
            return redirect(url_for("hr.application_detail", application_id=application.id))
    return render_template("recruitment/application_form.html", form=form, round=round_, application=application)


@bp.route("/applications/<int:application_id>")
@roles(*HR)
def application_detail(application_id: int):
    application = db.get_or_404(Application, application_id)
    reasons = app_logic.reasons_to_reject(application) if application.status != "rejected" else []
    return render_template("recruitment/application_detail.html", a=application, reasons=reasons,
                           reject_form=RejectForm(), confirm=ConfirmForm(),
                           has_photo=application.id in with_photos([application.id]))


@bp.route("/applications/<int:application_id>/admit", methods=["POST"])
@roles("hr", "admin")
def application_admit(application_id: int):
    application = db.get_or_404(Application, application_id)
    back = url_for("hr.application_detail", application_id=application_id)
    # A3: the number given is never taken back; one not eligible goes straight to the refusal, which says why.
    if not second_step() and not app_logic.reasons_to_reject(application):
        return ask_confirmation(_("Admit %(name)s", name=application.full_name), _(
            "%(name)s (national ID %(id)s, %(position)s) is admitted and given candidate number %(number)s (A3), "
            "which is not taken back.", name=application.full_name, id=application.national_id,
            position=application.position.code, number=f"{app_logic.next_number(application.round):04d}"),
            _("Admit and number"), {}, back)
    if ConfirmForm().validate_on_submit():
        with committed() as outcome:
            app_logic.admit_numbered(application)
        if outcome.committed:
            flash(_("Admitted with candidate number %(number)s.", number=application.number_label), "success")
    return redirect(back)


@bp.route("/rounds/<int:round_id>/admit-eligible", methods=["POST"])
@roles("hr", "admin")
def admit_eligible(round_id: int):
    """Admits every submitted application that meets A2 and numbers them (A3) in one go."""
    round_ = _round(round_id)
    back = url_for("hr.applications", round_id=round_id, status="submitted")
    if not second_step():  # A3: the numbers given are never taken back (numbering stays continuous)
        eligible, waiting = app_logic.eligible_now(round_)
        return ask_confirmation(_("Admit every eligible application"), _(
            "%(n)d applications meeting the conditions (A2) are admitted and given candidate numbers (A3), which are "
            "not taken back; %(m)d others stay to be decided one by one.", n=len(eligible), m=waiting),
            _("Admit and number them"), {}, back)
    if ConfirmForm().validate_on_submit():
        with committed() as outcome:
            admitted, waiting = app_logic.admit_eligible(round_)
        if outcome.committed:
            flash(_("%(n)d applications admitted; %(m)d need a decision.", n=admitted, m=waiting), "success")
    return redirect(back)


@bp.route("/applications/<int:application_id>/reject", methods=["POST"])
@roles("hr", "admin")
def application_reject(application_id: int):
    application = db.get_or_404(Application, application_id)
    form = RejectForm()
    if form.validate_on_submit():
        with committed() as outcome:  # E5: not once the results are published
            app_logic.reject(application, form.reason.data.strip())
        if outcome.committed:
            flash(_("Application rejected."), "success")
    else:
        flash(_("A rejection needs its reason (A4)."), "danger")
    return redirect(url_for("hr.application_detail", application_id=application_id))
