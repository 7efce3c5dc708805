"""B4: late arrival is admitted up to the entry limit (10 minutes for a test of 60 minutes or more,
5 for one of 30 or less), with no extra time. A candidate who arrived within it but could not log in
before it (held at the door, sent to the wrong room) is let in by the proctor, who states when they
arrived; an arrival after the limit is refused, as the log-in refuses it. The admission is an
incident on the attempt (audited), flushed; the console commits."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _

from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.i18n import local_time
from recruitment.models import User

from .models import Placement
from .proctoring import record
from .seating import Refused


def entry_limit(placement: Placement) -> datetime:
    sitting = placement.sitting
    return sitting.starts_at + timedelta(minutes=sitting.test.round.rules.late_entry_minutes(sitting.test.minutes))


def admit_late(placement: Placement, by: User, arrived: datetime) -> None:
    """arrived: when the candidate came to the room (stored UTC), as the proctor saw it."""
    if placement.late_admitted:
        raise Refused(_("this candidate's late entry is admitted already"))
    if placement.attempt.status != "not_started":
        raise Refused(_("this candidate has started already"))
    limit = entry_limit(placement)
    if arrived > utcnow():
        raise Refused(_("the arrival time %(time)s is still to come", time=local_time(arrived).strftime("%H:%M")))
    if arrived > limit:
        raise Refused(_("Arrived at %(time)s, after the entry limit of %(limit)s: late arrival is admitted only up to "
                        "it (B4).", time=local_time(arrived).strftime("%H:%M"), limit=local_time(limit).strftime("%H:%M")))
    at = local_time(arrived).strftime("%H:%M")
    record(placement.attempt, "note", _("late entry admitted by the proctor (B4): arrived at %(time)s", time=at), by,
           before={"late_admitted": False}, facts={"late_admitted": True, "arrived_at": arrived})
    placement.late_admitted = True
    db.session.flush()
