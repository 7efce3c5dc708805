"""D5, claim by claim: a claim whose evidence is rejected gives 0, and only the highest single category
that still stands counts. Priority evidence named no claim, and one rejected document set a flag that
zeroed every claim: a candidate with a verified military service (2.5) and a rejected ethnic-minority
paper (5) got 0."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from recruitment.audit import AuditEntry
from recruitment.extensions import db
from results import service
from verification import documents, dossiers
from verification.models import Dossier


def _evidence(dossier, claim: str, number: str, hr):
    return documents.add(dossier, {"kind": "priority", "claim": claim, "number": number,
                                   "holder_name": dossier.application.full_name, "date_of_birth": None,
                                   "institution": "", "level": "", "major": "", "issued_on": None}, "", b"", hr)


def _priority(round_, application_id) -> Decimal:
    return next(r for r in service.compute(round_).rows if r.candidate.application_id == application_id).priority


def test_a_rejected_claim_leaves_the_others_standing(demo_round, make_user):
    dossier = next(d for d in db.session.scalars(db.select(Dossier).order_by(Dossier.id))
                   if d.status == "open" and d.application.round_id == demo_round.id)
    application = dossier.application
    application.priority_codes = "ethnic_minority;military_service"  # declared: 5 and 2.5
    db.session.commit()
    assert _priority(demo_round, application.id) == Decimal("5")
    hr, verifier = make_user("hr1", "hr"), make_user("v1", "verifier")
    military = _evidence(dossier, "military_service", "QĐ-XUAT-NGU-1", hr)
    ethnic = _evidence(dossier, "ethnic_minority", "GIAY-DAN-TOC-1", hr)
    dossiers.decide(military, "verified", "quyết định xuất ngũ đúng", verifier)
    dossiers.decide(ethnic, "rejected", "giấy xác nhận dân tộc không hợp lệ", verifier)
    db.session.commit()
    assert application.priority_rejected_list == ["ethnic_minority"]
    assert _priority(demo_round, application.id) == Decimal("2.5")
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="priority_rejected", object_id=str(application.id))).one()
    assert json.loads(entry.after) == {"rejected": ["ethnic_minority"]}
    dossiers.decide(military, "rejected", "quyết định giả", verifier)  # both rejected: nothing counts
    db.session.commit()
    assert _priority(demo_round, application.id) == Decimal("0")
    dossiers.decide(ethnic, "verified", "đã có bản gốc", verifier)  # taken back: the higher claim counts again
    db.session.commit()
    assert application.priority_rejected_list == ["military_service"]
    assert _priority(demo_round, application.id) == Decimal("5")


def test_priority_evidence_names_one_of_the_declared_claims(demo_round, make_user):
    dossier = next(d for d in db.session.scalars(db.select(Dossier).order_by(Dossier.id))
                   if d.status == "open" and d.application.round_id == demo_round.id)
    dossier.application.priority_codes = "military_service"
    db.session.commit()
    hr = make_user("hr1", "hr")
    for claim in ("", "hero"):  # none, and one not declared
        with pytest.raises(dossiers.Refused, match="D5"):
            _evidence(dossier, claim, "QĐ-1", hr)
        db.session.rollback()
    assert _evidence(dossier, "military_service", "QĐ-1", hr).claim == "military_service"
