"""Adding a document to a dossier (HR, or the candidate while the dossier is open; nobody once the
selection is cancelled): its scan checked and stored, the document recorded and audited, then flushed;
the page commits."""
from __future__ import annotations

from flask_babel import gettext as _

from recruitment import audit
from recruitment.database import as_it_stands
from recruitment.extensions import db
from recruitment.models import User

from . import uploads
from .dossiers import Refused
from .models import Document, Dossier

FIELDS = ("kind", "number", "holder_name", "date_of_birth", "institution", "level", "major", "issued_on")


def add(dossier: Dossier, fields: dict, filename: str, data: bytes, by: User) -> Document:
    """`fields` are the document's FIELDS (text already stripped); `data` the scan, empty for none.
    A scan that is not a clean PDF, JPEG or PNG is refused (uploads.UploadRefused) before it is stored."""
    # F3: a cancelled selection is final, whoever adds (HR on the candidate's behalf too). Judged on the rows
    # as they stand, held until the commit: a second verifier may be confirming a rejection meanwhile.
    as_it_stands(dossier.application)
    as_it_stands(dossier)
    if dossier.status == "cancelled" or dossier.application.cancelled:
        raise Refused(_("This dossier is cancelled (F3): it takes no more documents."))
    if by.has_role("candidate") and dossier.status != "open":
        raise Refused(_("This dossier is closed."))
    stored = mime = None
    if data:
        mime = uploads.check(filename, data)
        stored = uploads.store(data, mime)
    doc = Document(dossier_id=dossier.id, stored_name=stored, original_name=filename if data else None, mime=mime,
                   size=len(data) or None, uploaded_by_id=by.id, **{name: fields[name] for name in FIELDS})
    db.session.add(doc)
    db.session.flush()
    audit.record("document_added", "dossier_document", doc.id, after={"kind": doc.kind, "number": doc.number,
                                                                      "scan": bool(stored)})
    return doc
