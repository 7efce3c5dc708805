"""User accounts and their roles (administrator)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import accounts, registry
from ..access import roles
from ..actions import committed, on_field
from ..extensions import db
from ..forms import UserForm
from ..models import Role, User
from ..vietnamese import fold

bp = Blueprint("admin", __name__, url_prefix="/admin")


def init_nav(app) -> None:
    registry.add_nav(app, "admin.users", _l("Users"), order=90)


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
        with committed(say=on_field(form)) as outcome:
            accounts.save(user, form.username.data, form.full_name.data, form.email.data, form.active.data,
                          form.roles.data, form.password.data, by=current_user)
        if outcome.committed:
            flash(_("User saved."), "success")
            return redirect(url_for("admin.users"))
    return render_template("recruitment/user_form.html", form=form, user=user)
