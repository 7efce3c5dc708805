"""Attacks on the dossiers a reviewer confirmed: locking a selected candidate out of their dossier
with wrong codes (F1), dossier codes thrown away when dossiers open on a GET (F1, F4), and decisions
on a cancelled dossier or a confirmed document (F3)."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from recruitment import codes
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Application, Round
from tests.support.at_once import held_at_a_barrier, sent_at_once
from tests.support.client import through_confirmation
from tests.support.demo_cache import demo_loaded
from verification.models import Dossier

RIGHT = "ABCD2345"


@pytest.fixture
def demo(app):
    demo_loaded(app)
    return db.session.scalar(db.select(Round).filter_by(code="HP2026"))


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _log_in(client, round_: Round, application: Application, code: str):
    return client.post("/verification/candidate/login", data={
        "round_id": round_.id, "candidate_number": application.candidate_number,
        "date_of_birth": application.date_of_birth.strftime("%d/%m/%Y"), "code": code})


def _dossiers() -> list[Dossier]:
    return db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()


def _with_known_code(dossier: Dossier) -> Application:
    dossier.access_hash = codes.keyed_hash(RIGHT)
    db.session.commit()
    return dossier.application


# --- 1. wrong codes from one address lock no one out elsewhere (F1) --------------------------

def test_wrong_dossier_codes_from_one_address_do_not_lock_the_candidate_out(demo, app):
    application = _with_known_code(_dossiers()[0])
    attacker = _from(app, "203.0.113.66")
    for i in range(10):
        _log_in(attacker, demo, application, f"WRONG{i:03d}")
    assert "/verification/candidate/" not in (_log_in(attacker, demo, application, RIGHT).location or "")
    reply = _log_in(_from(app, "198.51.100.7"), demo, application, RIGHT)
    assert reply.status_code == 302 and reply.location.endswith("/verification/candidate/")
    locks = db.session.scalars(db.select(AuditEntry).filter_by(action="login_locked")).all()
    assert locks and all("203.0.113.66" in (e.after or "") for e in locks)


def test_one_address_trying_many_candidates_is_slowed_on_its_own(demo, app):
    app.config["DOSSIER_LOGIN_ADDRESS_MAX_FAILURES"] = 6
    first, second = _dossiers()[:2]
    target = _with_known_code(first)
    attacker = _from(app, "203.0.113.67")
    for i in range(3):
        _log_in(attacker, demo, second.application, f"WRONG{i:03d}")
        _log_in(attacker, demo, target, f"WRONG{i:03d}")
    assert "/verification/candidate/" not in (_log_in(attacker, demo, target, RIGHT).location or "")
    assert _log_in(_from(app, "198.51.100.8"), demo, target, RIGHT).location.endswith("/verification/candidate/")


# --- 2. dossier codes are handed out, never thrown away (F1, F4) --------------------------

def _newly_selected(demo) -> Application:
    """A selected candidate with no dossier yet (as a candidate promoted by F4 is)."""
    dossier = _dossiers()[-1]
    application = dossier.application
    for document in dossier.documents:
        db.session.delete(document)
    db.session.delete(dossier)
    db.session.commit()
    return application


def _text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _code_in(pdf: bytes, application: Application) -> str:
    after = _text_of(pdf).split(application.number_label, 1)[1]
    return re.search(r"(?:Mã hồ sơ|Dossier code)\s*([A-Z2-9]{8})", after).group(1)


def test_looking_at_the_dossier_list_opens_nothing(demo, client, make_user, login):
    _newly_selected(demo)
    before = len(_dossiers())
    opened = db.select(db.func.count()).select_from(AuditEntry).filter_by(action="dossier_opened")
    audited = db.session.scalar(opened)
    for who in (make_user("v_get", "verifier"), make_user("sup_get", "supervisor")):
        login(who)
        assert client.get("/verification/").status_code == 200
        assert len(_dossiers()) == before  # a GET changes nothing
    assert db.session.scalar(opened) == audited


def test_opening_dossiers_hands_out_each_code_in_a_selection_letter(demo, app, client, make_user, login):
    application = _newly_selected(demo)
    application.full_name = "Lê <b>Văn</b> <img src='/etc/passwd'/> Ân"  # a name is plain text in the PDF
    db.session.commit()
    login(make_user("hr_open", "hr"))
    page = client.get("/verification/").get_data(as_text=True)
    assert f"/verification/rounds/{demo.id}/dossiers" in page  # the action is offered with the count waiting
    reply = client.post(f"/verification/rounds/{demo.id}/dossiers")
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    assert "<b>Văn</b>" in _text_of(reply.data)
    code = _code_in(reply.data, application)
    assert _log_in(_from(app, "198.51.100.9"), demo, application, code).location.endswith("/verification/candidate/")
    again = client.post(f"/verification/rounds/{demo.id}/dossiers")  # nothing new: no PDF, a message
    assert again.status_code == 302


def test_the_cli_prints_the_codes_of_the_dossiers_it_opens(demo, app):
    application = _newly_selected(demo)
    out = app.test_cli_runner().invoke(args=["verification", "deadlines"]).output
    line = next(line for line in out.splitlines() if application.number_label in line)
    code = re.search(r"\b[A-Z2-9]{8}\b", line).group(0)
    assert _log_in(_from(app, "198.51.100.10"), demo, application, code).location.endswith("/verification/candidate/")


def test_hr_issues_a_new_code_after_a_confirmation_and_the_old_one_stops(demo, app, client, make_user, login):
    dossier = _dossiers()[0]
    application = _with_known_code(dossier)
    login(make_user("hr_code", "hr"))
    url = f"/verification/dossiers/{dossier.id}/code.pdf"
    first = client.post(url)
    assert first.status_code == 200 and "text/html" in first.content_type  # step one names the consequence
    assert codes.matches(db.session.get(Dossier, dossier.id).access_hash, RIGHT)  # nothing changed yet
    assert "no longer" in first.get_data(as_text=True) or "không còn" in first.get_data(as_text=True)
    reply = client.post(url, data={"confirmed": "1"})
    assert reply.mimetype == "application/pdf"
    code = _code_in(reply.data, application)
    assert "/verification/candidate/" not in (_log_in(_from(app, "198.51.100.11"), demo, application, RIGHT).location or "")
    assert _log_in(_from(app, "198.51.100.12"), demo, application, code).location.endswith("/verification/candidate/")
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="dossier_code_issued"))
    assert entry is not None and code not in (entry.after or "")
    login(make_user("v_code", "verifier"))
    assert client.post(url, data={"confirmed": "1"}).status_code == 403  # HR's act


# --- 3. no decision on a cancelled dossier, no second confirmation (F3) ----------------------

def test_a_cancelled_dossier_takes_no_more_decisions_and_is_confirmed_once(demo, client, make_user, login):
    dossier = _dossiers()[2]
    document = dossier.documents[0]
    first, second = make_user("v1a", "verifier"), make_user("v2a", "verifier")
    login(first)
    client.post(f"/verification/documents/{document.id}/decide", data={"decision": "rejected", "reason": "Không có"})
    login(second)
    through_confirmation(client, f"/verification/documents/{document.id}/confirm")
    assert dossier.status == "cancelled" and dossier.application.cancelled
    audits = db.session.scalar(db.select(db.func.count()).select_from(AuditEntry))
    reply = client.post(f"/verification/documents/{document.id}/decide", data={"decision": "verified"},
                        follow_redirects=True)
    db.session.refresh(document)
    assert document.decision == "rejected" and document.confirmed_by_id == second.id
    assert "F3" in reply.get_data(as_text=True)
    login(first)
    reply = client.post(f"/verification/documents/{document.id}/confirm", follow_redirects=True)
    assert "F3" in reply.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == audits  # nothing re-audited
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .filter_by(action="selection_cancelled", object_id=str(dossier.application_id))) <= 1


def test_dossier_wrong_codes_from_one_ipv6_64_lock_that_64(demo, app):  # noqa: F811
    application = _with_known_code(_dossiers()[0])
    limit = app.config["DOSSIER_LOGIN_MAX_FAILURES"]
    for i in range(limit):
        _log_in(_from(app, f"2001:db8:1:2::{i + 1:x}"), demo, application, f"WRONG{i:03d}")
    # Another address of the same /64: as the exam log-in, the staff log-in and the look-up, locked.
    reply = _log_in(_from(app, "2001:db8:1:2::ffff"), demo, application, RIGHT)
    assert "/verification/candidate/" not in (reply.location or ""), "a fresh limit from each address of the /64"


def test_dossier_guesses_sent_at_once_are_counted_one_by_one(demo, app, monkeypatch):  # noqa: F811
    """The count was read, the code checked, the failure written: 30 wrong codes sent at once were
    all answered "do not match" (24 of them in a run) with a limit of 10. A barrier holds the
    checks until as many as the limit allows, plus one, are in."""
    application = _with_known_code(_dossiers()[0])
    limit = app.config["DOSSIER_LOGIN_MAX_FAILURES"]
    guesses = 3 * limit
    number, born, round_id = application.candidate_number, application.date_of_birth.strftime("%d/%m/%Y"), demo.id
    db.session.commit()
    db.session.remove()
    wrong = held_at_a_barrier(codes.matches, limit + 1, only=lambda stored, code: code.startswith("WRONG"))
    monkeypatch.setattr(codes, "matches", wrong)
    clients = [_from(app, "203.0.113.99") for _ in range(guesses)]
    pages = sent_at_once(app, guesses, lambda i: clients[i].post("/verification/candidate/login", data={
        "round_id": round_id, "candidate_number": number, "date_of_birth": born,
        "code": f"WRONG{i:03d}"}).get_data(as_text=True))
    answered = sum("do not match a dossier" in p or "không khớp" in p for p in pages)
    assert 0 < answered <= limit, f"{answered} wrong dossier codes answered from one address, limit {limit}"
