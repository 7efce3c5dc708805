"""The public look-up: published lists per position, and a candidate's own result found by
candidate number and date of birth. No log-in.

Results day is a peak (everyone looks at once, many behind one mobile-network address), so:
- published versions are read from an in-process cache (results.published): never rewritten, they
  are parsed once per process, and the pages are kept whole (recruitment/public_pages.py), rendered
  once per process and language; gunicorn's master renders them before it forks (warm, below);
- the birth date travels in a POST body with a CSRF token, never in a URL (logs, history, referrers);
- only FAILED look-ups are counted, per (candidate number, address): the limit stops someone guessing
  a candidate's birth date, while the people sharing one address who type their own details right are
  never counted, so never blocked. A looser limit per address bounds guessing across many numbers.
The counts are kept in the database, so every worker and every app server enforces one limit.
The look-up names the round, one of those published (the newest chosen): a candidate number is unique
only within its round and starts again at 1 in every round (A3)."""
from __future__ import annotations

from datetime import date
from functools import cache

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import bindparam, select
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import DataRequired, NumberRange

from recruitment import public_pages, throttle
from recruitment.access import public
from recruitment.extensions import db
from recruitment.forms import DAY_FORMATS
from recruitment.models import Application, Position, Round

from . import published

bp = Blueprint("results_public", __name__, url_prefix="/public/results")
WINDOW_SECONDS = 60
# Failures one address may make over every candidate number, as a multiple of the per-number limit:
# a mobile network's address carries many people, each of whom may mistype once or twice.
ADDRESS_FACTOR = 20
WARM_ROUNDS = 2  # rounds whose lists gunicorn's master renders ahead: results day is about the newest


class LookupForm(FlaskForm):
    round_id = SelectField(_l("Recruitment round"), coerce=int)  # choices: the published rounds (lookup_form)
    candidate_number = IntegerField(_l("Candidate number"), validators=[DataRequired(), NumberRange(min=1, max=10**9)])
    date_of_birth = DateField(_l("Date of birth"), format=DAY_FORMATS, validators=[DataRequired()])


def lookup_form(rounds, empty: bool = False) -> LookupForm:
    """The look-up form offering the published rounds, newest first. Shown afresh, it has the newest
    chosen (results day is about it); a look-up sent must name its round (A3: the numbers restart in
    every round), so one sent without it is not taken for the newest."""
    form = LookupForm(formdata=None) if empty else LookupForm()
    form.round_id.choices = [(r.round_id, r.round_name) for r in rounds]
    if empty or not form.is_submitted():
        form.round_id.data = rounds[0].round_id if rounds else None
    return form


@bp.route("/")
@public
def index():
    rounds = published.latest_listed()
    return public_pages.page(rounds, lambda: render_template("results/public_index.html", rounds=rounds,
                                                             form=lookup_form(rounds)))


# A position's code is free text (formats.md): one with a slash ("CV/TC-01") is still one code, so the
# rest of the address is taken whole. No other address of this blueprint starts with a number.
@bp.route("/<int:round_id>/<path:position_code>")
@public
def position(round_id: int, position_code: str):
    head = published.latest_heads().get(round_id)
    if head is None:
        abort(404)
    shown = db.session.connection().execute(_position_shown(), {"round_id": round_id, "code": position_code}).first()
    if shown is None:
        abort(404)

    def render() -> str:
        # The public list shows no national ID (E4 asks for status and reason, not identity numbers).
        table = published.table(published.load(head), position_code, str(get_locale()),
                                lambda rows: render_template("results/_table.html", rows=rows))
        return render_template("results/public_position.html", position=shown, version=head, table=table)
    return public_pages.page((head, tuple(shown)), render)


@bp.route("/lookup", methods=["GET", "POST"])
@public
def lookup():
    rounds = published.latest_listed()
    form = lookup_form(rounds)  # POST only: a GET (an old link with the birth date in it) just shows the form
    result, status = None, 200
    limited = searched = False
    if form.validate_on_submit():
        number, address = form.candidate_number.data, throttle.client(request.remote_addr)
        limit = current_app.config["PUBLIC_LOOKUP_PER_MINUTE"]
        own = ("public_lookup", f"{number}@{address}")
        limits = {own: limit, ("public_lookup_address", address): limit * ADDRESS_FACTOR}
        found = find_own_result(form.round_id.data, number, form.date_of_birth.data)  # told only once the count allows
        # The count, the answer and the failure it records, one look-up at a time per key: look-ups sent
        # at once were all answered before any had written its failure (throttle.one_check_at_a_time).
        # A right look-up (most of results day) records nothing: it takes the lock of its own (number,
        # address) only, after every guess there sent before it, and on PostgreSQL not the address's,
        # which a mobile network's many people share.
        with throttle.one_check_at_a_time(limits if found is None else [own]):
            if throttle.reached(limits, WINDOW_SECONDS):
                limited, status = True, 429
            else:
                searched, result = True, found
                if result is None:
                    for scope, key in limits:
                        throttle.note(scope, key)
            db.session.commit()  # the failure, if any; and the end of the keys' locks (PostgreSQL)
    if result is not None:  # most of results day: the page is kept, with an empty form, and the result put in
        own = render_template("results/_own_result.html", result=result)
        return public_pages.page(rounds, lambda: render_template(  # the empty form shows the rounds
            "results/public_lookup.html", form=lookup_form(rounds, empty=True), own_result=Markup(public_pages.PART)), own)
    return render_template("results/public_lookup.html", form=form, searched=searched, limited=limited), status


def find_own_result(round_id: int, number: int, born: date) -> dict | None:
    """The candidate's row in the latest published version of the round named, if the birth date is
    theirs. Only that round's: the same number in another round is another person (A3)."""
    head = published.latest_heads().get(round_id)
    if head is None:
        return None
    for row in published.load(head).by_number.get(str(number), []):
        own = db.session.connection().execute(_birth_date_and_round(), {"application_id": row["application_id"]}).first()
        if own is not None and own.date_of_birth == born:
            return {"round_name": own.name, "version": head, "row": row}
    return None


@cache
def _position_shown():
    """Parameters: round_id, code. What the position's page shows of it, in one row."""
    return (select(Position.code, Position.name, Position.agency, Position.quota, Round.name.label("round_name"))
            .join(Round, Round.id == Position.round_id)
            .where(Position.round_id == bindparam("round_id"), Position.code == bindparam("code")))


@cache
def _birth_date_and_round():
    """Parameter: application_id. Built once (results/published.py)."""
    return (select(Application.date_of_birth, Round.name).join(Round, Round.id == Application.round_id)
            .where(Application.id == bindparam("application_id")))


def warm(app) -> None:
    """Reads the latest published versions and renders results day's pages (the index, the lists of
    the rounds published last), in every language, in this process. gunicorn's master calls it once the app is built (deploy/gunicorn.conf.py): every worker
    forked from it starts with them, and so does every worker that replaces one (max_requests recycles
    a worker every few minutes of results day, and each fresh one spent a second of CPU on them). A
    version published later is read by each worker at its first look-up, as before."""
    try:
        for language in app.config["LANGUAGES"]:
            visitor = app.test_client()
            with visitor.session_transaction() as session:
                session["lang"] = language
            with app.test_request_context():
                newest = sorted(published.latest_listed(), key=lambda r: r.head.published_at, reverse=True)
                paths = [url_for("results_public.index")] + [
                    url_for("results_public.position", round_id=r.round_id, position_code=code)
                    for r in newest[:WARM_ROUNDS] for code, _name, _agency in r.positions]
            for path in paths:
                visitor.get(path)
    except Exception:  # a database that cannot be read now must not stop the server
        app.logger.warning("results day's pages were not rendered ahead", exc_info=True)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()  # no connection is shared by the workers forked from here
