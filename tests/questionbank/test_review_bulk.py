"""Item 10: the review queue approves several questions at once after a confirmation naming how
many (G2 per question: the approver's own are refused with the reason, the rest approved), and an
imported question's history says who imported it, from which file, and when."""
from __future__ import annotations

from questionbank import bank
from questionbank.models import Question, ReviewEvent
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import question_record


def _in_review(author, n: int, start: int = 0) -> list[Question]:
    bank.import_records([question_record(stem=f"Câu hỏi chờ duyệt số {start + i}?", ref=i + 1) for i in range(n)], author,
                        filename="de-thi.xlsx")
    db.session.commit()
    return list(db.session.scalars(db.select(Question).filter_by(author_id=author.id).order_by(Question.code)))


def test_bulk_approval_confirms_the_count_then_approves_all_but_the_approvers_own(app, client, make_user, login):
    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    theirs = _in_review(author, 3)
    own = _in_review(reviewer, 1, start=10)
    login(reviewer)
    queue = client.get("/questions/review").get_data(as_text=True)
    assert 'id="approve-selected"' in queue and f'value="{own[0].id}" aria-label="{own[0].code}" disabled' in queue
    chosen = [q.id for q in theirs + own]
    page = client.post("/questions/review/approve", data={"question": chosen}).get_data(as_text=True)
    assert 'id="confirm-approve"' in page and "4" in page.split('id="confirm-approve"')[1].split("</button>")[0]
    assert db.session.scalar(db.select(db.func.count()).select_from(Question).filter_by(status="approved")) == 0
    response = client.post("/questions/review/approve", data={"question": chosen, "confirmed": "1"}, follow_redirects=True)
    shown = response.get_data(as_text=True)
    db.session.expire_all()
    assert [q.status for q in theirs] == ["approved"] * 3 and own[0].status == "in_review"
    assert own[0].code in shown and "G2" in shown
    for question in theirs:  # the same history and audit as a single approval
        events = db.session.scalars(db.select(ReviewEvent).filter_by(question_id=question.id, action="approve")).all()
        assert [(e.user_id, e.action) for e in events] == [(reviewer.id, "approve")] and question.reviewer_id == reviewer.id
        entry = db.session.scalar(db.select(AuditEntry).filter_by(action="question_approve", object_id=str(question.id)))
        assert entry is not None and entry.actor == "duyet" and '"approved"' in entry.after


def test_a_refused_question_does_not_stop_the_others(app, make_user):
    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    theirs = _in_review(author, 2)
    own = _in_review(reviewer, 1, start=5)
    approved, refused = bank.approve_many([own[0], *theirs], reviewer)
    assert approved == theirs and [(q, "G2" in reason) for q, reason in refused] == [(own[0], True)]


def test_an_imported_questions_history_names_who_which_file_and_when(app, client, make_user, login):
    author = make_user("soan", "question_setter")
    question = _in_review(author, 1)[0]
    events = db.session.scalars(db.select(ReviewEvent).filter_by(question_id=question.id)).all()
    assert [(e.action, e.user_id, e.comment) for e in events] == [("imported", author.id, "de-thi.xlsx")]
    assert events[0].at is not None and events[0].version_id == question.current_version_id
    created = db.session.scalar(db.select(AuditEntry).filter_by(action="question_created", object_id=str(question.id)))
    assert created is not None and "de-thi.xlsx" in created.after
    login(make_user("duyet", "question_setter"))  # the board reads the bank (G2; the chair does not)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "de-thi.xlsx" in page and "Soan" in page
