"""G2: every question is reviewed by someone other than its author before approval.
- The approval named no content: the author could edit an unused question in place (swap its key)
  while the reviewer read it, and the reviewer's click approved the new key, read by nobody. The page
  and the bulk confirmation now carry a token of what they showed; an approval of anything else is
  refused, and the reviewer reads it again.
- An approved question not yet used by an exam was edited in place: the text the reviewer approved
  was overwritten, and the history showed an approval of a text that no longer exists. An approved
  (or retired) question's edit now makes a new version and keeps the approved one."""
from __future__ import annotations

import re

from questionbank import bank
from questionbank.models import QuestionVersion
from recruitment.extensions import db
from tests.support.factories import approved_question, question_record

STEM = "Theo Hiến pháp năm 2013, cơ quan hành chính nhà nước cao nhất là?"


def _token(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    return found.group(1) if found else ""


def _in_review(author):
    question = bank.create(question_record(stem=STEM), author)
    bank.transition(question, "submit", author)
    db.session.commit()
    return question


def _swap_key(question, author, key: int) -> None:
    record = bank.record_of(question)
    record.answer = [key]
    bank.edit(question, record, author)
    db.session.commit()


def test_an_approval_of_the_page_read_before_the_key_changed_is_refused(app, client, make_user, login):
    author, reviewer = make_user("qs1", "question_setter"), make_user("qs2", "question_setter")
    question = _in_review(author)
    login(reviewer)
    seen = _token(client.get(f"/questions/{question.id}").get_data(as_text=True), "seen")
    _swap_key(question, author, 0)
    client.post(f"/questions/{question.id}/approve", data={"seen": seen})
    db.session.refresh(question)
    assert question.status == "in_review"
    seen = _token(client.get(f"/questions/{question.id}").get_data(as_text=True), "seen")
    client.post(f"/questions/{question.id}/approve", data={"seen": seen})
    db.session.refresh(question)
    assert (question.status, question.reviewer_id) == ("approved", reviewer.id)


def test_a_bulk_approval_refuses_a_question_changed_after_its_confirmation(app, client, make_user, login):
    author, reviewer = make_user("qs1", "question_setter"), make_user("qs2", "question_setter")
    changed, kept = _in_review(author), _in_review(author)
    login(reviewer)
    ids = [str(changed.id), str(kept.id)]
    page = client.post("/questions/review/approve", data={"question": ids}).get_data(as_text=True)
    tokens = {f"seen-{q.id}": _token(page, f"seen-{q.id}") for q in (changed, kept)}
    _swap_key(changed, author, 3)
    client.post("/questions/review/approve", data={"question": ids, "confirmed": "1", **tokens})
    db.session.refresh(changed)
    db.session.refresh(kept)
    assert (changed.status, kept.status) == ("in_review", "approved")


def test_an_approved_question_edited_keeps_the_version_that_was_approved(app, make_user):
    author, reviewer = make_user("qs1", "question_setter"), make_user("qs2", "question_setter")
    question = approved_question(author, reviewer, stem=STEM)
    bank.edit(question, question_record(stem="Câu hỏi viết lại?", answer=[0]), author, "viết lại")
    db.session.commit()
    versions = db.session.scalars(db.select(QuestionVersion).order_by(QuestionVersion.number)).all()
    assert [(v.number, v.stem_html, v.answer) for v in versions] == [(1, STEM, [1]), (2, "Câu hỏi viết lại?", [0])]
    assert (question.status, question.current.number) == ("in_review", 2)
