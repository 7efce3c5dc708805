"""What verification offers others: flags on a person from earlier rounds (F3: fraud bars the next round)."""
from __future__ import annotations

from recruitment.extensions import db
from recruitment.models import PersonFlag


def flags_for(national_id: str) -> list[PersonFlag]:
    return list(db.session.scalars(db.select(PersonFlag).filter_by(national_id=national_id)))
