"""Adding a document to a dossier (HR, or the candidate while the dossier is open; nobody once the
selection is cancelled), and the candidate's answer to a verifier's "needs more information" on the
document that asked: the scan checked and stored, the change recorded and audited; the page commits."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from recruitment import audit, reasons
from recruitment.audit import AuditEntry
from recruitment.database import as_it_stands
from recruitment.extensions import db
from recruitment.i18n import local_today
from recruitment.labels import label
from recruitment.models import User

from . import uploads
from .dossiers import Refused
from .models import Document, Dossier

FIELDS = ("kind", "number", "holder_name", "date_of_birth", "institution", "level", "major", "issued_on")


NAME_KEPT = 200  # Document.original_name: a longer file name is cut, not refused (PostgreSQL refused it with a 500)


def _still_taking(dossier: Dossier, by: User) -> None:
    """F3: a cancelled selection is final, whoever sends (HR on the candidate's behalf too). Judged on
    the rows as they stand, held until the commit: a second verifier may be confirming a rejection
    meanwhile. F1: the candidate completes an open dossier within its deadline (a day in Vietnam);
    HR records what came in on time, by post or at the desk, after it."""
    as_it_stands(dossier.application)
    as_it_stands(dossier)
    if dossier.status == "cancelled" or dossier.application.cancelled:
        raise Refused(_("This dossier is cancelled (F3): it takes no more documents."))
    if by.has_role("candidate") and dossier.status != "open":
        raise Refused(_("This dossier is closed."))
    if by.has_role("candidate") and local_today() > dossier.deadline:
        raise Refused(_("The dossier's deadline was %(day)s (F1): nothing more is sent from this page; ask HR.",
                        day=dossier.deadline.strftime("%d/%m/%Y")))


def add(dossier: Dossier, fields: dict, filename: str, data: bytes, by: User) -> Document:
    """`fields` are the document's FIELDS (text already stripped); `data` the scan, empty for none.
    A scan that is not a clean PDF, JPEG or PNG is refused (uploads.UploadRefused) before it is stored."""
    _still_taking(dossier, by)
    claim = fields.get("claim") or ""
    if fields["kind"] == "priority" and claim not in dossier.application.priority_list:
        raise Refused(_("Priority evidence names the claim it supports, one of those declared in the application "
                        "(D5): %(claims)s.", claims=", ".join(label(c, "priority") for c in dossier.application.priority_list)
                        or _("none declared")))
    stored = mime = None
    if data:
        mime = uploads.check(filename, data)
        stored = uploads.store(data, mime)
    doc = Document(dossier_id=dossier.id, stored_name=stored, original_name=filename[:NAME_KEPT] if data else None, mime=mime,
                   size=len(data) or None, uploaded_by_id=by.id, claim=claim if fields["kind"] == "priority" else "",
                   **{name: fields[name] for name in FIELDS})
    db.session.add(doc)
    db.session.flush()
    audit.record("document_added", "dossier_document", doc.id, after={"kind": doc.kind, "number": doc.number,
                                                                      "scan": bool(stored), **({"claim": doc.claim} if doc.claim else {})})
    return doc


def answer(document: Document, note: str, filename: str, data: bytes, by: User) -> None:
    """F2: the answer to a verifier's "needs more information", on the document that asked: a new scan
    (the old one stays stored, named by its stored name in the audit entry) and a note. The document waits for a verifier
    again, and the request no longer makes the dossier incomplete (dossiers.incomplete), so the
    deadline does not cancel a selection whose candidate sent what was asked. What was asked stays on
    the document for the verifier, beside the answer."""
    _still_taking(document.dossier, by)
    as_it_stands(document)
    if document.decision != "more_info":
        raise Refused(_("This document is not awaiting more information: a verifier has it."))
    note = note.strip()
    reasons.check(note, Refused)
    if not data and not note:
        raise Refused(_("Send a new scan, a note, or both: what the verifier asked for."))
    # The old scan stays stored, named here by its stored name: the verifier may compare the two.
    before = {"decision": document.decision, "reason": document.decision_reason, "scan": document.original_name,
              "stored": document.stored_name}
    if data:
        mime = uploads.check(filename, data)
        document.stored_name, document.original_name = uploads.store(data, mime), filename[:NAME_KEPT]
        document.mime, document.size, document.uploaded_by_id = mime, len(data), by.id
    document.decision = "pending"
    audit.record("document_answered", "dossier_document", document.id, before=before,
                 after={"decision": "pending", "scan": document.original_name, "note": note or None}, reason=note or None)


def answers_to(dossier: Dossier) -> dict[int, AuditEntry]:
    """The candidates' last answer (answer's audit entry) to each of the dossier's documents that
    awaits a verifier again after asking for more information: the page shows it beside the request."""
    waiting = [str(d.id) for d in dossier.documents if d.decision == "pending" and d.decision_reason]
    found: dict[int, AuditEntry] = {}
    if waiting:
        for entry in db.session.scalars(select(AuditEntry).where(
                AuditEntry.action == "document_answered", AuditEntry.object_type == "dossier_document",
                AuditEntry.object_id.in_(waiting)).order_by(AuditEntry.seq)):
            found[int(entry.object_id)] = entry
    return found
