"""Verification pages: the verifiers' list of dossiers (due, overdue), a dossier with each document
checked against the issuing records side by side, decisions and the second verifier's confirmation,
uploads by HR or by the candidate, the issuing-records import, and the candidate's dossier log-in."""
from __future__ import annotations

import io

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from recruitment import import_jobs, labels, tabular, throttle
from recruitment.access import public, roles
from recruitment.actions import ask_confirmation, committed, second_step
from recruitment.candidates import candidate_user
from recruitment.extensions import db
from recruitment.forms import DAY_FORMATS, LABELS, ConfirmForm
from recruitment.i18n import local_today
from recruitment.models import Round
from recruitment.rulesets import DEGREE_LEVELS

from . import access, documents, dossiers, outcomes, records, uploads
from . import letters as letters_pdf
from .models import Document, Dossier

bp = Blueprint("verification", __name__, url_prefix="/verification")
VIEWERS = ("verifier", "council_chair", "hr")
KIND_LABELS, DECISION_LABELS = labels.DOC_KIND, labels.DOC_DECISION  # the one catalogue (recruitment/labels.py)


class DocumentForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    # Priority evidence: the declared claim it supports (D5); the choices are the dossier's (document_form),
    # and documents.add refuses one not declared.
    claim = SelectField(_l("Priority claim it supports"), choices=[("", "")], validate_choice=False)
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=100)])
    holder_name = StringField(_l("Holder"), validators=[DataRequired(), Length(max=200)])
    date_of_birth = DateField(_l("Date of birth"), format=DAY_FORMATS, validators=[Optional()])
    institution = StringField(_l("Institution"), validators=[Optional(), Length(max=300)])
    level = SelectField(_l("Level"), choices=[("", "")] + [(d, LABELS["degree"][d]) for d in DEGREE_LEVELS])
    major = StringField(_l("Major"), validators=[Optional(), Length(max=200)])
    issued_on = DateField(_l("Issue date"), format=DAY_FORMATS, validators=[Optional()])
    scan = FileField(_l("Scan (PDF, JPEG or PNG)"))


def document_form(item: Dossier) -> DocumentForm:
    form = DocumentForm()
    form.claim.choices = [("", "—")] + [(c, labels.label(c, "priority")) for c in item.application.priority_list]
    return form


class DossierLoginForm(FlaskForm):
    round_id = SelectField(_l("Recruitment round"), coerce=int)
    candidate_number = IntegerField(_l("Candidate number"), validators=[DataRequired(), NumberRange(1, 2**31 - 1)])
    date_of_birth = DateField(_l("Date of birth"), format=DAY_FORMATS, validators=[DataRequired()])
    code = StringField(_l("Dossier code (from your selection letter)"), validators=[DataRequired(), Length(max=20)])


@bp.app_context_processor
def document_words():  # not "labels": that is the catalogue module, imported above
    return {"doc_kinds": KIND_LABELS, "doc_decisions": DECISION_LABELS}


@bp.route("/")
@roles(*VIEWERS)
def index():
    """Reading only: opening dossiers and applying the deadline are the POST below (or the CLI)."""
    rounds = db.session.scalars(db.select(Round).order_by(Round.created_at.desc())).all()
    lists = {r.id: dossiers.due_list(r, local_today()) for r in rounds}  # days as counted in Vietnam (F1)
    waiting = {r.id: dossiers.waiting(r) for r in rounds}
    return render_template("verification/index.html", rounds=rounds, lists=lists, waiting=waiting,
                           confirm=ConfirmForm())


@bp.route("/rounds/<int:round_id>/dossiers", methods=["POST"])
@roles("hr", "verifier")
def open_dossiers(round_id: int):
    """Opens the dossiers of the newly selected and applies the deadline (F1, F3); the answer is the
    selection letters with the new dossier codes, the only place the codes are ever shown. A deadline
    that cancels selections is final: a first post names them (the confirmation), and the second does it
    only for the selections it named, compared with the list as it stands (else it is named again)."""
    round_ = db.get_or_404(Round, round_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    today = local_today()  # the deadline's day is Vietnam's (F1, F3)
    due = dossiers.overdue(today, round_)
    named = ",".join(str(d.application_id) for d, _why in due)
    if due and not (second_step() and request.form.get("cancelling") == named):
        return ask_confirmation(_("Apply the dossier deadline (F3)"),
                                dossiers.deadline_consequence(round_, due, dossiers.waiting(round_)),
                                _("Cancel %(n)d selection(s)", n=len(due)), {"cancelling": named},
                                url_for("verification.index"))
    opened = dossiers.open_dossiers(round_)
    cancelled = dossiers.enforce_deadlines(today, round_) if due else []
    letters = letters_pdf.selection_letters(opened) if opened else None
    db.session.commit()
    for reply in outcomes.announce_cancellations(cancelled):
        flash(reply.message, "info" if reply.ok else "warning")
    if letters is None:
        flash(_("No selected candidate is waiting for a dossier."), "info")
        return redirect(url_for("verification.index"))
    return send_file(io.BytesIO(letters), mimetype="application/pdf", as_attachment=True,
                     download_name=f"selection-letters-{round_.code}.pdf")


def _dossier(dossier_id: int) -> Dossier:
    return db.get_or_404(Dossier, dossier_id)


@bp.route("/dossiers/<int:dossier_id>")
@roles(*VIEWERS)
def dossier(dossier_id: int):
    item = _dossier(dossier_id)
    checks = {d.id: dossiers.check(d) for d in item.documents}
    # F2: a document made out to someone other than its candidate says so beside it, before any decision.
    others = {d.id: dossiers.someone_else(d) for d in item.documents if d.kind in dossiers.CANCELLING_KINDS}
    from . import api
    return render_template("verification/dossier.html", dossier=item, checks=checks, others=others,
                           form=document_form(item), confirm=ConfirmForm(), flags=api.flags_for(item.application.national_id),
                           missing=dossiers.incomplete(item), answers=documents.answers_to(item))


@bp.route("/dossiers/<int:dossier_id>/code.pdf", methods=["POST"])
@roles("hr")
def new_code(dossier_id: int):
    """A new dossier code for one candidate (a lost letter), in two posts: the first names the
    consequence, the second issues the code and answers with the letter."""
    item = _dossier(dossier_id)
    back = url_for("verification.dossier", dossier_id=dossier_id)
    if not second_step():
        return ask_confirmation(_("New dossier code"),
                                _("A new dossier code for %(who)s: the code on the letter already handed out no "
                                  "longer opens the dossier; give the candidate the new letter.",
                                  who=item.application.full_name),
                                _("Issue the new code and print the letter"), {}, back)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with committed() as outcome:
        letter = letters_pdf.selection_letters([(item, access.issue_code(item, current_user))])
    if not outcome.committed:
        return redirect(back)
    return send_file(io.BytesIO(letter), mimetype="application/pdf", as_attachment=True,
                     download_name=f"selection-letter-{item.application.number_label}.pdf")


def _add_document(item: Dossier, form: DocumentForm) -> None:
    """The document of the form, committed; a refusal (a closed dossier, a bad scan) is flashed."""
    upload = form.scan.data
    fields = {"kind": form.kind.data, "claim": form.claim.data or "", "number": (form.number.data or "").strip(),
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
    form = document_form(item)
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
    """The second verifier's confirmation cancels the selection for good (F3): a first post names that
    consequence, the second does it. What may not be confirmed goes straight to the action, which says why."""
    document = db.get_or_404(Document, document_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    shown = dossiers.rejection_shown(document)
    if (not second_step() or request.form.get("shown") != shown) \
            and dossiers.confirmation_refused(document, current_user) is None:
        return ask_confirmation(_("Confirm the rejection (F3)"), dossiers.rejection_consequence(document),
                                _("Confirm the rejection: cancel the selection (F3)"), {"shown": shown},
                                url_for("verification.dossier", dossier_id=document.dossier_id))
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
        data = upload.read() if upload else b""
        if upload and len(data) >= current_app.config["IMPORT_BACKGROUND_BYTES"]:  # a big register: a job
            job = import_jobs.start(RECORDS_JOB, upload.filename, data, current_user.id,
                                    audited_as=("issuing_records", None))
            return redirect(url_for("verification.records_job", job_id=job.id))
        try:
            report = records.import_records(upload.filename if upload else "", data)
        except tabular.ImportRejected as rejected:
            errors = rejected.errors
        else:
            flash(_("%(n)d issuing records imported.", n=report.rows), "success")
            return redirect(url_for("verification.issuing_records"))
    from .models import IssuingRecord
    count = db.session.scalar(db.select(db.func.count()).select_from(IssuingRecord))
    return render_template("verification/records.html", errors=errors, count=count, confirm=ConfirmForm())


RECORDS_JOB = "issuing_records"
import_jobs.register(RECORDS_JOB, lambda job, data, progress: import_jobs.Outcome(
    records.import_records(job.filename, data, progress).rows, {}))


def _records_job(job_id: int) -> import_jobs.ImportJob:
    job = db.get_or_404(import_jobs.ImportJob, job_id)
    if job.kind != RECORDS_JOB:
        abort(404)
    return job


@bp.route("/records/jobs/<int:job_id>")
@roles("verifier")
def records_job(job_id: int):
    job = _records_job(job_id)
    return render_template("recruitment/import_job.html", job=job, finished=job.status in import_jobs.FINISHED,
                           status_url=url_for("verification.records_job_status", job_id=job.id),
                           back_url=url_for("verification.issuing_records"), back_label=_("Back to the issuing records"))


@bp.route("/records/jobs/<int:job_id>/status")
@roles("verifier")
def records_job_status(job_id: int):
    return import_jobs.status_of(_records_job(job_id))


# --- the candidate's side ------------------------------------------------------------------

@bp.route("/candidate/login", methods=["GET", "POST"])
@public
def candidate_login():
    form = DossierLoginForm()
    form.round_id.choices = [(r.id, r.name) for r in db.session.scalars(db.select(Round).order_by(Round.created_at.desc()))]
    error = None
    if form.validate_on_submit():
        try:
            item = access.log_in(form.round_id.data, form.candidate_number.data, form.date_of_birth.data,
                                 form.code.data, throttle.client(request.remote_addr))
        except access.Refused as refused:
            error = str(refused)
        else:
            user = candidate_user(item.application)
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
    form = document_form(item)
    if request.method == "POST":
        if form.validate_on_submit() or item.status != "open":  # the closed dossier is said before the form
            _add_document(item, form)
        return redirect(url_for("verification.my_dossier"))
    return render_template("verification/my_dossier.html", dossier=item, form=form, confirm=ConfirmForm(),
                           missing=dossiers.incomplete(item))


@bp.route("/candidate/documents/<int:document_id>/answer", methods=["POST"])
@roles("candidate")
def answer(document_id: int):
    """F2: the candidate's answer to "needs more information", on the document that asked."""
    document = _own_document(document_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    upload = request.files.get("scan")
    with committed() as outcome:
        documents.answer(document, request.form.get("note", ""), upload.filename if upload else "",
                         upload.read() if upload else b"", current_user)
    if outcome.committed:
        flash(_("Answer sent: a verifier will look at the document again."), "success")
    return redirect(url_for("verification.my_dossier"))


@bp.route("/candidate/scan/<int:document_id>")
@roles("candidate")
def my_scan(document_id: int):
    return _send_scan(_own_document(document_id))


def _own_document(document_id: int) -> Document:
    """A document of the candidate's own dossier; another's is forbidden."""
    item = _own_dossier()
    document = db.get_or_404(Document, document_id)
    if document.dossier_id != item.id:
        abort(403)
    return document


