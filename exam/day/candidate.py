"""The candidate's exam in the browser: log-in with candidate number and access code, the waiting
screen, the exam page, and the JSON calls it makes (docs/exam-api.md). Keys never leave the server."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache, wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from recruitment import audit_bulk, throttle
from recruitment.access import public, roles
from recruitment.candidates import account_of, candidate_user
from recruitment.database import commit_keeping_loaded, one_writer_at_a_time, utcnow
from recruitment.extensions import db
from recruitment.i18n import format_number
from recruitment.models import Round, User

from .. import form_draws
from ..models import Attempt, AttemptAnswer
from . import admission, answer_check, autosave, handing_in, lockouts, seating
from .models import Placement
from .standing import Standing, standing

bp = Blueprint("exam_candidate", __name__, url_prefix="/exam/candidate")
API_PREFIX = f"{bp.url_prefix}/api/"


@bp.before_request
def _calls_need_a_log_in():
    """The page's JSON calls are answered in JSON. Without a log-in (the test was handed in on another
    tab, which ends the browser's session, or the candidate logged out), the log-in page's redirect
    reached the page as HTML it cannot read: it showed "offline" and asked again for ever. Now it is
    told, and closes. A save in a sitting's session loads no user (_sitting_session): its own
    statement checks the session, and a logged-out one is refused as superseded."""
    if not request.path.startswith(API_PREFIX):
        return None
    if request.endpoint == "exam_candidate.answer" and session.get("attempt_id") is not None:
        return None
    if "_user_id" in session and current_user.is_authenticated:
        return None
    return jsonify({"error": admission.session_ended_message(), "superseded": True}), 401


@bp.after_request
def _no_store(response):
    # B3: nothing of the exam stays on the lab computer, not even in the browser's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


class CandidateLoginForm(FlaskForm):
    round_id = SelectField(_l("Recruitment round"), coerce=int)
    candidate_number = IntegerField(_l("Candidate number"), validators=[DataRequired(), NumberRange(1, 2**31 - 1)])
    access_code = StringField(_l("Access code"), validators=[DataRequired(), Length(max=20)])


def _load_placement(placement_id: int) -> Placement | None:
    return db.session.scalar(admission.placement_by_id(), {"placement_id": placement_id})


# ------------------------------------------------------------------------------------------------


def _placement() -> Placement:
    if not session.get("placement_id"):  # no sitting joined in this session: log in with the access code
        abort(redirect(url_for("exam_candidate.login")))
    placement = _load_placement(session["placement_id"])
    if placement is None or placement.attempt.application_id != current_user.application_id:
        abort(403)  # a candidate reaches only their own attempt
    if placement.session_token is None or placement.session_token != session.get("session_token"):
        _superseded(placement.attempt.status)  # opened elsewhere, moved, logged out or handed in: over here
    return placement


def _superseded(status: str | None):
    message = admission.superseded_message(status)
    logout_user()
    session.clear()
    if request.path.startswith(API_PREFIX):  # the JSON calls
        abort(make_response(jsonify({"error": message, "superseded": True}), 409))
    flash(message, "warning")
    abort(redirect(url_for("exam_candidate.login")))


def _sitting_session(view):
    """@roles("candidate") for the autosave, the commonest request of exam day, without loading the
    user and their roles again on every save: the signed session names the attempt and application
    only after an access-code log-in (a staff log-in clears them, submission ends the session), and
    the save's own statement checks that the attempt is that application's, in progress and in time.
    A session without them takes the full check."""
    checked = roles("candidate")(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        if session.get("attempt_id") is None or session.get("application_id") is None:
            return checked(*args, **kwargs)
        return view(*args, **kwargs)

    wrapped.access = checked.access
    return wrapped


def session_is_live(token: str) -> bool:
    """For the bank's image links (questionbank/images.py): the session is still the attempt's live one,
    before its deadline."""
    return db.session.scalar(db.select(Placement.id).join(Attempt, Attempt.id == Placement.attempt_id).where(
        Placement.session_token == token, Attempt.deadline > utcnow())) is not None


def on_logged_out(_app, user=None, **_kwargs) -> None:
    """Any log-out (the button, a hand-in) ends the candidate's exam session on the server: a cookie
    captured before it can no longer save. The caller commits."""
    placement_id = session.get("placement_id")
    placement = db.session.get(Placement, placement_id) if placement_id else None
    if placement is not None:
        admission.end_session(placement, session.get("session_token"))


# Built once, as admission.placement_by_id: the log-in and the exam page are the start's peak.
@cache
def _round_choices():
    return db.select(Round.id, Round.name).order_by(Round.created_at.desc())


@cache
def _saved_answers():
    return db.select(AttemptAnswer).where(AttemptAnswer.attempt_id == db.bindparam("attempt_id"))


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = CandidateLoginForm()
    form.round_id.choices = [tuple(row) for row in db.session.connection().execute(_round_choices())]  # Core: no ORM round trip
    error = turned_away = None
    if form.validate_on_submit():
        cfg, address = current_app.config, request.remote_addr or "?"
        window = cfg["EXAM_LOGIN_LOCKOUT_SECONDS"]
        # Item 6 of "Exam day you can trust": wrong codes count per (candidate, address) and per
        # address, so an attacker slows only their own computer; the right code elsewhere always works.
        limits = lockouts.limits(cfg, form.round_id.data, form.candidate_number.data, throttle.client(address))
        now = utcnow()
        # No collection here (the state polls, the hand-ins and the console collect): at the
        # start of a sitting nothing is overdue, and every log-in would look.
        try:  # what only reads, out of the queue below; what it found is told only once the count allows
            placement, refused = admission.login(form.round_id.data, form.candidate_number.data, form.access_code.data,
                                                 now, address), None
        except seating.Refused as refusal:
            placement, refused = None, refusal
        if refused is None:
            # The right code writes no failure: it is checked under the lock of its own candidate's
            # count only (on PostgreSQL not the address's, which every log-in from a lab behind one
            # address would wait for in turn; on SQLite the writers' queue), after every guess at
            # this candidate from this computer sent before it, so that a burst of guesses with the
            # right code among them is still counted one by one. Its account is read before.
            known = account_of(placement.attempt.application)
            own = lockouts.key(form.round_id.data, form.candidate_number.data, throttle.client(address))
            with throttle.one_check_at_a_time([(lockouts.SCOPE, own)]):
                if throttle.locked(lockouts.SCOPE, limits, window):  # turned away: the proctor sees it and unlocks
                    # Noted once the answer is sent: written now, the right code's answer came a disk
                    # write later than a wrong code's, and a locked computer could go on guessing by the clock.
                    turned_away = (form.round_id.data, form.candidate_number.data, throttle.client(address))
                    error = _("Too many wrong codes from this computer: call the proctor.")
                else:
                    _go_in(placement, known or candidate_user(placement.attempt.application), now)
        else:
            # The count of wrong codes, the answer and the failure, one log-in at a time for this
            # candidate and computer (throttle.one_check_at_a_time): a burst of guesses sent at once is
            # counted as one by one.
            with throttle.counted(lockouts.SCOPE, limits, window) as locked:
                if locked:
                    error = _("Too many wrong codes from this computer: call the proctor.")
                else:
                    if isinstance(refused, admission.WrongCode):
                        throttle.fail(lockouts.SCOPE, limits, window)
                    db.session.commit()
                    error = str(refused)
        if error is None:
            # The log-in answers with the exam page itself, not a redirect to it: at the start of a
            # sitting (the whole city within a minute) a second request would load the account and
            # the placement again. The page puts its own address in the browser's history, so a
            # reload asks for the exam page and never sends the log-in again (static/exam/exam.js).
            return _exam_page(placement)
    page = make_response(render_template("exam/day/login.html", form=form, error=error))
    if turned_away is not None:
        page.call_on_close(lockouts.refused_once_answered(current_app._get_current_object(), *turned_away))
    return page


def _go_in(placement: Placement, user: User, now: datetime) -> None:
    """The writes of a log-in that goes in, in the writers' queue: an attempt that begins is written
    before the placement, in the order a hand-in writes them; the log-in's two audit entries are
    appended at once, in the order they happened."""
    began: list[audit_bulk.Change] = []
    _begun_if_open(placement, now, began)  # the log-in is a sighting too: open_session writes it
    changes: list[audit_bulk.Change] = []
    token = admission.open_session(placement, request.remote_addr, now, changes)
    audit_bulk.record_many(changes + began, len(changes) + len(began))
    session.clear()
    # The form's token was worked out for the session just cleared and is kept for the request: the
    # page answered below must carry one of the new session.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    login_user(user)
    session.update(placement_id=placement.id, attempt_id=placement.attempt_id,
                   application_id=placement.attempt.application_id, session_token=token,
                   generation=user.session_generation, layout=answer_check.layout(placement.attempt.form))
    # The session cookie goes out with the response, after this commit; should the commit fail, the
    # cookie's token was never stored and the exam page refuses it.
    commit_keeping_loaded()  # the page is built from what the log-in read and wrote


@bp.route("/")
@roles("candidate")
def exam():
    return _exam_page(_placement())


def _exam_page(placement: Placement):
    # The start of a sitting is its peak: an attempt already begun (the log-in begins it once the
    # sitting is open) has its paper in the page, as /api/paper would answer it, so the page asks
    # neither the state nor the paper; a waiting page asks them as before.
    paper = _paper(placement) if placement.attempt.status == "in_progress" else None
    return render_template("exam/day/exam.html", placement=placement, attempt=placement.attempt,
                           sitting=placement.sitting, paper=paper)


def _state(placement: Placement) -> dict:
    attempt, sitting = placement.attempt, placement.sitting
    return {"status": attempt.status, "opened": sitting.opened_at is not None,
            "server_time": utcnow().isoformat() + "Z",
            "starts_at": sitting.starts_at.isoformat() + "Z",
            "deadline": seating.deadline_of(attempt, sitting).isoformat() + "Z",
            "seat": placement.seat.label, "candidate_number": attempt.application.number_label,
            "full_name": attempt.application.full_name}


@bp.route("/api/state")
@roles("candidate")
def state():
    placement = _placement()
    now = utcnow()
    overdue = handing_in.anything_to_collect(now)  # a read: out of the writers' queue
    with one_writer_at_a_time():  # as every writer of the peaks (see submit): a sitting's opening begins them all
        if overdue:
            handing_in.collect_overdue(now)
        _seen_and_begun(placement, now)
        answer = _state(placement)  # read before the commit expires what it reads
        db.session.commit()
    return jsonify(answer)


# --- commits at the start: one per candidate, not two -----------------------------------------
# Every commit is flushed to disk (an acknowledged answer survives a power cut), and at the start
# of a sitting a whole city commits within a minute: the log-in begins the attempt in its own
# transaction when the sitting is open (the state call would begin it a moment later anyway), and
# "last seen" (the console's, to the second) is written at most every SEEN_EVERY, so the state
# the page asks right after the log-in, and its polls in between, write nothing.
SEEN_EVERY = timedelta(seconds=10)


def _seen_and_begun(placement: Placement, now, changes: list[audit_bulk.Change] | None = None) -> None:
    if placement.last_seen is None or now - placement.last_seen >= SEEN_EVERY:
        placement.last_seen = now
    _begun_if_open(placement, now, changes)


def _begun_if_open(placement: Placement, now, changes: list[audit_bulk.Change] | None = None) -> None:
    """B4: once the proctor has opened the sitting, never before its start (opened early, the page waits)."""
    sitting = placement.sitting
    if sitting.opened_at is not None and now >= sitting.starts_at and placement.attempt.status == "not_started":
        admission.begin(placement, now, changes)
# ------------------------------------------------------------------------------------------------


@bp.route("/api/paper")
@roles("candidate")
def paper():
    placement = _placement()
    attempt = placement.attempt
    if attempt.status != "in_progress":
        return jsonify({"error": _("the test is not open")}), 409
    return jsonify(_paper(placement))


def _paper(placement: Placement) -> dict:
    """The questions without their keys, each with the answer stored for it, and the state."""
    attempt = placement.attempt
    # Item 7: the paper's image links work only in this session, until the deadline as it stands (session_is_live).
    g.candidate_image_binding = (placement.session_token,
                                 seating.latest_deadline(attempt, placement.sitting).replace(tzinfo=UTC).timestamp())
    saved = {a.slot: a for a in db.session.scalars(_saved_answers(), {"attempt_id": attempt.id})}
    items = [{"slot": p.slot, "type": p.type, "stem": p.stem_html, "options": p.options_html,
              "answer": {"choice": saved[p.slot].choice, "text": saved[p.slot].text, "flagged": saved[p.slot].flagged,
                         "seq": saved[p.slot].seq} if p.slot in saved else None}
             for p in form_draws.candidate_paper(attempt.id)]
    return {"questions": items, **_state(placement)}


@bp.route("/api/answer", methods=["POST"])
@_sitting_session
def answer():
    # The hot path of exam day (every change of every candidate): no ORM load, one statement that
    # also checks ownership, status and deadline (autosave.save_answer), then the commit.
    attempt_id, application_id = session.get("attempt_id"), session.get("application_id")
    if attempt_id is None or application_id is None:  # no sitting joined in this session
        return jsonify({"error": _("log in with your access code first"), "retry": False}), 409
    form_layout = session.get("layout")
    if form_layout is None:  # a session from before layouts were carried in it
        form_layout = session["layout"] = answer_check.layout_of_attempt(attempt_id) or ""
    try:
        save = answer_check.check(answer_check.body(request), form_layout)
    except answer_check.Malformed as bad:
        return jsonify({"error": str(bad), "field": bad.field}), 400
    try:  # stored and committed with the saves of the server's other threads (group_commit)
        ack = autosave.save_answer(attempt_id, application_id, save.slot, save.seq, utcnow(),
                                   token=session.get("session_token"), choice=save.choice, text=save.text,
                                   flagged=save.flagged)
    except autosave.Superseded as superseded:
        db.session.rollback()
        return jsonify({"error": str(superseded), "superseded": True}), 409
    except autosave.NotStored as passing:  # the page keeps the save and sends it again
        db.session.rollback()
        return jsonify({"error": str(passing), "retry": True}), 409
    except seating.Refused as refused:
        db.session.rollback()
        refusal = str(refused)
    else:
        return jsonify(ack.answer())
    status = db.session.scalar(db.select(Attempt.status).filter_by(id=attempt_id))
    return jsonify({"error": refusal, "status": status, "retry": False}), 409  # final: never stored


def _number(value) -> float | None:
    return None if value is None else float(value)


def _result(shown: Standing) -> dict:
    """The score at hand-in as the results will count it: after the sanction (B6), which is named,
    with its reason; a suspended candidate is told that and why rather than shown a bare fail."""
    return {"correct": _number(shown.correct), "counted": _number(shown.counted), "counted_text": shown.counted_text,
            "questions": shown.total, "score": _number(shown.score), "passed": shown.passed,
            "score_text": "" if shown.score is None else format_number(shown.score, 2),  # as the score slip writes it
            "sanction": shown.sanction, "sanction_label": shown.sanction_label, "sanction_reason": shown.sanction_reason,
            "suspended": shown.suspended, "message": shown.sanction_note}


@bp.route("/api/submit", methods=["POST"])
@roles("candidate")
def submit():
    placement = _placement()
    attempt = placement.attempt
    now = utcnow()
    # The candidate's own attempt first (a hand-in at the deadline is its collection, B4), then the
    # others overdue: this order takes the attempt's row before any other lock (the audit chain's
    # head), so a hand-in and the collection of another worker never wait on each other in a circle.
    # Queued for SQLite's one writer from the first write to the commit (a no-op elsewhere): in the
    # last minute thousands hand in while the others save, and a writer that finds the file locked
    # sleeps 1, 2, 5, 10... ms before it looks again, which left a third of the CPU idle while
    # hand-ins waited; the queue wakes the next writer at once. What only reads is done before it:
    # the grading is worked out, and whether anything else is overdue is asked.
    ahead = handing_in.graded_ahead(attempt, now)
    overdue = handing_in.anything_to_collect(now)
    with one_writer_at_a_time():
        if attempt.status == "in_progress":
            try:
                handing_in.submit(attempt, now, ahead=ahead)
            except handing_in.HandedIn:
                pass  # collected (or handed in) by another worker a moment before: its final state is the answer
            except seating.Refused as refused:
                db.session.rollback()
                return jsonify({"error": str(refused)}), 409
        if overdue:
            handing_in.collect_overdue(now)
        logout_user()  # the candidate's session ends with the attempt, on the server too (on_logged_out)
        # One durable commit: the hand-in, its grading and the session's end, then the answer, out
        # of the writers' queue, from the attempt as this transaction left it.
        commit_keeping_loaded()
    result = admission.voided_answer(attempt) if attempt.status == "voided" else _result(standing(attempt))
    result["status"] = attempt.status
    session.clear()
    return jsonify(result)
