"""F2's "needs more information": the candidate answers on the document that asked. A new scan added
as another document left the request standing, so the dossier stayed incomplete and the deadline
cancelled the selection of a candidate who had sent what was asked (F3)."""
from __future__ import annotations

import io
import json
from datetime import timedelta

from PIL import Image

from recruitment import codes
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Round
from tests.support.demo_cache import demo_loaded
from verification import dossiers
from verification.models import Dossier


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 200, 200)).save(out, "PNG")
    return out.getvalue()


def _as_candidate(client, dossier: Dossier) -> None:
    dossier.access_hash = codes.keyed_hash("ABCD2345")
    db.session.commit()
    a = dossier.application
    client.post("/verification/candidate/login", data={
        "round_id": a.round_id, "candidate_number": a.candidate_number,
        "date_of_birth": a.date_of_birth.strftime("%d/%m/%Y"), "code": "ABCD2345"})


def test_the_candidates_new_scan_answers_the_request_and_the_verifier_decides_again(app, client, make_user):
    demo_loaded(app)
    assert db.session.scalar(db.select(Round).filter_by(code="HP2026")) is not None
    dossier = next(d for d in db.session.scalars(db.select(Dossier).order_by(Dossier.id)) if d.status == "open")
    diploma = next(d for d in dossier.documents if d.kind == "diploma")
    old_scan = diploma.stored_name
    dossiers.decide(diploma, "more_info", "Bản chụp mờ, gửi lại bản rõ", make_user("v1", "verifier"))
    db.session.commit()
    assert dossiers.incomplete(dossier) is not None
    _as_candidate(client, dossier)
    page = client.get("/verification/candidate/").get_data(as_text=True)
    assert f'action="/verification/candidate/documents/{diploma.id}/answer"' in page
    answered = client.post(f"/verification/candidate/documents/{diploma.id}/answer", content_type="multipart/form-data",
                           data={"note": "Bản chụp rõ hơn", "scan": (io.BytesIO(_png()), "bang-ro.png")})
    assert answered.status_code == 302
    db.session.refresh(diploma)
    assert diploma.decision == "pending" and diploma.stored_name not in (None, old_scan)
    assert diploma.original_name == "bang-ro.png"
    assert dossiers.incomplete(dossier) is None  # the request is answered: the deadline no longer cancels for it
    assert dossiers.enforce_deadlines(dossier.deadline + timedelta(days=1), dossier.application.round) == []
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="document_answered", object_id=str(diploma.id))).one()
    assert json.loads(entry.before)["decision"] == "more_info" and json.loads(entry.after)["note"] == "Bản chụp rõ hơn"
    # Answered once: the document waits for the verifier, and takes no second answer.
    again = client.post(f"/verification/candidate/documents/{diploma.id}/answer", content_type="multipart/form-data",
                        data={"note": "", "scan": (io.BytesIO(_png()), "lan-hai.png")}, follow_redirects=True)
    db.session.refresh(diploma)
    assert diploma.original_name == "bang-ro.png" and again.status_code == 200


def test_a_candidate_answers_only_their_own_documents(app, client, make_user):
    demo_loaded(app)
    mine, other = [d for d in db.session.scalars(db.select(Dossier).order_by(Dossier.id)) if d.status == "open"][:2]
    theirs = other.documents[0]
    dossiers.decide(theirs, "more_info", "Thiếu trang 2", make_user("v1", "verifier"))
    db.session.commit()
    _as_candidate(client, mine)
    refused = client.post(f"/verification/candidate/documents/{theirs.id}/answer", content_type="multipart/form-data",
                          data={"note": "x", "scan": (io.BytesIO(_png()), "x.png")})
    assert refused.status_code == 403
    db.session.refresh(theirs)
    assert theirs.decision == "more_info"


def test_after_the_deadline_the_candidate_neither_answers_nor_adds(app, client, make_user):
    """F1: the dossier is completed within its deadline. Answered after it, the request turned pending
    and the deadline (applied later by HR) cancelled nobody (F3)."""
    from recruitment.i18n import local_today

    demo_loaded(app)
    dossier = next(d for d in db.session.scalars(db.select(Dossier).order_by(Dossier.id)) if d.status == "open")
    diploma = next(d for d in dossier.documents if d.kind == "diploma")
    dossiers.decide(diploma, "more_info", "Bản chụp mờ", make_user("v1", "verifier"))
    dossier.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    count = len(dossier.documents)
    _as_candidate(client, dossier)
    page = client.post(f"/verification/candidate/documents/{diploma.id}/answer", content_type="multipart/form-data",
                       data={"note": "Gửi muộn", "scan": (io.BytesIO(_png()), "muon.png")}, follow_redirects=True)
    assert "F1" in page.get_data(as_text=True)
    client.post("/verification/candidate/", content_type="multipart/form-data", data={
        "kind": "certificate", "number": "CC-9", "holder_name": dossier.application.full_name,
        "scan": (io.BytesIO(_png()), "cc.png")})
    db.session.refresh(diploma)
    db.session.refresh(dossier)
    assert diploma.decision == "more_info" and len(dossier.documents) == count
    assert dossiers.overdue(local_today(), dossier.application.round)


def test_the_answer_keeps_the_old_scan_named_and_a_long_file_name_cut(app, client, make_user):
    demo_loaded(app)
    dossier = next(d for d in db.session.scalars(db.select(Dossier).order_by(Dossier.id)) if d.status == "open")
    diploma = next(d for d in dossier.documents if d.kind == "diploma")
    old_scan = diploma.stored_name
    dossiers.decide(diploma, "more_info", "Bản chụp mờ", make_user("v1", "verifier"))
    db.session.commit()
    _as_candidate(client, dossier)
    long_name = "b" * 300 + ".png"
    assert client.post(f"/verification/candidate/documents/{diploma.id}/answer", content_type="multipart/form-data",
                       data={"note": "", "scan": (io.BytesIO(_png()), long_name)}).status_code == 302
    db.session.refresh(diploma)
    assert diploma.decision == "pending" and len(diploma.original_name) <= 200
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="document_answered", object_id=str(diploma.id))).one()
    assert json.loads(entry.before)["stored"] == old_scan
