"""Two members of the board edit the same question: the second one's save, from a page opened
before the first one saved, overwrote the first one's change in place without a word (a corrected
key silently put back). The edit page carries a token of what it showed; a save of a page that
is no longer the question is refused, naming why, and nothing is written."""
from __future__ import annotations

from questionbank import bank
from recruitment.extensions import db
from tests.support.factories import question_record

FORM = {"section": "general", "topic": "Hiến pháp", "difficulty": "2", "type": "single", "a": "Quốc hội",
        "b": "Chính phủ", "c": "Tòa án", "d": "Viện kiểm sát", "points": "1"}


def _token(page: str) -> str:
    import re
    found = re.search(r'name="seen" type="hidden" value="([^"]*)"|name="seen" value="([^"]*)"', page)
    return next(g for g in found.groups() if g is not None) if found else ""


def test_a_save_from_a_page_opened_before_another_member_s_save_is_refused(app, client, make_user, login):
    first, second = make_user("qs1", "question_setter"), make_user("qs2", "question_setter")
    question = bank.create(question_record(answer=[0]), first)
    db.session.commit()
    login(second)
    seen = _token(client.get(f"/questions/{question.id}/edit").get_data(as_text=True))
    record = bank.record_of(question)
    record.answer = [1]  # the first member corrects the key meanwhile
    bank.edit(question, record, first, "sửa đáp án")
    db.session.commit()
    client.post(f"/questions/{question.id}/edit", data={**FORM, "stem": "Câu hỏi sửa lời?", "answer": "A",
                                                        "seen": seen})
    db.session.refresh(question)
    assert (question.current.answer, question.current.stem_html) == ([1], question_record().stem)
    seen = _token(client.get(f"/questions/{question.id}/edit").get_data(as_text=True))
    client.post(f"/questions/{question.id}/edit", data={**FORM, "stem": "Câu hỏi sửa lời?", "answer": "B", "seen": seen})
    db.session.refresh(question)
    assert (question.current.answer, question.current.stem_html) == ([1], "Câu hỏi sửa lời?")
