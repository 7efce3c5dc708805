"""Admitting and rejecting applications, and numbering the admitted (A1-A4)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from . import audit, national_ids, numbering
from .eligibility import Candidate, Requirement, ineligibility
from .extensions import db
from .models import Application, PersonFlag, Position, Round


class ApplicationRefused(ValueError):
    """The application cannot be taken (A1); the message says why."""


def snapshot(a: Application) -> dict:
    return {"status": a.status, "reject_reason": a.reject_reason, "candidate_number": a.candidate_number,
            "position_id": a.position_id, "full_name": a.full_name, "national_id": a.national_id}


def reference_day(round_: Round) -> date:
    """A2 counts age on the application deadline (today when the round has none yet)."""
    return round_.application_deadline or date.today()


def check_duplicate(round_: Round, national_id: str, position_id: int, exclude_id: int | None = None) -> None:
    """A1: one application per person and round unless the round allows several positions; the IDs
    are compared in their one spelling (national_ids), so fullwidth digits find the ASCII ones."""
    national_id = national_ids.canonical(national_id)
    query = select(Application).where(Application.round_id == round_.id)
    if exclude_id is not None:
        query = query.where(Application.id != exclude_id)
    for other in db.session.scalars(query):
        if national_ids.canonical(other.national_id) != national_id:
            continue
        if not round_.several_positions:
            raise ApplicationRefused(_("national ID %(id)s has already applied in this round (to %(position)s)",
                                       id=national_id, position=other.position.code))
        if other.position_id == position_id:
            raise ApplicationRefused(_("national ID %(id)s has already applied to this position", id=national_id))


def bars(round_: Round, national_id: str) -> list[PersonFlag]:
    """F3: "fraud also bars the person from the next round": the flags raised in other rounds."""
    return list(db.session.scalars(select(PersonFlag).where(
        PersonFlag.national_id == national_ids.canonical(national_id),
        (PersonFlag.round_id != round_.id) | PersonFlag.round_id.is_(None)).order_by(PersonFlag.id)))


def reasons_to_reject(application: Application) -> list[str]:
    position = application.position
    barred = [_("barred after fraud in an earlier round (F3): %(reason)s", reason=f.reason)
              for f in bars(application.round, application.national_id)]
    return barred + ineligibility(
        Candidate(application.date_of_birth, application.degree_level, application.major),
        Requirement(position.degree_level, tuple(position.major_list)),
        application.round.rules, reference_day(application.round))


def admit(application: Application) -> None:
    before = snapshot(application)
    application.status, application.reject_reason = "admitted", None
    audit.record("application_admitted", "application", application.id, before=before, after=snapshot(application))


def reject(application: Application, reason: str) -> None:
    """A4: a rejected application carries its reason."""
    before = snapshot(application)
    application.status, application.reject_reason = "rejected", reason
    audit.record("application_rejected", "application", application.id, before=before,
                 after=snapshot(application), reason=reason)


def assign_numbers(round_: Round) -> int:
    """A3: admitted applications without a number get the next ones; returns how many."""
    db.session.flush()
    last = db.session.scalar(select(func.max(Application.candidate_number)).where(Application.round_id == round_.id)) or 0
    rows = db.session.execute(
        select(Application.id, Position.code, Application.full_name, Application.national_id)
        .join(Position, Position.id == Application.position_id)
        .where(Application.round_id == round_.id, Application.status == "admitted",
               Application.candidate_number.is_(None))
    ).all()
    numbers = numbering.assign([numbering.Numberable(*r) for r in rows], last)
    for app_id, number in numbers.items():
        db.session.get(Application, app_id).candidate_number = number
    if numbers:
        audit.record("candidate_numbers_assigned", "round", round_.id,
                     after={"first": min(numbers.values()), "last": max(numbers.values()), "count": len(numbers)})
    return len(numbers)


def admit_eligible(round_: Round) -> tuple[int, int]:
    """Admits the submitted applications that meet A2 and numbers them; returns (admitted, left)."""
    admitted = left = 0
    for application in db.session.scalars(select(Application).filter_by(round_id=round_.id, status="submitted")):
        if reasons_to_reject(application):
            left += 1
        else:
            admit(application)
            admitted += 1
    assign_numbers(round_)
    return admitted, left
