"""User accounts and their roles (administrator)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import audit, registry
from ..access import roles
from ..extensions import db
from ..forms import UserForm
from ..models import Role, User
from ..vietnamese import fold

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_nav(app) -> None:
    registry.add_nav(app, "admin.users", _l("Users"), order=90)


def _snapshot(user: User) -> dict:
    return {"username": user.username, "full_name": user.full_name, "active": user.active,
            "roles": sorted(user.role_names)}


@bp.route("/users")
@roles("admin")
def users():
    query = db.select(User).where(User.application_id.is_(None)).order_by(User.username)
    q = request.args.get("q", "").strip()
    role = request.args.get("role")
    if role:
        query = query.where(User.roles.any(Role.name == role))
    items = [u for u in db.session.scalars(query) if not q or fold(q) in fold(f"{u.username} {u.full_name}")]
    return render_template("recruitment/users.html", users=items, q=q, role=role)


@bp.route("/users/new", methods=["GET", "POST"])
@roles("admin")
def user_new():
    return _user_form(None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles("admin")
def user_edit(user_id: int):
    return _user_form(db.get_or_404(User, user_id))


def _user_form(user: User | None):
    form = UserForm(obj=user)
    if request.method == "GET" and user is not None:
        form.roles.data = sorted(user.role_names)
    if form.validate_on_submit():
        clash = db.session.scalar(db.select(User).filter_by(username=form.username.data))
        if clash is not None and clash is not user:
            form.username.errors.append(_("This user name is taken."))
        elif user is None and not form.password.data:
            form.password.errors.append(_("A new user needs a password."))
        else:
            before = None if user is None else _snapshot(user)
            roles = list(db.session.scalars(db.select(Role).where(Role.name.in_(form.roles.data))))
            # A new user joins the session only once complete: an autoflush of a user without a password
            # hash broke the NOT NULL column (500 on every "new user").
            user = user or User()
            user.username, user.full_name = form.username.data.strip(), form.full_name.data.strip()
            user.email, user.active, user.roles = form.email.data or None, form.active.data, roles
            if form.password.data:
                user.set_password(form.password.data)
                user.failed_logins = 0
            db.session.add(user)
            db.session.flush()
            audit.record("user_saved", "user", user.id, before=before, after=_snapshot(user))
            db.session.commit()
            flash(_("User saved."), "success")
            return redirect(url_for("admin.users"))
    return render_template("recruitment/user_form.html", form=form, user=user)
