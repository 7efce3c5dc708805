"""The boundary of the autosave (issue "Exam day you can trust", item 1): every field of a save is
checked against the candidate's own form before the one-statement upsert runs. The form's layout
(how many options each slot displays, 0 for a fill-in) is frozen with the form, so it is read once
at log-in and carried in the signed session: the check costs no query."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from recruitment.extensions import db

from .. import draw
from ..models import Attempt, Form

MAX_SEQ = 2**31 - 1  # exam_answers.seq is a 32-bit integer on every engine
MAX_TEXT = 500  # exam_answers.text is VARCHAR(500)


class Malformed(ValueError):
    """A save that does not fit the form; `field` names the offending field for the 400 answer."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Save:
    slot: int
    seq: int
    choice: int | None
    text: str | None
    flagged: bool


def layout(form: Form) -> str:
    """One digit per slot: the number of options displayed (1..6), or 0 for a fill-in question."""
    perms = draw.unpack_perms(form.option_perms)
    return "".join(str(int(n)) for n in (perms >= 0).sum(axis=1))


def layout_of_attempt(attempt_id: int) -> str | None:
    """For a session opened before layouts were carried in it (one query, then kept in the session)."""
    form = db.session.scalar(select(Form).join(Attempt, Attempt.form_id == Form.id).where(Attempt.id == attempt_id))
    return None if form is None else layout(form)


def _integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not 1


def body(request) -> object:
    """The request's JSON, or None when it is not JSON. A body nested a few thousand levels deep
    makes the JSON parser raise RecursionError, which Flask's `silent` does not catch (500)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        raise Malformed("body", _("the answer must be a JSON object")) from None


def _storable(text: str) -> bool:
    """UTF-8 without NUL: what both databases store (PostgreSQL refuses a NUL, and a lone surrogate
    has no UTF-8 at all)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check(data, form_layout: str) -> Save:
    if not isinstance(data, dict):
        raise Malformed("body", _("the answer must be a JSON object"))
    slot = data.get("slot")
    if not _integer(slot) or not 0 <= slot < len(form_layout):
        raise Malformed("slot", _("slot must be a question of your form: 0 to %(last)d", last=len(form_layout) - 1))
    seq = data.get("seq")
    if not _integer(seq) or not 1 <= seq <= MAX_SEQ:
        raise Malformed("seq", _("seq must be a whole number from 1 to %(max)d", max=MAX_SEQ))
    options = int(form_layout[slot])
    choice = data.get("choice")
    if choice is not None and (options == 0 or not _integer(choice) or not 0 <= choice < options):
        raise Malformed("choice", _("choice must be one of the %(n)d options shown, or null", n=options) if options
                        else _("this question is answered with text, not a choice"))
    text = data.get("text")
    if text is not None and (options != 0 or not isinstance(text, str) or len(text) > MAX_TEXT):
        raise Malformed("text", _("text of at most %(n)d characters, for a fill-in question only", n=MAX_TEXT))
    if text is not None and not _storable(text):
        raise Malformed("text", _("the text holds a character that cannot be stored (a NUL or half of a pair)"))
    flagged = data.get("flagged", False)
    if not isinstance(flagged, bool):
        raise Malformed("flagged", _("flagged must be true or false"))
    return Save(slot, seq, choice, text or None, flagged)
