"""Log-in, log-out and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from .. import audit, throttle
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
        window, limit = cfg["LOGIN_LOCKOUT_SECONDS"], cfg["LOGIN_MAX_FAILURES"]
        keys = (f"user:{username.lower()}", f"ip:{request.remote_addr}")
        # The IP gets a looser limit: a whole exam room may share one address behind NAT.
        if throttle.exceeded("login", keys[0], limit, window) or throttle.exceeded("login", keys[1], limit * 20, window):
            flash(_("Too many failed log-ins. Try again in %(minutes)d minutes.", minutes=window // 60), "danger")
            return render_template("recruitment/login.html", form=form), 429
        user = db.session.scalar(db.select(User).filter_by(username=username))
        if user and user.active and not user.has_role("candidate") and user.check_password(form.password.data):
            throttle.clear("login", keys[0])
            db.session.commit()
            session.clear()  # nothing of an earlier session (a candidate's sitting, a fixed id) carries over
            login_user(user)
            session["generation"] = user.session_generation
            session.permanent = False
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
        for key in keys:
            throttle.note("login", key)
        audit.record("login_failed", "user", username)
        db.session.commit()
        flash(_("Wrong user name or password."), "danger")
    return render_template("recruitment/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@roles(*ROLES)
def logout():
    # Ends the session on the server, not only in this browser: every cookie issued to the user so far
    # (one captured on a shared computer, too) stops working; the candidate's exam session ends as well.
    current_user.session_generation = (current_user.session_generation or 0) + 1
    audit.record("logged_out", "user", current_user.id)
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
