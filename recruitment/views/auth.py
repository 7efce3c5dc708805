"""Log-in, log-out and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from .. import log_ins, throttle
from ..access import public, roles
from ..extensions import db
from ..forms import ConfirmForm, LoginForm
from ..models import ROLES, User

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        cfg = current_app.config
        username = form.username.data.strip()
        window = cfg["LOGIN_LOCKOUT_SECONDS"]
        address = throttle.client(request.remote_addr)
        # Per (user, address): wrong passwords typed elsewhere never lock the user out of their own
        # computer. Per address, looser: a whole exam room may share one address behind NAT.
        limits = {_user_key(username, address): cfg["LOGIN_MAX_FAILURES"],
                  f"ip:{address}": cfg["LOGIN_ADDRESS_MAX_FAILURES"]}
        # The password is checked first (slow on purpose, out of the queue below); whether it was
        # right is told only once the count allows (throttle.one_check_at_a_time: log-ins sent at once).
        user = db.session.scalar(db.select(User).filter_by(username=username))
        locked_now = throttle.locked("login", limits, window)  # a locked computer costs no password hash
        right = not locked_now and log_ins.password_right(user, form.password.data)
        with throttle.counted("login", limits, window) as locked:
            if locked_now or locked:  # nothing written: the locks end with the request's transaction
                flash(_("Too many failed log-ins from this computer. Try again in %(minutes)d minutes, or ask the "
                        "administrator to unlock.", minutes=window // 60), "danger")
                return render_template("recruitment/login.html", form=form), 429
            if right:
                throttle.clear("login", _user_key(username, address))
            else:
                log_ins.failed(username, limits, window)
            db.session.commit()
        if right:
            session.clear()  # nothing of an earlier session (a candidate's sitting, a fixed id) carries over
            login_user(user)
            session["generation"] = user.session_generation
            session.permanent = False
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
        flash(_("Wrong user name or password."), "danger")
    return render_template("recruitment/login.html", form=form)


def _user_key(username: str, address: str) -> str:
    return f"user:{username.lower()}@{address}"


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@roles("admin")
def unlock(user_id: int):
    """The administrator ends a user's log-in locks, from every address; audited."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    log_ins.unlock(user)
    db.session.commit()
    flash(_("The log-in locks of %(user)s are cleared.", user=user.username), "success")
    return redirect(_safe_next(request.form.get("next")) or url_for("home.index"))


@bp.route("/logout", methods=["POST"])
@roles(*ROLES)
def logout():
    log_ins.end_sessions(current_user)  # on the server, not only in this browser
    logout_user()
    db.session.commit()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
@public
def set_language(code: str):
    form = ConfirmForm()
    if form.validate_on_submit() and code in current_app.config["LANGUAGES"]:
        session["lang"] = code
        if current_user.is_authenticated:
            current_user.locale = code
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("home.index"))
