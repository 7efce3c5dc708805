"""Races in the dossier check: another verifier commits between this request's load and its write."""
from __future__ import annotations

import pytest

from recruitment.extensions import db
from recruitment.models import User
from tests.support.workers import in_another_worker
from verification import dossiers
from verification.models import Document, Dossier


def _rejected_diploma(demo_round, make_user):
    v1, v2 = make_user("v1", "verifier").id, make_user("v2", "verifier").id
    document = db.session.scalars(db.select(Dossier).order_by(Dossier.id)).all()[2].documents[0]
    dossiers.decide(document, "rejected", "Không có trong sổ gốc", db.session.get(User, v1))
    db.session.commit()
    doc_id = document.id
    db.session.remove()
    return db.session.get(Document, doc_id), v1, v2  # as the second verifier's request loads it


def test_a_rejection_withdrawn_meanwhile_is_not_confirmed(app, demo_round, make_user):
    document, v1, v2 = _rejected_diploma(demo_round, make_user)
    doc_id = document.id
    in_another_worker(app, lambda: dossiers.decide(db.session.get(Document, doc_id), "verified",
                                                   "Công văn xác nhận của nhà trường", db.session.get(User, v1)))
    with pytest.raises(dossiers.Refused):  # nothing left to confirm: the diploma is verified
        dossiers.confirm_rejection(document, db.session.get(User, v2))
    db.session.rollback()
