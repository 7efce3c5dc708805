"""F2: a diploma is checked against the issuing record (number, holder name, date of birth, ...).
The document's holder is compared with the candidate whose dossier it is as well: a genuine diploma of
another person (a sibling's, same institution) matches its record exactly, and without a word on why it
is the candidate's it is not verified."""
from __future__ import annotations

from datetime import date

import pytest

from recruitment.extensions import db
from recruitment.models import Round
from tests.support.demo_cache import demo_loaded
from verification import dossiers
from verification.models import Document, Dossier, IssuingRecord


def test_a_diploma_of_someone_else_is_not_verified_without_a_word(app, make_user, login, client):
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))
    dossier = next(d for d in db.session.scalars(db.select(Dossier).order_by(Dossier.id))
                   if d.status == "open" and d.application.round_id == round_.id)
    position = dossier.application.position
    major = position.major_list[0] if position.major_list else "Kinh tế"
    other, other_birth = "Trần Văn Khác", date(1990, 1, 2)
    assert other != dossier.application.full_name and other_birth != dossier.application.date_of_birth
    db.session.add(IssuingRecord(institution="Trường Đại học Hải Phòng", number="HP-XYZ-777", holder=other,
                                 date_of_birth=other_birth, level="thac_si", major=major))
    document = Document(dossier_id=dossier.id, kind="diploma", number="HP-XYZ-777", holder_name=other,
                        date_of_birth=other_birth, institution="Trường Đại học Hải Phòng", level="thac_si", major=major)
    db.session.add(document)
    db.session.commit()
    assert dossiers.check(document)[0].kind == "exact"
    verifier = make_user("v9", "verifier")
    login(verifier)  # the page says so beside the document, before any decision
    page = client.get(f"/verification/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'class="error someone-else"' in page and other in page
    with pytest.raises(dossiers.Refused) as refused:
        dossiers.decide(document, "verified", "", verifier)
    assert other in str(refused.value) and dossier.application.full_name in str(refused.value)
    db.session.rollback()
    # A reason (the name changed, and the document that says so) lets the verifier take it.
    dossiers.decide(document, "verified", "Đổi tên theo quyết định số 12/QĐ, đã xem bản gốc", verifier)
    assert document.decision == "verified"
