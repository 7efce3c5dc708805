"""The home page: what each role can do, as a menu of the entries the packages registered."""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, redirect, render_template, url_for
from flask_babel import get_locale
from flask_login import current_user

from .. import i18n, labels, registry
from ..access import public, user_may
from ..forms import LABELS, ROLE_LABELS, ConfirmForm

bp = Blueprint("home", __name__)



def visible_nav():
    return [item for item in registry.nav_items(current_app) if user_may(item.endpoint)]


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=i18n.format_date, datetime=i18n.format_datetime, utc_datetime=i18n.format_utc_datetime,
        number=i18n.format_number, label=labels.label, candidate_number=i18n.candidate_number,
    )
    app.jinja_env.globals.update(user_may=user_may, get_locale=get_locale, visible_nav=visible_nav, role_labels=ROLE_LABELS, labels=LABELS,
                                 ConfirmForm=ConfirmForm)


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("recruitment/home.html", items=visible_nav())
