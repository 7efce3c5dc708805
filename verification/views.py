"""Verification pages: the verifiers' list of dossiers (due, overdue), a dossier with each document
checked against the issuing records side by side, decisions and the second verifier's confirmation,
uploads by HR or by the candidate, the issuing-records import, and the candidate's dossier log-in."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from recruitment import codes, labels, tabular, throttle
from recruitment.access import public, roles
from recruitment.actions import committed
from recruitment.candidates import candidate_user
from recruitment.extensions import db
from recruitment.forms import LABELS, ConfirmForm
from recruitment.models import Application, Round
from recruitment.rulesets import DEGREE_LEVELS

from . import documents, dossiers, outcomes, records, uploads
from .models import Document, Dossier

bp = Blueprint("verification", __name__, url_prefix="/verification")
VIEWERS = ("verifier", "council_chair", "hr")
KIND_LABELS, DECISION_LABELS = labels.DOC_KIND, labels.DOC_DECISION  # the one catalogue (recruitment/labels.py)


class DocumentForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=100)])
    holder_name = StringField(_l("Holder"), validators=[DataRequired(), Length(max=200)])
    date_of_birth = DateField(_l("Date of birth"), format=["%d/%m/%Y", "%Y-%m-%d"], validators=[Optional()])
    institution = StringField(_l("Institution"), validators=[Optional(), Length(max=300)])
    level = SelectField(_l("Level"), choices=[("", "")] + [(d, LABELS["degree"][d]) for d in DEGREE_LEVELS])
    major = StringField(_l("Major"), validators=[Optional(), Length(max=200)])
    issued_on = DateField(_l("Issue date"), format=["%d/%m/%Y", "%Y-%m-%d"], validators=[Optional()])
    scan = FileField(_l("Scan (PDF, JPEG or PNG)"))


class DossierLoginForm(FlaskForm):
    round_id = SelectField(_l("Recruitment round"), coerce=int)
    candidate_number = IntegerField(_l("Candidate number"), validators=[DataRequired()])
    date_of_birth = DateField(_l("Date of birth"), format=["%d/%m/%Y", "%Y-%m-%d"], validators=[DataRequired()])
    code = StringField(_l("Dossier code (from your selection letter)"), validators=[DataRequired(), Length(max=20)])


@bp.app_context_processor
def labels():
    return {"doc_kinds": KIND_LABELS, "doc_decisions": DECISION_LABELS}


def _sync(round_: Round) -> None:
    """Dossiers open for the newly selected and the deadline is applied whenever the list is looked at."""
    dossiers.open_dossiers(round_)
    cancelled = dossiers.enforce_deadlines(date.today())
    db.session.commit()
    for reply in outcomes.announce_cancellations(cancelled):
        flash(reply.message, "info" if reply.ok else "warning")


@bp.route("/")
@roles(*VIEWERS)
def index():
    rounds = db.session.scalars(db.select(Round).order_by(Round.created_at.desc())).all()
    lists = {}
    for round_ in rounds:
        _sync(round_)
        lists[round_.id] = dossiers.due_list(round_, date.today())
    return render_template("verification/index.html", rounds=rounds, lists=lists)


def _dossier(dossier_id: int) -> Dossier:
    return db.get_or_404(Dossier, dossier_id)


@bp.route("/dossiers/<int:dossier_id>")
@roles(*VIEWERS)
def dossier(dossier_id: int):
    item = _dossier(dossier_id)
    checks = {d.id: dossiers.check(d) for d in item.documents}
    from . import api
    return render_template("verification/dossier.html", dossier=item, checks=checks, form=DocumentForm(),
                           confirm=ConfirmForm(), flags=api.flags_for(item.application.national_id),
                           missing=dossiers.incomplete(item))


def _add_document(item: Dossier, form: DocumentForm) -> None:
    """The document of the form, committed; a refusal (a closed dossier, a bad scan) is flashed."""
    upload = form.scan.data
    fields = {"kind": form.kind.data, "number": (form.number.data or "").strip(),
              "holder_name": (form.holder_name.data or "").strip(),
              "date_of_birth": form.date_of_birth.data, "institution": (form.institution.data or "").strip(),
              "level": form.level.data or "", "major": (form.major.data or "").strip(), "issued_on": form.issued_on.data}
    with committed() as outcome:
        documents.add(item, fields, upload.filename if upload else "", upload.read() if upload else b"", current_user)
    if outcome.committed:
        flash(_("Document added."), "success")


@bp.route("/dossiers/<int:dossier_id>/documents", methods=["POST"])
@roles("hr")
def add_document(dossier_id: int):
    item = _dossier(dossier_id)
    form = DocumentForm()
    if not form.validate_on_submit():
        flash(_("Give at least the kind, the number and the holder."), "danger")
    else:
        _add_document(item, form)
    return redirect(url_for("verification.dossier", dossier_id=dossier_id))


@bp.route("/documents/<int:document_id>/decide", methods=["POST"])
@roles("verifier")
def decide(document_id: int):
    document = db.get_or_404(Document, document_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with committed() as outcome:
        dossiers.decide(document, request.form.get("decision", ""), request.form.get("reason", ""), current_user)
    if outcome.committed:
        if document.decision == "rejected" and document.kind in dossiers.CANCELLING_KINDS:
            flash(_("Rejected. A second verifier must confirm before the selection is cancelled (F3)."), "warning")
    return redirect(url_for("verification.dossier", dossier_id=document.dossier_id))


@bp.route("/documents/<int:document_id>/confirm", methods=["POST"])
@roles("verifier")
def confirm(document_id: int):
    document = db.get_or_404(Document, document_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with committed() as outcome:
        dossiers.confirm_rejection(document, current_user)
    if outcome.committed:
        flash(_("The selection is cancelled (F3)."), "success")
        for reply in outcomes.announce_cancellations([document.dossier.application_id]):
            flash(reply.message, "success" if reply.ok else "warning")
    return redirect(url_for("verification.dossier", dossier_id=document.dossier_id))


def _send_scan(document: Document) -> Response:
    if not document.stored_name:
        abort(404)
    return Response(uploads.read(document.stored_name), mimetype=document.mime, headers={
        "Content-Disposition": f'attachment; filename="scan-{document.id}{uploads.ALLOWED[document.mime]}"',
        **uploads.SERVE_HEADERS})


@bp.route("/documents/<int:document_id>/scan")
@roles("verifier", "council_chair")
def scan(document_id: int):
    return _send_scan(db.get_or_404(Document, document_id))


@bp.route("/records", methods=["GET", "POST"])
@roles("verifier")
def issuing_records():
    errors = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        upload = request.files.get("file")
        try:
            report = records.import_records(upload.filename if upload else "", upload.read() if upload else b"")
        except tabular.ImportRejected as rejected:
            errors = rejected.errors
        else:
            flash(_("%(n)d issuing records imported.", n=report.rows), "success")
            return redirect(url_for("verification.issuing_records"))
    from .models import IssuingRecord
    count = db.session.scalar(db.select(db.func.count()).select_from(IssuingRecord))
    return render_template("verification/records.html", errors=errors, count=count, confirm=ConfirmForm())


# --- the candidate's side ------------------------------------------------------------------

@bp.route("/candidate/login", methods=["GET", "POST"])
@public
def candidate_login():
    form = DossierLoginForm()
    form.round_id.choices = [(r.id, r.name) for r in db.session.scalars(db.select(Round).order_by(Round.created_at.desc()))]
    error = None
    if form.validate_on_submit():
        key = f"{form.round_id.data}:{form.candidate_number.data}"
        if throttle.exceeded("dossier_login", key, 10, 900):
            error = _("Too many attempts. Try again later.")
        else:
            application = db.session.scalar(db.select(Application).filter_by(
                round_id=form.round_id.data, candidate_number=form.candidate_number.data,
                date_of_birth=form.date_of_birth.data))
            item = db.session.scalar(db.select(Dossier).filter_by(application_id=application.id)) if application else None
            if item is None or not codes.matches(item.access_hash, form.code.data):
                throttle.note("dossier_login", key)
                db.session.commit()
                error = _("These details do not match a dossier.")
            else:
                user = candidate_user(application)
                db.session.commit()
                session.clear()
                login_user(user)
                session["dossier_id"] = item.id
                return redirect(url_for("verification.my_dossier"))
    return render_template("verification/candidate_login.html", form=form, error=error)


def _own_dossier() -> Dossier:
    if not session.get("dossier_id"):  # not opened with the dossier code in this session
        abort(redirect(url_for("verification.candidate_login")))
    item = db.session.get(Dossier, session["dossier_id"])
    if item is None or item.application_id != current_user.application_id:
        abort(403)  # a candidate sees only their own dossier
    return item


@bp.route("/candidate/", methods=["GET", "POST"])
@roles("candidate")
def my_dossier():
    item = _own_dossier()
    form = DocumentForm()
    if request.method == "POST":
        if form.validate_on_submit() or item.status != "open":  # the closed dossier is said before the form
            _add_document(item, form)
        return redirect(url_for("verification.my_dossier"))
    return render_template("verification/my_dossier.html", dossier=item, form=form,
                           missing=dossiers.incomplete(item))


@bp.route("/candidate/scan/<int:document_id>")
@roles("candidate")
def my_scan(document_id: int):
    item = _own_dossier()
    document = db.get_or_404(Document, document_id)
    if document.dossier_id != item.id:
        abort(403)
    return _send_scan(document)


