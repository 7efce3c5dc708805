"""The small action forms of the working pages (a button, a reason, a score): the CSRF token
checked, the action done in one transaction, a refusal rolled back and shown, then back to the page."""
from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect
from flask_babel import gettext as _

from .extensions import db
from .forms import ConfirmForm


def confirmed(action: Callable[[], object], refusals: type[Exception] | tuple[type[Exception], ...], back: str,
              done: str | None = None):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action()
    except refusals as refused:
        db.session.rollback()
        flash(str(refused), "danger")
    else:
        db.session.commit()
        flash(done or _("Done."), "success")
    return redirect(back)
