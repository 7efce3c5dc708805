"""G2: "unused questions and keys are secret: only the question-setting board sees them". Every
question's audit entry (created, imported, edited, each review step) held its stem and options, and
the audit log is read by the council chair and the administrator, whom the bank itself refuses. And
an edit of the key alone left the entry's before and after the same. The entry now holds a digest
of the content (stem, options, key, points, explanation): a change shows, the content does not."""
from __future__ import annotations

from questionbank import bank
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import approved_question, question_record

STEM = "Theo Hiến pháp năm 2013, cơ quan hành chính nhà nước cao nhất là?"


def _entries() -> str:
    return "".join((e.before or "") + (e.after or "") for e in db.session.scalars(db.select(AuditEntry)))


def test_an_edit_of_the_key_alone_shows_in_the_entry_without_the_content(app, make_user):
    author = make_user("qs1", "question_setter")
    question = bank.create(question_record(stem=STEM), author)
    record = bank.record_of(question)
    record.answer = [2]
    bank.edit(question, record, author, "đổi đáp án")
    db.session.commit()
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="question_edited"))
    assert entry.before != entry.after
    assert "Hiến pháp năm 2013" not in _entries() and "Chính phủ" not in _entries()


def test_an_import_s_entries_hold_no_stem(app, make_user):
    bank.import_records([question_record(stem=STEM)], make_user("qs1", "question_setter"), filename="x.xlsx")
    db.session.commit()
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="question_created")) is not None
    assert "Hiến pháp năm 2013" not in _entries() and "Chính phủ" not in _entries()


def test_the_chair_reading_the_audit_log_sees_no_stem(app, client, make_user, login):
    approved_question(make_user("qs1", "question_setter"), make_user("qs2", "question_setter"), stem=STEM)
    db.session.commit()
    login(make_user("chair", "council_chair"))
    page = client.get("/audit/")
    assert page.status_code == 200
    assert "Hiến pháp năm 2013" not in page.get_data(as_text=True) and "Chính phủ" not in page.get_data(as_text=True)
