"""A dossier's status change (open -> verified, and back) is audited with before and after: it decides
whether the deadline may cancel the selection (F3)."""
from __future__ import annotations

from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.demo_cache import demo_loaded
from verification import dossiers
from verification.models import Dossier


def test_a_dossier_becoming_verified_is_audited_with_before_and_after(app, client, make_user, login):
    demo_loaded(app)
    candidates = [d for d in db.session.scalars(db.select(Dossier).filter_by(status="open").order_by(Dossier.id))
                  if d.documents and any(doc.kind == "diploma" for doc in d.documents)
                  and all(dossiers.check(doc)[0].kind == "exact" and not dossiers.check(doc)[1] for doc in d.documents)]
    assert candidates, "the demo has an open dossier whose documents all match their records"
    dossier = candidates[0]
    login(make_user("xacminh", "verifier"))
    for document in dossier.documents:
        client.post(f"/verification/documents/{document.id}/decide", data={"decision": "verified", "reason": ""})
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier.id)
    assert dossier.status == "verified"
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_type == "dossier",
                                                             AuditEntry.object_id == str(dossier.id))).all()
    changed = [e for e in entries if e.after and "verified" in e.after and e.before and "open" in e.before]
    assert changed, f"no audit entry records the dossier's status open -> verified: {[e.action for e in entries]}"
