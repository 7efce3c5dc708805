"""Dossiers on the database: opening them for the selected, documents and their checks, the
verifiers' decisions (a cancelling rejection needs a second verifier), and the deadline (F1-F4, D5)."""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from recruitment import audit, codes, errors, reasons
from recruitment.database import as_it_stands
from recruitment.extensions import db
from recruitment.i18n import local_time
from recruitment.labels import label
from recruitment.models import Application, Round, User
from recruitment.vietnamese import fold

from . import matching, outcomes
from .models import Document, Dossier, IssuingRecord

CANCELLING_KINDS = ("diploma", "certificate")


class Refused(errors.Refused):
    pass


def _without_dossier(round_: Round):
    return (Application.round_id == round_.id, Application.selected_at.is_not(None), Application.cancelled.is_(False),
            Application.id.not_in(select(Dossier.application_id)))


def waiting(round_: Round) -> int:
    """Selected candidates whose dossier is not opened yet (a candidate promoted by F4, say)."""
    return db.session.scalar(select(func.count()).select_from(Application).where(*_without_dossier(round_)))


def deadline_from_selection(round_: Round, application: Application) -> date:
    """F1: the last day of the dossier, counted in Vietnam's days from the publication that selected
    the candidate (15, 30 under vn-2020): published at 06:00 in Hà Nội is still the day before in UTC,
    which cost the candidate a day."""
    return local_time(application.selected_at).date() + timedelta(days=round_.rules.dossier_days)


def open_dossiers(round_: Round) -> list[tuple[Dossier, str]]:
    """A dossier for every application selected in a published version that has none yet; the
    deadline counts from the selection (F1: 15 days, 30 under vn-2020). Returns the new dossiers with
    their codes: the caller hands them out (selection letters, the CLI's list) — the database keeps
    only a hash, so a code not handed out here is lost (HR can issue a new one, verification/access.py)."""
    opened = []
    for application in db.session.scalars(select(Application).where(*_without_dossier(round_))):
        code = codes.new_code()
        dossier = Dossier(application_id=application.id, access_hash=codes.keyed_hash(code),
                          deadline=deadline_from_selection(round_, application))
        db.session.add(dossier)
        db.session.flush()
        audit.record("dossier_opened", "dossier", dossier.id, after={"application": application.id,
                                                                      "deadline": dossier.deadline})
        opened.append((dossier, code))
    return opened


def paper_of(document: Document) -> matching.Paper:
    return matching.Paper(document.institution, document.number, document.holder_name, document.date_of_birth,
                          document.level, document.major)


def check(document: Document) -> tuple[matching.Match, list[str]]:
    """F2: against the issuing records, and against the position's requirements (diplomas)."""
    records = [matching.Paper(r.institution, r.number, r.holder, r.date_of_birth, r.level, r.major, source=r)
               for r in db.session.scalars(select(IssuingRecord).options(joinedload(IssuingRecord.imported_by))
                                           .where(IssuingRecord.number_key == matching.number_key(document.number)))]
    found = matching.match(paper_of(document), records)
    problems = []
    if document.kind == "diploma":
        position = document.dossier.application.position
        problems = matching.meets_requirements(document.level, document.major, position.degree_level, position.major_list)
    return found, problems


def _still_open(document: Document) -> None:
    """F3: a cancelled selection is final, and a rejection confirmed by a second verifier stands. Judged
    on the rows as they stand, held until the commit (another verifier may have decided meanwhile), in
    one order: the application, its dossier, the document."""
    as_it_stands(document.dossier.application)
    as_it_stands(document.dossier)
    as_it_stands(document)
    if document.dossier.status == "cancelled" or document.dossier.application.cancelled:
        raise Refused(_("This dossier is cancelled (F3): its documents take no more decisions."))
    if document.confirmed_by_id is not None:
        raise Refused(_("This rejection was confirmed by a second verifier (F3): it is no longer changed."))


def decide(document: Document, decision: str, reason: str, verifier: User) -> None:
    _still_open(document)
    if decision not in ("verified", "more_info", "rejected"):
        raise Refused(_("unknown decision"))
    if decision != "verified" and not reason.strip():
        raise Refused(_("say what is missing or why it is rejected"))
    if decision == "verified" and document.kind in CANCELLING_KINDS:  # F2's check; priority evidence has no register
        _verifiable(document, reason, verifier)
    reasons.check(reason, Refused)  # a rejection's reason becomes the cancellation's, printed in the results list
    before = {"decision": document.decision, "reason": document.decision_reason}
    document.decision, document.decision_reason = decision, reason or None
    document.decided_by_id, document.confirmed_by_id = verifier.id, None
    audit.record("document_decided", "dossier_document", document.id, before=before,
                 after={"decision": decision, "reason": reason}, reason=reason or None)
    application = document.dossier.application
    if document.kind == "priority":
        # D5: a claim gives 0 while any of its evidence stands rejected, the others still count; a priority
        # document's decision is not final (no second verifier confirms it), so taking the rejection back
        # gives the points back. Evidence from before claims were named stands for every claim.
        rejected = set()
        for d in document.dossier.documents:
            if d.kind == "priority" and d.decision == "rejected":
                rejected |= {d.claim} if d.claim else set(application.priority_list)
        outcomes.priority_claims_rejected(application, [c for c in application.priority_list if c in rejected],
                                          reason or None)
    _refresh(document.dossier)


def _verifiable(document: Document, reason: str, verifier: User) -> None:
    """F2: a diploma below the position's requirements is not valid for it, whatever its record; one
    that no issuing record matches is verified only with the reason saying how it was checked
    otherwise (the institution's letter), for the audit log and the second look. A near match (the
    register's spelling, its diacritics) is shown with its differences on the page and needs none,
    unless the verifier imported that record."""
    found, problems = check(document)
    if problems:
        raise Refused(_("This document does not meet the position's requirements (%(what)s): it is rejected, not "
                        "verified (F2).", what=", ".join(label(p, "requirement") for p in problems)))
    if not reason.strip() and (other := someone_else(document)):
        raise Refused(other)
    if found.kind == "none" and not reason.strip():
        raise Refused(_("No issuing record matches this document (F2): say how it was verified otherwise, for "
                        "example the institution's letter and its number."))
    if found.record is not None and found.record.source.imported_by_id == verifier.id and not reason.strip():
        # A verifier could import the very record a forged diploma then matches: their own import is
        # no check of their own decision. Another verifier's decision may rest on it.
        raise Refused(_("The issuing record this document matches is one you imported yourself (F2): say how it "
                        "was checked otherwise, or leave the decision to another verifier."))


def someone_else(document: Document) -> str | None:
    """F2: whether the document names someone other than its candidate (a sibling's genuine diploma
    matches its record exactly): the names compared as folded (the register's spelling, diacritics
    typed or not), the days of birth as given. In words for the verifier, or None."""
    candidate = document.dossier.application
    other_name = fold(document.holder_name or "") != fold(candidate.full_name)
    other_day = document.date_of_birth is not None and document.date_of_birth != candidate.date_of_birth
    if not (other_name or other_day):
        return None
    return _("This document is made out to %(holder)s, born %(born)s, and the candidate is %(name)s, born %(day)s "
             "(F2): say why it is the candidate's (a change of name and the decision that made it), or reject it.",
             holder=document.holder_name, born=document.date_of_birth.strftime("%d/%m/%Y") if document.date_of_birth else "?",
             name=candidate.full_name, day=candidate.date_of_birth.strftime("%d/%m/%Y"))


def _confirmable(document: Document, verifier: User) -> None:
    _still_open(document)
    if document.decision != "rejected" or document.kind not in CANCELLING_KINDS:
        raise Refused(_("there is no rejection to confirm"))
    if document.decided_by_id == verifier.id:
        raise Refused(_("a second verifier, not the one who rejected, confirms"))


def confirmation_refused(document: Document, verifier: User) -> str | None:
    """Why this verifier may not confirm this rejection, or None: the page asks for the confirmation
    only of what can be confirmed (a refusal goes straight to confirm_rejection, which says it)."""
    try:
        _confirmable(document, verifier)
    except Refused as refused:
        return str(refused)
    return None


def rejection_consequence(document: Document) -> str:
    """The sentence the confirmation shows before the second verifier cancels the selection (F3, F4)."""
    application = document.dossier.application
    return _("Confirm the rejection of %(kind)s %(number)s of %(who)s (%(reason)s): the selection is cancelled with "
             "this reason, published in a new results version, and the next-ranked candidate may take the place "
             "(F3, F4). A confirmed rejection is final: it is not changed afterwards.",
             kind=label(document.kind, "doc_kind"), number=document.number,
             who=f"{application.number_label} {application.full_name}", reason=document.decision_reason or "")


def rejection_shown(document: Document) -> str:
    """What the confirmation showed of the rejection, as its button sends it back: a rejection changed
    between the page and the button (a new reason) is shown again, never confirmed unseen."""
    shown = f"{document.decision}|{document.decided_by_id}|{document.decision_reason or ''}"
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


def confirm_rejection(document: Document, verifier: User) -> bool:
    """A rejection that cancels a selection needs a second, different verifier (F3)."""
    _confirmable(document, verifier)
    dossier = document.dossier
    before = {"by": None, "status": dossier.status}  # unconfirmed (_still_open), and the dossier's status
    document.confirmed_by_id = verifier.id
    outcomes.cancel(dossier.application, "rejected",
                    _("%(kind)s %(number)s rejected: %(reason)s", kind=label(document.kind, "doc_kind"), number=document.number,
                      reason=document.decision_reason))
    dossier.status = "cancelled"
    audit.record("rejection_confirmed", "dossier_document", document.id, before=before,
                 after={"by": verifier.username, "status": dossier.status})
    return True


def _refresh(dossier: Dossier) -> None:
    """The dossier's status from its documents' decisions; a change is audited (it decides whether the
    deadline may cancel the selection, F3)."""
    docs, before = dossier.documents, dossier.status
    if dossier.status != "cancelled" and docs and all(d.decision == "verified" for d in docs) and \
            any(d.kind == "diploma" for d in docs):
        dossier.status = "verified"
    elif dossier.status == "verified":
        dossier.status = "open"
    if dossier.status != before:
        audit.record("dossier_status_changed", "dossier", dossier.id, before={"status": before},
                     after={"status": dossier.status})


def incomplete(dossier: Dossier) -> str | None:
    """Why the dossier is not complete, or None. Only its diplomas and certificates count: priority
    evidence still awaiting information leaves the claim as declared until a verifier rejects it,
    which gives 0 points (D5), never a cancelled selection."""
    if not any(d.kind == "diploma" for d in dossier.documents):
        return _("no diploma was submitted")
    waiting = [d for d in dossier.documents if d.decision == "more_info" and d.kind in CANCELLING_KINDS]
    if waiting:
        return _("information still missing: %(what)s", what="; ".join(d.decision_reason or "" for d in waiting))
    return None


def overdue(today: date, round_: Round) -> list[tuple[Dossier, str]]:
    """F3: the round's dossiers past their deadline and incomplete, each with why: the selections the
    deadline cancels today. The page names them before it does (deadline_consequence)."""
    found = []
    for dossier in db.session.scalars(select(Dossier).join(Application).where(
            Application.round_id == round_.id, Dossier.status == "open", Dossier.deadline < today)
            .order_by(Dossier.deadline, Dossier.id)):
        why = incomplete(dossier)
        if why:
            found.append((dossier, why))
    return found


def deadline_consequence(round_: Round, due: list[tuple[Dossier, str]], opening: int) -> str:
    """The sentence the confirmation shows before the deadline cancels selections (F3, F4)."""
    who = "; ".join(f"{d.application.number_label} {d.application.full_name} ({why})" for d, why in due)
    text = _("The dossier deadline cancels the selection of %(n)d candidate(s) of round %(round)s whose dossier is "
             "incomplete: %(who)s. A cancellation is final: it is published with its reason in a new results "
             "version, and the next-ranked candidate may take the place (F3, F4).", n=len(due), round=round_.code,
             who=who)
    if opening:
        text += " " + _("%(n)d new dossier(s) are opened too, and their selection letters printed (F1).", n=opening)
    return text


def enforce_deadlines(today: date, round_: Round) -> list[int]:
    """F3: at the deadline an incomplete dossier of the round cancels the selection with its reason.
    Returns the cancelled applications (announce them after the commit). One round at a time: the page
    that applies it is the round's, and another round's selections are not its to cancel."""
    cancelled = []
    for dossier, why in overdue(today, round_):
        outcomes.cancel(dossier.application, "incomplete",
                        _("dossier incomplete at the deadline of %(day)s: %(why)s",
                          day=dossier.deadline.strftime("%d/%m/%Y"), why=why))
        dossier.status = "cancelled"
        cancelled.append(dossier.application_id)
    return cancelled


def due_list(round_: Round, today: date) -> list[tuple[Dossier, str]]:
    rows = db.session.scalars(select(Dossier).join(Application).where(Application.round_id == round_.id)
                              .order_by(Dossier.deadline, Dossier.id)).all()
    return [(d, "overdue" if d.status == "open" and d.deadline < today else
             "due" if d.status == "open" and d.deadline <= today + timedelta(days=3) else d.status) for d in rows]
