"""Issue 15 and G2: reading the secret bank is recorded by read_log's operations, which the pages call."""
from __future__ import annotations

import json

from questionbank import read_log
from questionbank.models import Question
from recruitment.audit import AuditEntry
from recruitment.extensions import db


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action).order_by(AuditEntry.seq)))


def test_lists_views_and_exports_are_recorded(app):
    read_log.listed({"q": "hiến pháp", "section": "", "status": "approved"})
    read_log.exported("xlsx", 12)
    read_log.exported("docx", 3, keys=True)
    db.session.commit()
    (listed,) = _entries("question_list_viewed")
    assert json.loads(listed.after) == {"q": "hiến pháp", "status": "approved"}  # only the filters given
    xlsx, docx = _entries("questions_exported")
    assert json.loads(xlsx.after) == {"format": "xlsx", "count": 12}
    assert json.loads(docx.after) == {"format": "docx", "keys": True, "count": 3}


def test_the_question_page_is_recorded(app, client, make_user, login):
    from questionbank import api as bank

    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    bank.create_approved_questions([{"topic": "Tin học", "difficulty": 1, "stem": "Câu hỏi?",
                                     "options": ["Một", "Hai"], "answer": [0]}], author.id, reviewer.id)
    db.session.commit()
    question = db.session.scalar(db.select(Question))
    login(author)
    assert client.get(f"/questions/{question.id}").status_code == 200
    (viewed,) = _entries("question_viewed")
    assert viewed.object_id == str(question.id) and viewed.actor == "soan"
