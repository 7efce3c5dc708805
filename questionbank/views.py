"""The question-setting board's pages. The bank is secret (G2): only the board, the council chair
and the supervisor see it, and every list view, export and import is audited."""
from __future__ import annotations

import io
import re
import secrets
from decimal import Decimal
from pathlib import Path

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
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from recruitment import paging, tabular
from recruitment.access import public, roles
from recruitment.actions import committed
from recruitment.database import commit_keeping_loaded
from recruitment.extensions import db
from recruitment.forms import ConfirmForm
from recruitment.models import Position, Round, User
from recruitment.tabular import ImportRejected, RowError
from recruitment.url_ids import database_id

from . import bank, coverage, exporters, import_jobs, importers, pool, read_log, sanitize, word_export
from .forms import (
    ACTION_LABELS,
    DIFFICULTY_LABELS,
    SECTION_LABELS,
    STATUS_LABELS,
    TYPE_LABELS,
    CoverageForm,
    ImportQuestionsForm,
    QuestionForm,
    ReviewForm,
)
from .importers import spreadsheet
from .models import Question, QuestionImage, QuestionVersion, ReviewEvent
from .record_checks import validate
from .records import LETTERS, TRUE_FALSE, QuestionRecord, normalise_html

bp = Blueprint("questionbank", __name__, url_prefix="/questions")
# G2: only the question-setting board sees unused questions and keys (the supervisor reads, G6).
BOARD = ("question_setter",)
# The council chair builds blueprints from coverage counts, never from stems or keys (G1, G2).
COVERAGE_READERS = (*BOARD, "council_chair")
_IMG = re.compile(r'(<img\b[^>]*\bsrc=")([^"]+)(")')
# A record's fields as the question form names them, for its refusals (record_checks names the field).
FORM_FIELDS = {"stem": _l("Question"), "options": _l("Options"), "answer": _l("Answer"), "topic": _l("Topic"),
               "positions": _l("Positions"), "points": _l("Points"), "difficulty": _l("Difficulty"),
               "section": _l("Section"), "type": _l("Type"), "code": _l("Code"), "image": _l("Image")}


@bp.app_context_processor
def labels():
    return {"qb_sections": SECTION_LABELS, "qb_types": TYPE_LABELS, "qb_statuses": STATUS_LABELS,
            "qb_difficulties": DIFFICULTY_LABELS, "qb_actions": ACTION_LABELS, "letters": LETTERS}


@bp.app_template_filter("bank_html")
def bank_html(markup: str) -> Markup:
    """Sanitised again on output, with image names pointing at the protected image route."""
    cleaned = sanitize.clean(markup)
    return Markup(_IMG.sub(lambda m: m.group(1) + url_for("questionbank.image", name=m.group(2)) + m.group(3), cleaned))


def _filters() -> tuple[dict, list[str]]:
    """The filters of the address, and the names of those ignored because their value is impossible."""
    return bank.clean_filters({k: request.args.get(k, "").strip() for k in (
        "q", "section", "status", "type", "topic", "difficulty", "author", "position")})


@bp.route("/")
@roles(*BOARD)
def index():
    filters, ignored = _filters()
    names = {"difficulty": _("Difficulty"), "author": _("Author")}
    for name in ignored:
        flash(_("The filter %(name)s was ignored: its value is not one of the choices.", name=names[name]), "warning")
    page = paging.paginate(bank.search(filters).options(selectinload(Question.current)),
                           per_page=current_app.config["PAGE_SIZE"])
    read_log.listed(filters)  # G2
    commit_keeping_loaded()  # as the review queue
    authors = db.session.scalars(select(User).where(User.id.in_(select(Question.author_id).distinct()))).all()
    return render_template("questionbank/index.html", page=page, filters=filters, topics=bank.topics(),
                           authors=authors, counts=bank.counts_by_status())


@bp.route("/review")
@roles(*BOARD)
def review_queue():
    # An import puts every question in review: a page at a time, each row's text and author read with it.
    query = (select(Question).where(Question.status == "in_review").order_by(Question.updated_at, Question.id)
             .options(selectinload(Question.current), selectinload(Question.author)))
    page = paging.paginate(query, per_page=current_app.config["PAGE_SIZE"])
    read_log.listed({"status": "in_review"})  # G2
    commit_keeping_loaded()  # the log's commit would expire the page's rows, each read again to be shown
    return render_template("questionbank/review.html", page=page, items=page.items, confirm=ConfirmForm())


@bp.route("/review/approve", methods=["POST"])
@roles("question_setter")
def approve_selected():
    """Bulk approval in two steps: the selection, then a confirmation naming how many (G2 per question)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ids = sorted(set(request.form.getlist("question", type=database_id)))
    # Only questions in review are approved, and only they are shown on the confirmation (G2: each logged).
    questions = list(db.session.scalars(select(Question).where(Question.id.in_(ids), Question.status == "in_review")
                                        .order_by(Question.code))) if ids else []
    if not questions:
        flash(_("Select the questions to approve."), "warning")
        return redirect(url_for("questionbank.review_queue"))
    if request.form.get("confirmed") != "1":
        for question in questions:
            read_log.viewed(question)
        db.session.commit()
        return render_template("questionbank/approve_confirm.html", items=questions, confirm=ConfirmForm(),
                               seen={q.id: bank.seen_token(q) for q in questions})
    approved, refused = bank.approve_many(questions, current_user, {q.id: request.form[f"seen-{q.id}"] for q in questions
                                                                   if f"seen-{q.id}" in request.form})
    db.session.commit()
    if approved:
        flash(_("%(n)d question(s) approved: %(codes)s.", n=len(approved), codes=", ".join(q.code for q in approved)),
              "success")
    for question, reason in refused:
        flash(_("%(code)s was not approved: %(reason)s", code=question.code, reason=reason), "danger")
    return redirect(url_for("questionbank.review_queue"))


@bp.route("/<int:question_id>")
@roles(*BOARD)
def detail(question_id: int):
    question = db.get_or_404(Question, question_id)
    versions = db.session.scalars(select(QuestionVersion).filter_by(question_id=question_id)
                                  .order_by(QuestionVersion.number.desc())).all()
    events = db.session.scalars(select(ReviewEvent).filter_by(question_id=question_id).order_by(ReviewEvent.at.desc())).all()
    read_log.viewed(question)  # G2
    db.session.commit()
    return render_template("questionbank/detail.html", q=question, versions=versions, events=events,
                           review_form=ReviewForm(), seen=bank.seen_token(question))


def _record_from_form(form: QuestionForm) -> tuple[QuestionRecord, list]:
    kind = form.type.data
    options = [normalise_html(getattr(form, letter.lower()).data or "") for letter in LETTERS
               if (getattr(form, letter.lower()).data or "").strip()]
    if kind == "truefalse" and not options:
        options = list(TRUE_FALSE)
    raw = (form.answer.data or "").strip()
    errors = []
    if kind == "fill":
        answer = tabular.split_list(raw)
    elif len(raw) == 1 and raw.upper() in LETTERS:
        answer = [LETTERS.index(raw.upper())]
    else:
        answer = []
    record = QuestionRecord(ref=0, stem=normalise_html(form.stem.data or ""), type=kind, options=options,
                            answer=answer, section=form.section.data, positions=tabular.split_list(form.positions.data),
                            topic=(form.topic.data or "").strip(), difficulty=form.difficulty.data,
                            points=Decimal(form.points.data or 1), explanation=normalise_html(form.explanation.data or ""),
                            keep_order=form.keep_order.data)
    errors.extend(validate(record, lambda name: str(FORM_FIELDS.get(name, name))))
    errors.extend(RowError(e.row, str(FORM_FIELDS["image"]), e.message) for e in bank.image_errors([record]))
    return record, errors


def _fill_form(form: QuestionForm, question: Question) -> None:
    r = bank.record_of(question)
    form.section.data, form.topic.data, form.difficulty.data, form.type.data = r.section, r.topic, r.difficulty, r.type
    form.positions.data = "; ".join(r.positions)
    form.stem.data, form.points.data, form.explanation.data, form.keep_order.data = r.stem, r.points, r.explanation, r.keep_order
    for i, option in enumerate(r.options):
        getattr(form, LETTERS[i].lower()).data = option
    form.answer.data = "; ".join(r.answer) if r.type == "fill" else LETTERS[r.answer[0]]


@bp.route("/new", methods=["GET", "POST"])
@roles("question_setter")
def create():
    form = QuestionForm()
    if form.validate_on_submit():
        record, errors = _record_from_form(form)
        if not errors:
            question = bank.create(record, current_user)
            db.session.commit()
            flash(_("Question %(code)s saved as a draft.", code=question.code), "success")
            return redirect(url_for("questionbank.detail", question_id=question.id))
        for e in errors:
            flash(f"{e.column}: {e.message}", "danger")
    return render_template("questionbank/form.html", form=form, question=None)


@bp.route("/<int:question_id>/edit", methods=["GET", "POST"])
@roles("question_setter")
def edit(question_id: int):
    question = db.get_or_404(Question, question_id)
    form = QuestionForm()
    if request.method == "GET":
        _fill_form(form, question)
        form.seen.data = bank.seen_token(question)  # an edit of what this page shows, not of a later change
        read_log.viewed(question)  # G2: the edit form shows the stem and key too
        db.session.commit()
    elif form.validate_on_submit():
        record, errors = _record_from_form(form)
        if not errors:
            with committed() as outcome:
                bank.edit(question, record, current_user, form.comment.data or "", form.seen.data or None)
            if outcome.committed:
                flash(_("Question %(code)s saved (version %(n)d).", code=question.code, n=question.current.number), "success")
            return redirect(url_for("questionbank.detail", question_id=question.id))
        for e in errors:
            flash(f"{e.column}: {e.message}", "danger")
    return render_template("questionbank/form.html", form=form, question=question)


@bp.route("/<int:question_id>/<any(submit, approve, return, retire, restore):action>", methods=["POST"])
@roles("question_setter")
def review(question_id: int, action: str):
    question = db.get_or_404(Question, question_id)
    form = ReviewForm()
    if form.validate_on_submit():
        with committed() as outcome:
            bank.transition(question, action, current_user, form.comment.data or "", request.form.get("seen"))
        if outcome.committed:
            flash(_("Question %(code)s is now %(status)s.", code=question.code, status=STATUS_LABELS[question.status]),
                  "success")
    return redirect(url_for("questionbank.detail", question_id=question_id))


def _import_dir() -> Path:
    path = Path(current_app.config["UPLOAD_FOLDER"]) / "question-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@bp.route("/import", methods=["GET", "POST"])
@roles("question_setter")
def import_upload():
    form = ImportQuestionsForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        defaults = {"section": form.section.data, "topic": (form.topic.data or "").strip(),
                    "difficulty": form.difficulty.data, "positions": tabular.split_list(form.positions.data)}
        if len(data) >= current_app.config["IMPORT_BACKGROUND_BYTES"]:  # a big file: the preview is a job
            job = import_jobs.start_preview(upload.filename, data, defaults, PREVIEW_ROWS, current_user.id)
            return redirect(url_for("questionbank.import_job", job_id=job.id))
        try:
            parsed = importers.parse(upload.filename, data, defaults)
            result = bank.import_records(parsed.records, current_user, filename=upload.filename, dry_run=True)
        except ImportRejected as rejected:
            db.session.rollback()
            return render_template("questionbank/import.html", form=form, errors=rejected.errors,
                                   filename=upload.filename), 422
        token = secrets.token_hex(16)
        (_import_dir() / token).write_bytes(data)
        session["question_import"] = {"token": token, "filename": upload.filename, "defaults": defaults}
        duplicates = sum(1 for row in result.rows if row.duplicate_of)
        return render_template("questionbank/preview.html", filename=upload.filename, count=len(parsed.records),
                               fmt=parsed.format, skipped=parsed.skipped, shown=_preview_rows(result.rows),
                               duplicates=duplicates, preview_rows=PREVIEW_ROWS,
                               confirm_url=url_for("questionbank.import_confirm"))
    return render_template("questionbank/import.html", form=form, errors=None)


PREVIEW_ROWS = 500


def _preview_rows(rows: list[bank.PreviewRow]) -> list[bank.PreviewRow]:
    return import_jobs.shown_rows(rows, PREVIEW_ROWS)


@bp.route("/import/confirm", methods=["POST"])
@roles("question_setter")
def import_confirm():
    pending = session.pop("question_import", None)
    if not ReviewForm().validate_on_submit() or not pending or not re.fullmatch(r"[0-9a-f]{32}", pending["token"]):
        flash(_("There is no file waiting to be imported: upload it again."), "danger")
        return redirect(url_for("questionbank.import_upload"))
    path = _import_dir() / pending["token"]
    try:
        with committed((ImportRejected, FileNotFoundError),
                       say=lambda _problem: _("The file could not be imported any more: upload it again.")) as outcome:
            parsed = importers.parse(pending["filename"], path.read_bytes(), pending["defaults"])
            result = bank.import_records(parsed.records, current_user, filename=pending["filename"])
    finally:
        path.unlink(missing_ok=True)
    if not outcome.committed:
        return redirect(url_for("questionbank.import_upload"))
    flash(_("%(n)d questions imported and sent for review.", n=len(result.created)), "success")
    return redirect(url_for("questionbank.index", status="in_review"))


@bp.route("/template.<any(xlsx, csv):fmt>")
@roles(*BOARD)
def template(fmt: str):
    data = tabular.template(spreadsheet.COLUMNS, fmt)
    mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx" else "text/csv"
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True, download_name=f"questions-template.{fmt}")


@bp.route("/export.<any(xlsx, xml):fmt>")
@roles(*BOARD)
def export(fmt: str):
    questions = db.session.scalars(bank.search(_filters()[0])).all()
    records = [bank.record_of(q) for q in questions]
    read_log.exported(fmt, len(records))  # G2
    db.session.commit()
    if fmt == "xlsx":
        data, mime = exporters.to_xlsx(records), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        images = {i.name: i.data for i in db.session.scalars(select(QuestionImage))}
        data, mime = exporters.to_moodle_xml(records, images), "application/xml"
    return send_file(io.BytesIO(data), mimetype=mime, as_attachment=True, download_name=f"question-bank.{fmt}")


@bp.route("/export.docx")
@roles(*BOARD)
def export_docx():
    """Word, for review on paper: with the keys (?keys=1) or without them."""
    keys = request.args.get("keys") == "1"
    questions = db.session.scalars(bank.search(_filters()[0])).all()
    records = [bank.record_of(q) for q in questions]
    read_log.exported("docx", len(records), keys=keys)  # G2
    db.session.commit()
    images = {i.name: i.data for i in db.session.scalars(select(QuestionImage))}
    data = word_export.to_docx(records, images, keys=keys)
    return send_file(io.BytesIO(data), as_attachment=True,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                     download_name="question-bank-keys.docx" if keys else "question-bank.docx")


@bp.route("/images/<name>")
@roles(*BOARD)
def image(name: str):
    found = db.session.scalar(select(QuestionImage).filter_by(name=name))
    if found is None:
        abort(404)
    return Response(found.data, mimetype=found.mime, headers={"Cache-Control": "private, max-age=600",
                                                              "X-Content-Type-Options": "nosniff"})


@bp.route("/candidate-images/<token>")
@public
def candidate_image(token: str):
    """An image of a question on a candidate's paper: only through the signed link the paper holds."""
    from .api import CANDIDATE_IMAGE_SECONDS
    from .images import name_from

    name = name_from(token, CANDIDATE_IMAGE_SECONDS)
    found = db.session.scalar(select(QuestionImage).filter_by(name=name)) if name else None
    if found is None:
        abort(404)
    return Response(found.data, mimetype=found.mime, headers={"Cache-Control": "private, max-age=600",
                                                              "X-Content-Type-Options": "nosniff"})


@bp.route("/coverage")
@roles(*COVERAGE_READERS)
def coverage_matrix():
    form = CoverageForm(request.args)
    section = form.section.data or "general"
    position = (form.position.data or "").strip() or None
    multiple, ignored = form.multiple_in_force()
    if ignored:
        flash(_("The filter %(name)s was ignored: its value is not one of the choices.", name=form.multiple.label.text),
              "warning")
    approved = [(p.topic, p.difficulty) for p in pool.approved_pool(section, position)]
    demand: dict = {}
    for provider in current_app.extensions.get("questionbank.demand", []):
        for key, count in provider(section, position).items():
            demand[key] = demand.get(key, 0) + count
    cells = coverage.matrix(approved, demand, multiple)
    topics = sorted({c.topic for c in cells})
    grid = {(c.topic, c.difficulty): c for c in cells}
    codes = sorted({p.code for p in db.session.scalars(select(Position).join(Round))})
    return render_template("questionbank/coverage.html", form=form, topics=topics, grid=grid, codes=codes,
                           short=[c for c in cells if c.short], section=section, position=position)
