"""The issuing records a diploma is checked against (F2): where each came from, and the check reading
only the records of the document's number. A verifier could import the very record that a forged
diploma then matched exactly, and nothing said who had put it there; every document's check read the
whole register (a university's every diploma) into memory."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import event

from recruitment import tabular
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Round
from tests.support.demo_cache import demo_loaded
from verification import dossiers, records
from verification.models import Dossier, IssuingRecord

HEADERS = [c.vi for c in records.COLUMNS]


@pytest.fixture
def unmatched(app):
    """The demo's diploma that no issuing record matches."""
    demo_loaded(app)
    assert db.session.scalar(db.select(Round).filter_by(code="HP2026")) is not None
    document = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[2].documents[0]
    assert dossiers.check(document)[0].kind == "none"
    return document


def _register_of(document, others: int = 0, number: str | None = None) -> bytes:
    """The register an institution sends, with the document's own record as it is written on the diploma."""
    rows = [[document.institution, f"XX-2001-{i:06d}", "Trần Văn Khác", "01/01/1990", "dai_hoc", "Luật", ""]
            for i in range(others)]
    rows.append([document.institution, number or document.number, document.holder_name, f"{document.date_of_birth:%d/%m/%Y}",
                 document.level, document.major, "20/06/2019"])
    return tabular.xlsx_bytes([("so", HEADERS, rows)])


def _import(client, data: bytes, name: str = "so-goc-dhhh.xlsx"):
    return client.post("/verification/records", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name)})


def test_an_import_keeps_who_added_each_record_and_names_them(unmatched, client, make_user, login):
    importer = make_user("v-import", "verifier", full_name="Phạm Thị Nhập")
    login(importer)
    assert _import(client, _register_of(unmatched, others=2)).status_code == 302
    added = db.session.scalars(db.select(IssuingRecord).where(IssuingRecord.source_file == "so-goc-dhhh.xlsx")
                               .order_by(IssuingRecord.id)).all()
    assert len(added) == 3
    assert {r.imported_by_id for r in added} == {importer.id} and all(r.imported_at is not None for r in added)
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="issuing_records_imported")
                               .order_by(AuditEntry.id.desc())).first()
    after = json.loads(entry.after)
    assert after["rows"] == 3 and after["first_id"] == added[0].id and after["last_id"] == added[-1].id
    page = client.get(f"/verification/dossiers/{unmatched.dossier_id}").get_data(as_text=True)
    assert "Phạm Thị Nhập" in page and "so-goc-dhhh.xlsx" in page


def test_a_record_the_verifier_imported_is_not_their_own_proof(unmatched, client, make_user, login):
    importer, other = make_user("v-import", "verifier"), make_user("v-other", "verifier")
    login(importer)
    assert _import(client, _register_of(unmatched)).status_code == 302
    found = dossiers.check(unmatched)[0]
    assert found.kind == "exact"
    with pytest.raises(dossiers.Refused, match="chính bạn nhập|imported yourself"):
        dossiers.decide(unmatched, "verified", "", importer)
    db.session.rollback()
    db.session.refresh(unmatched)
    assert unmatched.decision == "pending"
    dossiers.decide(unmatched, "verified", "Đối chiếu sổ gốc của trường, bản giấy số 45/ĐHHH", importer)  # said how
    db.session.rollback()
    dossiers.decide(unmatched, "verified", "", other)  # a record someone else imported is a check
    assert unmatched.decision == "verified"


def test_a_check_reads_only_the_records_of_the_documents_number(unmatched, client, make_user, login):
    login(make_user("v-import", "verifier"))
    spaced = unmatched.number.lower().replace("-", " - ")  # the register writes it its own way: a near match
    assert _import(client, _register_of(unmatched, others=300, number=spaced)).status_code == 302
    loaded = []

    def count(target, _context):
        loaded.append(target.id)

    event.listen(IssuingRecord, "load", count)
    try:
        found = dossiers.check(unmatched)[0]
    finally:
        event.remove(IssuingRecord, "load", count)
    assert found.kind == "near" and found.record.number == spaced
    assert len(loaded) == 1, f"{len(loaded)} issuing records read for one document"
