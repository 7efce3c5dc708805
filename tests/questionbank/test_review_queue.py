"""The review queue at a realistic size, and G2 on the bulk approval's confirmation. An import puts
every question in review, and the queue read them all on one page with two more queries per row
(2,000 questions: 4,009 statements, half a megabyte). The confirmation showed the text of whatever
questions were posted, approved ones of the draw pool too, and logged no view (G2)."""
from __future__ import annotations

from sqlalchemy import func, select

from questionbank import bank
from questionbank.models import Question
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import approved_question, question_record
from tests.support.statements import statements_sent


def test_the_queue_is_paged_and_reads_a_page_in_a_few_statements(app, make_user, login):
    author, reviewer = make_user("au", "question_setter"), make_user("rv", "question_setter")
    bank.import_records([question_record(stem=f"Câu hỏi số {i} về Hiến pháp?", ref=i + 1) for i in range(120)],
                        author, filename="x.xlsx")
    db.session.commit()
    client = login(reviewer)
    db.session.expunge_all()
    with statements_sent() as sent:
        page = client.get("/questions/review").get_data(as_text=True)
    assert page.count('name="question"') == app.config["PAGE_SIZE"] < 120
    assert len(sent) <= 15, f"{len(sent)} statements for one page of the queue"
    last = client.get("/questions/review?page=5").get_data(as_text=True)
    assert last.count('name="question"') == 120 - 4 * app.config["PAGE_SIZE"]
    db.session.expunge_all()
    with statements_sent() as sent:  # the bank's own list, logged as well (G2)
        client.get("/questions/")
    assert len(sent) <= 15, f"{len(sent)} statements for one page of the bank"


def test_the_confirmation_shows_only_questions_in_review_and_logs_their_view(app, make_user, login):
    author, reviewer, reader = (make_user(n, "question_setter") for n in ("au", "rv", "rd"))
    secret = approved_question(author, reviewer, stem="Câu bí mật: cơ quan nào cao nhất?")  # in the draw pool
    bank.import_records([question_record(stem="Câu chờ duyệt về Luật Cán bộ?", ref=1)], author, filename="x.xlsx")
    waiting = db.session.scalar(select(Question).where(Question.status == "in_review"))
    db.session.commit()
    secret_id, waiting_id = secret.id, waiting.id
    client = login(reader)
    page = client.post("/questions/review/approve", data={"question": [str(secret_id), str(waiting_id)]}).get_data(as_text=True)
    assert "Câu bí mật" not in page and "Câu chờ duyệt" in page
    logged = db.session.scalars(select(AuditEntry).where(AuditEntry.actor == "rd", AuditEntry.action == "question_viewed")).all()
    assert [e.object_id for e in logged] == [str(waiting_id)]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.actor == "rd", AuditEntry.object_id == str(secret_id))) == 0
