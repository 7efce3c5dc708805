"""Admitting and rejecting applications, and numbering the admitted (A1-A4)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from . import audit, errors, national_ids, numbering, reasons
from .database import as_it_stands
from .eligibility import EARLIEST_BIRTH, Candidate, Requirement, Shortfall, ineligibility, possible_birth
from .extensions import db
from .i18n import local_time, local_today
from .labels import label
from .models import Application, PersonFlag, Position, Round
from .vietnamese import fold


class ApplicationRefused(errors.Refused):
    """The application cannot be taken (A1); the message says why."""


def snapshot(a: Application) -> dict:
    return {"status": a.status, "reject_reason": a.reject_reason, "candidate_number": a.candidate_number,
            "position_id": a.position_id, "full_name": a.full_name, "national_id": a.national_id,
            "email": a.email, "phone": a.phone}


# E5, D5: once a round's results are published, what they were computed from stays as it was
# published: the application's identity, position, degree and priority claims (D5 counts a claim as
# declared in the application), the position's grade, quota and requirements. A later change comes
# only through E5's own paths (re-marking, neutralised question, cancellation), each publishing a new
# version. Contact details stay editable: the council still has to reach the candidate.
FROZEN_APPLICATION_FIELDS = ("national_id", "full_name", "date_of_birth", "gender", "position_id", "degree_level",
                             "major", "priority_codes", "exempt_language")


def frozen_changes(application: Application, new: dict) -> list[str]:
    """The fields of `new` (form field name -> value) that would change a published round's application."""
    if application.round.results_published_at is None:
        return []
    stored = {name: getattr(application, name) for name in FROZEN_APPLICATION_FIELDS if name != "priority_codes"}
    stored["priority_codes"] = sorted(application.priority_list)
    new = dict(new, priority_codes=sorted(new.get("priority_codes") or []))
    return [name for name in FROZEN_APPLICATION_FIELDS if name in new and new[name] != stored[name]]


def reference_day(round_: Round) -> date:
    """A2 counts age on the application deadline (today in Vietnam when the round has none yet)."""
    return round_.application_deadline or local_today()


def birth_refusal(born: date, round_: Round) -> str | None:
    """Why `born` cannot be an applicant's date of birth in this round (eligibility.possible_birth), in
    words; None when it can. The form and the file ask alike."""
    on = reference_day(round_)
    if possible_birth(born, on):
        return None
    return _("%(day)s cannot be a date of birth: one lies between %(first)s and %(last)s (the day A2 counts "
             "age on); check the year, typed in four digits", day=f"{born.day:02d}/{born.month:02d}/{born.year:04d}",
             first=EARLIEST_BIRTH.strftime("%d/%m/%Y"), last=on.strftime("%d/%m/%Y"))


def closing_day(round_: Round) -> date | None:
    """The last day applications are taken: the extension HR recorded, else the deadline."""
    return round_.applications_extended_until or round_.application_deadline


def check_open(round_: Round, today: date | None = None) -> None:
    """Applications are taken until the deadline (or the extension HR recorded with its reason) and
    never once results are published: a late candidate has no round-1 result and would block the
    next version (E5). The web form, the import page and the command all ask here."""
    if round_.results_published_at is not None:
        raise ApplicationRefused(_("round %(round)s published its results on %(day)s: no application is taken "
                                   "after the first publication", round=round_.code,
                                   day=local_time(round_.results_published_at).strftime("%d/%m/%Y")))
    closes = closing_day(round_)
    if closes is not None and (today or local_today()) > closes:  # the deadline is a day in Vietnam
        if round_.applications_extended_until is not None:
            raise ApplicationRefused(_("the extension of round %(round)s ended on %(day)s (%(reason)s)",
                                       round=round_.code, day=closes.strftime("%d/%m/%Y"),
                                       reason=round_.extension_reason))
        raise ApplicationRefused(_("the application deadline of round %(round)s was %(day)s; HR may record an "
                                   "extension with its reason on the round's page", round=round_.code,
                                   day=closes.strftime("%d/%m/%Y")))


def extend(round_: Round, until: date, reason: str) -> None:
    """HR takes applications after the deadline until `until`, for the reason given (audited)."""
    if not reason.strip():
        raise ApplicationRefused(_("an extension needs its reason"))
    reasons.check(reason.strip(), ApplicationRefused)
    if round_.results_published_at is not None:
        raise ApplicationRefused(_("results are published: the applications cannot be reopened"))
    if round_.application_deadline is not None and until < round_.application_deadline:
        raise ApplicationRefused(_("an extension ends after the deadline (%(day)s)",
                                   day=round_.application_deadline.strftime("%d/%m/%Y")))
    before = {"extended_until": round_.applications_extended_until, "reason": round_.extension_reason}
    round_.applications_extended_until, round_.extension_reason = until, reason.strip()
    audit.record("applications_extended", "round", round_.id, before=before,
                 after={"extended_until": until, "reason": round_.extension_reason}, reason=round_.extension_reason)


def check_duplicate(round_: Round, national_id: str, position_id: int, exclude_id: int | None = None) -> None:
    """A1: one application per person and round unless the round allows several positions; the IDs
    are compared in their one spelling (national_ids), so fullwidth digits find the ASCII ones."""
    national_id = national_ids.canonical(national_id)  # stored IDs are canonical (importing, forms, migration)
    query = select(Application).where(Application.round_id == round_.id, Application.national_id == national_id)
    if exclude_id is not None:
        # An edit makes no new application: one rejected beside it (A4) stands in its way no more than in
        # A1's setting (rounds._one_application_each), or the one kept could never be saved again.
        query = query.where(Application.id != exclude_id, Application.status != "rejected")
    for other in db.session.scalars(query):
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


def barred_in(round_: Round) -> dict[str, list[str]]:
    """F3 for a whole file at once: canonical national ID -> the reasons of the flags raised in other
    rounds (one query, not one per row)."""
    found: dict[str, list[str]] = {}
    for flag in db.session.scalars(select(PersonFlag).where(
            (PersonFlag.round_id != round_.id) | PersonFlag.round_id.is_(None)).order_by(PersonFlag.id)):
        found.setdefault(national_ids.canonical(flag.national_id), []).append(flag.reason)
    return found


def barred_reason(flag_reason: str) -> str:
    return _("barred after fraud in an earlier round (F3): %(reason)s", reason=flag_reason)


def shortfall_text(shortfall: Shortfall) -> str:
    """A2, in the reader's words (A4: the candidate is told why)."""
    v = shortfall.values
    if shortfall.code == "age":
        return _("under %(min)d years old on %(day)s (age %(age)d)", min=v["min"], day=v["day"].strftime("%d/%m/%Y"),
                 age=v["age"])
    if shortfall.code == "degree_level":
        return _("degree level %(have)s is below the required %(need)s", have=label(v["have"], "degree"),
                 need=label(v["need"], "degree"))
    return _("major '%(major)s' is not among the accepted majors (%(majors)s)", major=v["major"],
             majors="; ".join(v["majors"]))


def ineligibility_texts(candidate: Candidate, requirement: Requirement, rules, on: date) -> list[str]:
    return [shortfall_text(s) for s in ineligibility(candidate, requirement, rules, on)]


def reasons_to_reject(application: Application) -> list[str]:
    position = application.position
    barred = [barred_reason(f.reason) for f in bars(application.round, application.national_id)]
    return barred + ineligibility_texts(
        Candidate(application.date_of_birth, application.degree_level, application.major),
        Requirement(position.degree_level, tuple(position.major_list)),
        application.round.rules, reference_day(application.round))


def save(round_: Round, application: Application | None, fields: dict) -> Application:
    """Creates (`application` None: only while the round takes them) or edits an application, A1
    checked; `fields` are Application's columns, `priority_codes` a list of codes. Judged on the round as
    it stands: its results may have been published since this request loaded it (E5)."""
    as_it_stands(round_)
    if application is None:
        check_open(round_)
    check_duplicate(round_, fields["national_id"], fields["position_id"],
                    exclude_id=application.id if application else None)
    frozen = [] if application is None else frozen_changes(application, fields)
    if frozen:
        raise ApplicationRefused(_("The results are published: this stays as it was (E5, D5)."), field=frozen[0])
    refusal = birth_refusal(fields["date_of_birth"], round_)
    if refusal:
        raise ApplicationRefused(refusal, field="date_of_birth")
    if application is not None and application.status == "admitted":
        _stays_eligible(application, fields)
    before = None if application is None else snapshot(application)
    if application is None:
        application = Application(round_id=round_.id)
        db.session.add(application)
    for name, value in fields.items():
        # A code sent twice counts once (as the file's, importing._priority_codes): kept as sent, the
        # codes could outgrow their column.
        setattr(application, name, ";".join(dict.fromkeys(value)) if name == "priority_codes" else value)
    application.name_key = fold(application.full_name)
    db.session.flush()
    audit.record("application_created" if before is None else "application_edited", "application", application.id,
                 before=before, after=snapshot(application))
    return application


# The application form's field each A2 shortfall is about, for the page to show the refusal there.
SHORTFALL_FIELDS = {"age": "date_of_birth", "degree_level": "degree_level", "major": "major"}


def _stays_eligible(application: Application, fields: dict) -> None:
    """A2: an admitted application, edited, still meets the conditions it was admitted on: its number
    stands (A3), so an edit that would make it ineligible is refused; one found ineligible is
    rejected with its reason (A4), not edited out of A2. Nor does it move to a position of another
    grade (B0: the grade decides who sits round 1; fixed once admitted, positions.py)."""
    round_, position = application.round, db.session.get(Position, fields["position_id"])
    if position.grade != application.position.grade:
        raise ApplicationRefused(_("This candidate is admitted to a position of grade %(grade)s: they move only to a "
                                   "position of the same grade (B0: it decides who sits round 1).",
                                   grade=label(application.position.grade, "grade")), field="position_id")
    shortfalls = ineligibility(Candidate(fields["date_of_birth"], fields["degree_level"], fields.get("major") or ""),
                               Requirement(position.degree_level, tuple(position.major_list)), round_.rules,
                               reference_day(round_))
    if shortfalls:
        raise ApplicationRefused(_("This candidate is admitted and numbered: after this change they would not meet "
                                   "the conditions (A2): %(reasons)s. If that is so, reject the application with "
                                   "its reason (A4).", reasons="; ".join(shortfall_text(s) for s in shortfalls)),
                                 field=SHORTFALL_FIELDS[shortfalls[0].code])


def admit_numbered(application: Application) -> None:
    """Admits one application that meets A2 and gives it the next candidate number (A3)."""
    reasons = reasons_to_reject(application)
    if reasons:
        raise ApplicationRefused(_("Not eligible: %(reasons)s", reasons="; ".join(reasons)))
    admit(application)
    assign_numbers(application.round)


def admit(application: Application) -> None:
    """A3. Not once the round's results are published (E5): the application would take a candidate
    number without a round-1 result, could no longer be rejected, and would block every later version."""
    round_ = as_it_stands(application.round)
    if round_.results_published_at is not None:
        raise ApplicationRefused(_("Round %(round)s published its results on %(day)s: no application is admitted "
                                   "after the first publication (E5).", round=round_.code,
                                   day=local_time(round_.results_published_at).strftime("%d/%m/%Y")))
    before = snapshot(application)
    application.status, application.reject_reason = "admitted", None
    audit.record("application_admitted", "application", application.id, before=before, after=snapshot(application))


def reject(application: Application, reason: str) -> None:
    """A4: a rejected application carries its reason. Not once the round's results are published (E5):
    a selection is then cancelled, with its reason published (F3), never rejected out of the list."""
    if as_it_stands(application.round).results_published_at is not None:
        raise ApplicationRefused(_("The results are published: a selected candidate is cancelled through the "
                                   "dossier's verification (F3), not rejected."))
    before = snapshot(application)
    application.status, application.reject_reason = "rejected", reason
    audit.record("application_rejected", "application", application.id, before=before,
                 after=snapshot(application), reason=reason)


def next_number(round_: Round) -> int:
    """The candidate number the next admitted application takes (A3: continuous, never taken back)."""
    return (db.session.scalar(select(func.max(Application.candidate_number))
                              .where(Application.round_id == round_.id)) or 0) + 1


def assign_numbers(round_: Round) -> int:
    """A3: admitted applications without a number get the next ones; returns how many."""
    db.session.flush()
    last = next_number(round_) - 1
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


def eligible_now(round_: Round) -> tuple[list[Application], int]:
    """The submitted applications that meet A2, and how many others wait for a decision."""
    eligible, left = [], 0
    for application in db.session.scalars(select(Application).filter_by(round_id=round_.id, status="submitted")):
        if reasons_to_reject(application):
            left += 1
        else:
            eligible.append(application)
    return eligible, left


def admit_eligible(round_: Round) -> tuple[int, int]:
    """Admits the submitted applications that meet A2 and numbers them; returns (admitted, left)."""
    eligible, left = eligible_now(round_)
    for application in eligible:
        admit(application)
    assign_numbers(round_)
    return len(eligible), left
