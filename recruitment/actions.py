"""The working pages' one action block: the operation runs in one transaction, a refusal is rolled
back and shown with its reason, anything else is committed; irreversible acts first show a page
naming their consequence. Views call these instead of writing the try / rollback / commit again."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _

from .errors import Refused
from .extensions import db
from .forms import ConfirmForm

Refusals = type[Exception] | tuple[type[Exception], ...]


@dataclass
class Outcome:
    """What the block ended in: `refused` holds the refusal, None once the changes are committed."""
    refused: Exception | None = None
    committed: bool = False


@contextmanager
def committed(refusals: Refusals = Refused, say: Callable[[Exception], str] = str) -> Iterator[Outcome]:
    """`with committed() as outcome:` runs the operation; on a refusal the session is rolled back
    and the reason flashed (`say` words it; an empty word flashes nothing, for a page that shows it
    by the form's field), else the session is committed. The view then reads `outcome.committed`."""
    outcome = Outcome()
    try:
        yield outcome
    except refusals as refused:
        db.session.rollback()
        message = say(refused)
        if message:
            flash(message, "danger")
        outcome.refused = refused
    else:
        db.session.commit()
        outcome.committed = True


def on_field(form, default: str | None = None) -> Callable[[Exception], str]:
    """A `say` for `committed` on a form's page: a refusal about a field (`Refused.field`, else
    `default`) is shown under it, as a validation error would be; any other is flashed."""
    def say(refused: Exception) -> str:
        name = getattr(refused, "field", None) or default
        if name:
            form[name].errors.append(str(refused))
            return ""
        return str(refused)
    return say


def shown_on_page(_refused: Exception) -> str:
    """A `say` for a page that lists the refusal itself (an import's errors): nothing is flashed."""
    return ""


def confirmed(action: Callable[[], object], refusals: Refusals, back: str, done: str | None = None):
    """A button's post (CSRF checked): the action in `committed`, its message, back to the page."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with committed(refusals) as outcome:
        action()
    if outcome.committed:
        flash(done or _("Done."), "success")
    return redirect(back)


def second_step() -> bool:
    """True on the post sent from the confirmation page (see `ask_confirmation`)."""
    return request.form.get("confirmed") == "1"


def ask_confirmation(title: str, consequence: str, button: str, fields: dict[str, str | list[str]], back: str):
    """Irreversible acts take two posts: the first shows the consequence, the second (with
    `second_step()` true) does it. No state changes on the first. A field given as a list goes back
    as that many values (request.form.getlist)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return render_template("recruitment/confirm.html", title=title, consequence=consequence, button=button,
                           fields=fields, action=request.path, confirm=ConfirmForm(), back=back)
