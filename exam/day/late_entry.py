"""B4: a candidate who arrives after the entry limit sits only when the proctor admits them; the
admission is an incident on the attempt (audited), flushed; the console commits."""
from __future__ import annotations

from flask_babel import gettext as _

from recruitment.extensions import db
from recruitment.models import User

from .models import Placement
from .proctoring import record
from .seating import Refused


def admit_late(placement: Placement, by: User) -> None:
    if placement.late_admitted:
        raise Refused(_("this candidate's late entry is admitted already"))
    if placement.attempt.status != "not_started":
        raise Refused(_("this candidate has started already"))
    record(placement.attempt, "note", _("late entry admitted by the proctor (B4)"), by)
    placement.late_admitted = True
    db.session.flush()
