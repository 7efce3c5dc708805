"""Dossiers: upload checks, who sees what, matching Vietnamese names with and without diacritics,
the second verifier's confirmation, and the deadline cancellation with promotion end to end."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from recruitment.extensions import db
from recruitment.models import Round
from results import service as results
from tests.support.client import confirmation_fields, through_confirmation
from tests.support.demo_cache import demo_loaded
from verification import dossiers, matching
from verification.models import Document, Dossier
from verification.uploads import UploadRefused, check


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    c.drawString(100, 750, "Bang tot nghiep")
    c.save()
    return out.getvalue()


@pytest.mark.parametrize("name, data, cause", [
    ("bang.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "only PDF, JPEG and PNG"),  # a renamed executable
    ("bang.png", _pdf(), "ends in .png"),  # a PDF with a wrong extension
    ("bang.pdf", _pdf()[:-40], "damaged"),
    ("bang.png", _png()[:30], "damaged"),
], ids=["renamed-executable", "pdf-named-png", "truncated-pdf", "truncated-png"])
def test_uploads_are_checked_by_content(app, name, data, cause):
    from flask_babel import force_locale
    with force_locale("en"), pytest.raises(UploadRefused, match=cause):
        check(name, data)
    assert check("bang.png", _png()) == "image/png" and check("bang.pdf", _pdf()) == "application/pdf"


def test_an_oversize_file_is_refused(app):
    app.config["UPLOAD_MAX_BYTES"] = 100
    with pytest.raises(UploadRefused):
        check("bang.pdf", _pdf())


def test_matching_vietnamese_names_with_and_without_diacritics():
    record = matching.Paper("Trường Đại học Hàng hải Việt Nam", "HH-01", "Nguyen Thi Thu Ha", date(1997, 3, 15),
                            "dai_hoc", "Kinh te")
    same = matching.Paper("Trường Đại học Hàng hải Việt Nam", "HH-01", "Nguyễn Thị Thu Hà", date(1997, 3, 15), "dai_hoc",
                          "Kinh tế")
    near = matching.match(same, [record])
    assert near.kind == "near" and set(near.differences) == {"holder", "major"}
    assert matching.match(matching.Paper(*(record.institution, "HH-01", "Nguyen Thi Thu Ha", date(1997, 3, 15), "dai_hoc",
                                           "Kinh te")), [record]).kind == "exact"
    other_birth = matching.Paper(same.institution, "HH-01", "Nguyễn Thị Thu Hà", date(1997, 3, 16), "dai_hoc", "Kinh tế")
    assert matching.match(other_birth, [record]).kind == "none"  # a different person
    assert matching.match(matching.Paper(same.institution, "HH-99", "x", None, "", ""), [record]).kind == "none"
    assert matching.meets_requirements("cao_dang", "Kinh tế", "dai_hoc", ["Kinh tế"]) == ["level"]


@pytest.fixture
def demo(app):
    demo_loaded(app)
    return db.session.scalar(db.select(Round).filter_by(code="HP2026"))  # the demo also has HP2026-BS


def test_a_rejection_needs_a_second_verifier_then_cancels_and_promotes(demo, client, make_user, login):
    dossier = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[2]  # the diploma with no record
    document = dossier.documents[0]
    assert dossiers.check(document)[0].kind == "none"
    first, second = make_user("v1", "verifier"), make_user("v2", "verifier")
    login(first)
    client.post(f"/verification/documents/{document.id}/decide", data={"decision": "rejected", "reason": "Không có trong sổ gốc"})
    client.post(f"/verification/documents/{document.id}/confirm")
    assert not dossier.application.cancelled  # the same verifier cannot confirm
    login(second)
    through_confirmation(client, f"/verification/documents/{document.id}/confirm")
    assert dossier.application.cancelled and "Không có trong sổ gốc" in dossier.application.cancel_reason
    latest = results.latest(demo)
    assert latest.number == 2
    statuses = {r["application_id"]: r["status"] for r in results.rows_of(latest)}
    assert statuses[dossier.application_id] == "cancelled"
    assert sum(1 for r in results.rows_of(latest) if r["status"] == "selected") == \
        sum(1 for r in results.rows_of(results.versions(demo)[0]) if r["status"] == "selected")  # someone promoted (F4)


def test_a_verifier_reason_over_the_limit_is_refused(demo, client, make_user, login):
    """A verifier's reason had no limit, and a rejection's reason becomes the cancellation's, printed in
    the results list: over the reasons' limit the decision is refused, saying how long a reason may be."""
    document = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[2].documents[0]
    login(make_user("v1", "verifier"))
    answered = client.post(f"/verification/documents/{document.id}/decide",
                           data={"decision": "rejected", "reason": "Không có trong sổ gốc. " * 50}, follow_redirects=True)
    assert "1000" in answered.get_data(as_text=True)
    db.session.refresh(document)
    assert (document.decision, document.decision_reason) == ("pending", None)
def test_the_deadline_cancels_an_incomplete_dossier(demo):
    dossier = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[0]
    db.session.delete(dossier.documents[0])
    db.session.commit()
    cancelled = dossiers.enforce_deadlines(dossier.deadline + timedelta(days=1), dossier.application.round)
    db.session.commit()
    assert cancelled == [dossier.application_id] and dossier.status == "cancelled"
    assert "no diploma" in dossier.application.cancel_reason or "bằng" in dossier.application.cancel_reason



def test_opening_one_rounds_dossiers_cancels_nothing_in_another_round(demo, client, make_user, login):
    """F3: the dossiers page's button is the round's (its URL names it), yet the deadline it applied was
    every round's: HR opening the dossiers of one round cancelled, unasked, the overdue selections of
    another. It applies the deadline of its own round only."""
    dossier = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[0]
    db.session.delete(dossier.documents[0])
    dossier.deadline = date.today() - timedelta(days=1)
    db.session.commit()
    other = db.session.scalar(db.select(Round).where(Round.id != dossier.application.round_id))
    login(make_user("hr_dl", "hr"))
    client.post(f"/verification/rounds/{other.id}/dossiers")
    db.session.refresh(dossier)
    assert dossier.status == "open" and not dossier.application.cancelled
    through_confirmation(client, f"/verification/rounds/{dossier.application.round_id}/dossiers")
    db.session.refresh(dossier)
    assert dossier.status == "cancelled" and dossier.application.cancelled

def test_a_candidate_sees_only_their_own_dossier(demo, app, client):
    from recruitment import codes
    first, second = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[:2]
    first.access_hash = codes.keyed_hash("ABCD2345")
    db.session.commit()
    a = first.application
    client.post("/verification/candidate/login", data={"round_id": demo.id, "candidate_number": a.candidate_number,
                                                       "date_of_birth": a.date_of_birth.strftime("%d/%m/%Y"),
                                                       "code": "abcd2345"})
    assert client.get("/verification/candidate/").status_code == 200
    own = first.documents[0]
    assert client.get(f"/verification/candidate/scan/{own.id}").status_code == 200
    assert client.get(f"/verification/candidate/scan/{second.documents[0].id}").status_code == 403
    assert client.get(f"/verification/documents/{second.documents[0].id}/scan").status_code == 403


def test_hr_uploads_on_behalf_and_a_bad_file_is_refused(demo, client, make_user, login):
    dossier = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[0]
    login(make_user("hr2", "hr"))
    before = len(dossier.documents)
    client.post(f"/verification/dossiers/{dossier.id}/documents", content_type="multipart/form-data", data={
        "kind": "certificate", "number": "CC-1", "holder_name": "X", "level": "", "scan": (io.BytesIO(b"MZ" + b"\x00" * 100), "cc.pdf")})
    assert db.session.scalar(db.select(db.func.count()).select_from(Document).filter_by(dossier_id=dossier.id)) == before
    client.post(f"/verification/dossiers/{dossier.id}/documents", content_type="multipart/form-data", data={
        "kind": "certificate", "number": "CC-1", "holder_name": "X", "level": "", "scan": (io.BytesIO(_png()), "cc.png")})
    assert db.session.scalar(db.select(db.func.count()).select_from(Document).filter_by(dossier_id=dossier.id)) == before + 1


def test_a_confirmed_rejection_is_audited_with_what_it_changed(demo, make_user):
    """F3: the second verifier's confirmation was audited with an after only: the document unconfirmed
    and the dossier's status before it are its before."""
    import json

    from recruitment.audit import AuditEntry

    dossier = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[2]
    document = dossier.documents[0]
    status = dossier.status
    dossiers.decide(document, "rejected", "Không có trong sổ gốc", make_user("v1", "verifier"))
    dossiers.confirm_rejection(document, make_user("v2", "verifier"))
    db.session.commit()
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="rejection_confirmed"))
    assert json.loads(entry.before) == {"by": None, "status": status}
    assert json.loads(entry.after) == {"by": "v2", "status": "cancelled"}


@pytest.mark.parametrize("applied_by", ["page", "cli"])
def test_the_dossier_deadline_is_counted_in_vietnam_time(demo, app, client, make_user, login, monkeypatch, applied_by):
    """F1, F3: the deadline falls on a day in Vietnam. The page and the CLI asked the server's clock for
    today (date.today(), UTC on the servers): from 00:00 to 07:00 in Vietnam a dossier whose last day was
    yesterday was not yet overdue. At 03:00 on the day after the deadline (20:00 UTC the day before), it is."""
    from datetime import UTC, datetime, time

    utc_day = datetime.now(UTC).date()
    dossier = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[0]
    db.session.delete(dossier.documents[0])
    dossier.deadline = utc_day  # its last day; in Vietnam it is already the next
    db.session.commit()
    monkeypatch.setattr("recruitment.i18n.utcnow", lambda: datetime.combine(utc_day, time(20)), raising=False)
    if applied_by == "page":
        login(make_user("hr_vn", "hr"))
        through_confirmation(client, f"/verification/rounds/{demo.id}/dossiers")
    else:
        app.test_cli_runner().invoke(args=["verification", "deadlines"])
    db.session.refresh(dossier)
    assert dossier.status == "cancelled" and dossier.application.cancelled


def test_the_deadline_names_the_selections_it_cancels_before_it_does(demo, client, make_user, login):
    """F3: a cancellation is final, and the dossiers page's button applied the deadline in the one post
    that opened the new dossiers, with no word of whom it cancelled. It now names them first; only the
    second post, naming the same selections as the list as it stands, cancels them."""
    from recruitment.audit import AuditEntry
    from recruitment.i18n import local_today

    dossier = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[0]
    db.session.delete(dossier.documents[0])
    dossier.deadline = local_today() - timedelta(days=1)
    db.session.commit()
    cancellations = db.select(db.func.count()).select_from(AuditEntry).filter_by(action="selection_cancelled")
    audited = db.session.scalar(cancellations)
    login(make_user("hr_ask", "hr", locale="en"))
    url = f"/verification/rounds/{demo.id}/dossiers"
    for data in ({}, {"confirmed": "1"}, {"confirmed": "1", "cancelling": "1,2,3"}):  # asked, or not these
        page = client.post(url, data=data).get_data(as_text=True)
        assert 'id="confirmation"' in page and dossier.application.full_name in page
        assert "cancels the selection of 1 candidate(s)" in page and "final" in page
        db.session.refresh(dossier)
        assert dossier.status == "open" and not dossier.application.cancelled
    assert db.session.scalar(cancellations) == audited
    through_confirmation(client, url)
    db.session.refresh(dossier)
    assert dossier.status == "cancelled" and dossier.application.cancelled


def _rejected_by_a_first_verifier(make_user):
    """A demo document rejected by a first verifier: its dossier, the document, both verifiers, and the
    address of the second's confirmation (F3)."""
    dossier = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[2]
    document = dossier.documents[0]
    first, second = make_user("v1c", "verifier", locale="en"), make_user("v2c", "verifier", locale="en")
    dossiers.decide(document, "rejected", "Không có trong sổ gốc", first)
    db.session.commit()
    return dossier, document, first, second, f"/verification/documents/{document.id}/confirm"


def test_the_second_verifier_is_told_the_consequence_before_confirming(demo, client, make_user, login):
    """F3: the second verifier's confirmation cancels the selection for good, and it was one click. A
    first post names the document, the candidate and the reason, and that it is final; the second does it.
    Whoever may not confirm is told so at once, with no confirmation page first."""
    dossier, document, first, second, url = _rejected_by_a_first_verifier(make_user)
    login(first)
    refused = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert 'id="confirmation"' not in refused and "second verifier" in refused
    login(second)
    page = client.post(url).get_data(as_text=True)
    assert 'id="confirmation"' in page
    for named in (document.number, dossier.application.full_name, "Không có trong sổ gốc", "final"):
        assert named in page
    db.session.refresh(document)
    assert document.confirmed_by_id is None and not dossier.application.cancelled
    through_confirmation(client, url)
    db.session.refresh(document)
    assert document.confirmed_by_id == second.id and dossier.application.cancelled


def test_the_second_verifier_confirms_the_rejection_they_were_shown(demo, client, make_user, login):
    """The confirmation bound nothing: had the first verifier changed the rejection's reason between
    the page and its button, the second verifier confirmed a reason they were never shown (F3). The
    button carries what the page showed; a rejection changed since is shown again, not confirmed."""
    dossier, document, first, second, url = _rejected_by_a_first_verifier(make_user)
    login(second)
    shown = confirmation_fields(client.post(url).get_data(as_text=True))
    dossiers.decide(document, "rejected", "Số hiệu văn bằng bị tẩy xóa", first)  # changed meanwhile
    db.session.commit()
    again = client.post(url, data=shown).get_data(as_text=True)
    assert 'id="confirmation"' in again and "Số hiệu văn bằng bị tẩy xóa" in again
    db.session.refresh(document)
    assert document.confirmed_by_id is None and not dossier.application.cancelled


def test_verified_needs_the_record_or_a_reason_and_never_passes_the_requirements(demo, client, make_user, login):
    """F2: a diploma is checked against the issuing record and the position's requirements. One
    verifier marked "verified", with no reason, a diploma no record matched and below the position's
    level, and the dossier turned verified. A diploma that fails the requirements is rejected, never
    verified; one no record matches exactly is verified only with the reason saying how it was checked."""
    dossier = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[2]  # the diploma with no record
    document = dossier.documents[0]
    assert dossiers.check(document)[0].kind == "none" and not dossiers.check(document)[1]
    login(make_user("v1", "verifier"))
    url = f"/verification/documents/{document.id}/decide"
    page = client.post(url, data={"decision": "verified", "reason": ""}, follow_redirects=True).get_data(as_text=True)
    db.session.refresh(document)
    assert document.decision == "pending" and "F2" in page
    client.post(url, data={"decision": "verified", "reason": "Công văn xác nhận số 12/ĐHHH của nhà trường"})
    db.session.refresh(document)
    assert document.decision == "verified" and document.decision_reason.startswith("Công văn")
    document.decision, document.level = "pending", "trung_cap"  # below the position's required level
    dossier.status = "open"
    db.session.commit()
    assert dossiers.check(document)[1] == ["level"]
    with pytest.raises(dossiers.Refused, match="F2"):
        dossiers.decide(document, "verified", "Công văn xác nhận số 12/ĐHHH", make_user("v2", "verifier"))
    db.session.rollback()
    db.session.refresh(document)
    assert document.decision == "pending" and dossier.status != "verified"


def test_priority_evidence_awaiting_information_never_cancels_a_selection(demo, make_user):
    """D5: a priority claim whose evidence is rejected gives 0 points; it does not void the selection.
    A verifier's "needs more information" on the evidence made the dossier incomplete, and the deadline
    cancelled the selection for it. The diplomas alone make a dossier complete or not (F1, F3)."""
    from verification import documents
    dossier = next(d for d in db.session.scalars(db.select(Dossier).order_by(Dossier.id))
                   if d.status == "open" and dossiers.incomplete(d) is None)
    dossier.application.priority_codes = "military_service"
    evidence = documents.add(dossier, {"kind": "priority", "claim": "military_service", "number": "QĐ-12",
                                       "holder_name": dossier.application.full_name,
                                       "date_of_birth": None, "institution": "", "level": "", "major": "",
                                       "issued_on": None}, "", b"", make_user("hr1", "hr"))
    dossiers.decide(evidence, "more_info", "thiếu bản sao quyết định", make_user("v1", "verifier"))
    db.session.commit()
    assert dossiers.incomplete(dossier) is None
    assert dossiers.enforce_deadlines(dossier.deadline + timedelta(days=1), dossier.application.round) == []
    db.session.commit()
    assert dossier.status == "open" and not dossier.application.cancelled
