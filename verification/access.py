"""The candidate's way into their dossier (F1): the dossier code of the selection letter, kept only
as a keyed hash. Wrong codes count per (candidate number, address) and per address, as on exam day
(exam/day/lockouts.py), so that someone typing wrong codes for a public candidate number slows only
their own address and never locks the selected candidate out before the deadline (F3, F4). HR issues
a new code for one dossier when a letter is lost; the old one stops working."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import audit, codes, errors, throttle
from recruitment.extensions import db
from recruitment.models import Application, User

from .models import Dossier

SCOPE = "dossier_login"


class Refused(errors.Refused):
    pass


def limits(round_id: int, number: int, address: str) -> dict[str, int]:
    cfg = current_app.config
    return {f"{round_id}:{number}@{address}": cfg["DOSSIER_LOGIN_MAX_FAILURES"],
            f"@{address}": cfg["DOSSIER_LOGIN_ADDRESS_MAX_FAILURES"]}


def log_in(round_id: int, number: int, date_of_birth: date, code: str, address: str) -> Dossier:
    """The dossier these details open, or Refused, a wrong try counted and committed. The details are
    checked first (a read); whether they were right is told only once the count allows, one try at a
    time for these keys (throttle.counted: tries sent at once are counted as one by one)."""
    keys, window = limits(round_id, number, address), current_app.config["DOSSIER_LOGIN_LOCKOUT_SECONDS"]
    application = db.session.scalar(select(Application).filter_by(round_id=round_id, candidate_number=number,
                                                                  date_of_birth=date_of_birth))
    dossier = db.session.scalar(select(Dossier).filter_by(application_id=application.id)) if application else None
    right = dossier is not None and codes.matches(dossier.access_hash, code or "")
    with throttle.counted(SCOPE, keys, window) as locked:
        if locked:
            raise Refused(_("Too many wrong codes from this address. Try again later."))
        if not right:
            throttle.fail(SCOPE, keys, window)
            db.session.commit()
            raise Refused(_("These details do not match a dossier."))
    return dossier


def issue_code(dossier: Dossier, by: User) -> str:
    """A new dossier code for one candidate (a lost letter): the old code stops working at once. Only
    the hash is kept; the audit entry says who issued it, never the code."""
    if dossier.status == "cancelled":
        raise Refused(_("The selection is cancelled: this dossier takes no new code (F3)."))
    code = codes.new_code()
    dossier.access_hash = codes.keyed_hash(code)
    application = dossier.application
    audit.record("dossier_code_issued", "dossier", dossier.id, before={"code": "replaced"},
                 after={"candidate": application.number_label, "by": by.username})
    return code
