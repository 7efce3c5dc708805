"""All-or-nothing imports say why: a file carrying a picture under a name the bank already holds
with other bytes passed the preview (the dry run never compared them), then the confirmation failed
with "the file could not be imported any more: upload it again", whatever the setter did. The
preview now refuses the file, naming the question and the picture."""
from __future__ import annotations

import hashlib
import io

import pytest
from flask_babel import force_locale
from PIL import Image

from questionbank import bank
from questionbank.models import Question, QuestionImage
from recruitment.extensions import db
from recruitment.tabular import ImportRejected
from tests.support.factories import question_record


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(out, "PNG")
    return out.getvalue()


def test_a_picture_named_as_another_in_the_bank_is_refused_by_the_preview(app, make_user):
    stored = _png("red")
    db.session.add(QuestionImage(name="h.png", mime="image/png", data=stored, sha256=hashlib.sha256(stored).hexdigest()))
    db.session.commit()
    record = question_record(ref=3, stem='<p>Hình <img src="h.png"></p>?', images={"h.png": _png("blue")})
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        bank.import_records([record], make_user("qs", "question_setter"), filename="x.xml", dry_run=True)
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [
        (3, "image", "another image is already stored as h.png")]
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0


def test_the_same_picture_again_is_taken(app, make_user):
    stored = _png("red")
    db.session.add(QuestionImage(name="h.png", mime="image/png", data=stored, sha256=hashlib.sha256(stored).hexdigest()))
    db.session.commit()
    record = question_record(stem='<p>Hình <img src="h.png"></p>?', images={"h.png": stored})
    result = bank.import_records([record], make_user("qs", "question_setter"), filename="x.xml")
    assert len(result.created) == 1
