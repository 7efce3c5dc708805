"""Issue 15: adding a document is an operation (verification/documents.py) that checks the dossier's
state and the scan, records, audits and flushes; the page only commits."""
from __future__ import annotations

import json
from datetime import date

import pytest

from recruitment import errors
from recruitment.audit import AuditEntry
from recruitment.candidates import candidate_user
from recruitment.extensions import db
from tests.support.factories import round_with_applications
from verification import documents, dossiers
from verification.models import Document, Dossier
from verification.uploads import UploadRefused

FIELDS = {"kind": "diploma", "number": "DH-001", "holder_name": "Trần An", "date_of_birth": date(1995, 2, 1),
          "institution": "Đại học Hải Phòng", "level": "dai_hoc", "major": "Tài chính", "issued_on": date(2018, 6, 30)}


@pytest.fixture
def dossier(app, tmp_path, make_user):
    _round, apps = round_with_applications(tmp_path, "DOC", ["Trần An"])
    item = Dossier(application_id=apps[0].id, access_hash="0" * 64, deadline=date(2099, 1, 1))
    db.session.add(item)
    db.session.commit()
    return item


def _added() -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action="document_added")))


def test_hr_adds_a_document_and_it_is_audited(dossier, make_user):
    hr = make_user("hr", "hr")
    doc = documents.add(dossier, dict(FIELDS), "", b"", hr)
    db.session.commit()
    assert doc.uploaded_by_id == hr.id and doc.stored_name is None and doc.number == "DH-001"
    (entry,) = _added()
    assert entry.object_id == str(doc.id) and json.loads(entry.after) == {"kind": "diploma", "number": "DH-001",
                                                                          "scan": False}


def test_a_scan_that_is_not_a_document_is_refused_before_anything_is_stored(dossier, make_user):
    with pytest.raises(UploadRefused):
        documents.add(dossier, dict(FIELDS), "bang.pdf", b"MZ\x90\x00 not a pdf", make_user("hr", "hr"))
    assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0 and _added() == []


def test_the_candidate_adds_nothing_to_a_closed_dossier(dossier):
    candidate = candidate_user(dossier.application)
    dossier.status = "cancelled"
    with pytest.raises(errors.Refused):
        documents.add(dossier, dict(FIELDS), "", b"", candidate)
    assert _added() == []


def test_a_priority_rejection_taken_back_gives_the_points_back(dossier, make_user):
    """D5: a claim counts until its evidence is rejected. A verifier who rejected the evidence and then
    verified it (the decision is not final for a priority document) left the claim at 0: the document
    said verified and the ranking still gave no points. The claim follows the decisions of its evidence."""
    hr, verifier = make_user("hr", "hr"), make_user("v1", "verifier")
    dossier.application.priority_codes = "military_service"
    proof = documents.add(dossier, dict(FIELDS, kind="priority", claim="military_service", number="UT-01"), "", b"", hr)
    db.session.commit()
    dossiers.decide(proof, "rejected", "Giấy xác nhận không đúng mẫu", verifier)
    db.session.commit()
    assert dossier.application.priority_rejected_list == ["military_service"]
    dossiers.decide(proof, "verified", "", verifier)
    db.session.commit()
    assert dossier.application.priority_rejected_list == []
    entries = db.session.scalars(db.select(AuditEntry).filter(AuditEntry.action.like("priority_%"))
                                 .order_by(AuditEntry.id)).all()
    assert [e.action for e in entries] == ["priority_rejected", "priority_restored"]


@pytest.mark.parametrize("cancelled_by", ["dossier", "application"])
def test_nobody_adds_a_document_to_a_cancelled_selection(dossier, make_user, cancelled_by):
    """F3: a cancelled selection is final. Only the candidate was kept out of a closed dossier: HR could
    still add a document to a cancelled one (audited as added, for a selection that no longer exists)."""
    if cancelled_by == "dossier":
        dossier.status = "cancelled"
    else:  # cancelled from the outcomes file, say, the dossier row not yet following
        dossier.application.cancelled, dossier.application.cancel_reason = True, "không đến nhận việc"
    db.session.commit()
    with pytest.raises(errors.Refused, match="F3"):
        documents.add(dossier, dict(FIELDS), "", b"", make_user("hr", "hr"))
    assert _added() == [] and db.session.scalar(db.select(db.func.count()).select_from(Document)) == 0
