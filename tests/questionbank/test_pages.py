"""The board's pages: secrecy (G2), audited views and exports, the upload with its preview,
approval by a second member, images only for those who may see the question."""
from __future__ import annotations

import io

from questionbank.importers import spreadsheet
from questionbank.models import Question, QuestionImage
from recruitment import tabular
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.factories import approved_question

ROW = ["", "general", "", "Hiến pháp", 1, "single", "Hiến pháp hiện hành thông qua năm nào?", "1992", "2013", "", "", "",
       "", "B", 1, ""]


def _xlsx(rows) -> bytes:
    return tabular.xlsx_bytes([("q", spreadsheet.HEADERS, rows)])


def test_only_the_board_and_the_supervisor_see_the_bank(app, client, make_user, login):
    for role, status in [("hr", 403), ("proctor", 403), ("interviewer", 403), ("council_chair", 403), ("supervisor", 200),
                         ("question_setter", 200)]:
        login(make_user(f"u_{role}", role))
        assert client.get("/questions/").status_code == status, role
    login(make_user("ts", "candidate"))
    assert client.get("/questions/export.xlsx").status_code == 403


def test_list_views_and_exports_are_audited(app, client, make_user, login):
    setter = make_user("qs", "question_setter")
    login(setter)
    client.get("/questions/?q=hien+phap")
    client.get("/questions/export.xlsx")
    entries = db.session.scalars(db.select(AuditEntry).where(AuditEntry.object_type == "question_bank")).all()
    assert [e.action for e in entries] == ["question_list_viewed", "questions_exported"]
    assert entries[0].actor == "qs" and "hien phap" in entries[0].after


def test_upload_preview_then_confirm_then_a_second_member_approves(app, client, make_user, login):
    author, reviewer = make_user("tac_gia", "question_setter"), make_user("tham_dinh", "question_setter")
    login(author)
    bad = ROW[:4] + [7] + ROW[5:]
    page = client.post("/questions/import", data={"file": (io.BytesIO(_xlsx([ROW, bad])), "bank.xlsx"),
                                                  "section": "general", "difficulty": "2"},
                       content_type="multipart/form-data")
    assert page.status_code == 422 and "difficulty" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0
    page = client.post("/questions/import", data={"file": (io.BytesIO(_xlsx([ROW])), "bank.xlsx"), "section": "general",
                                                  "difficulty": "2"}, content_type="multipart/form-data")
    assert page.status_code == 200 and "Hiến pháp hiện hành" in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0  # the preview writes nothing
    client.post("/questions/import/confirm")
    question = db.session.scalar(db.select(Question))
    assert question.status == "in_review" and question.author_id == author.id
    client.post(f"/questions/{question.id}/approve")
    assert question.status == "in_review"  # G2: not by its author
    login(reviewer)
    client.post(f"/questions/{question.id}/approve")
    assert question.status == "approved"


def test_a_question_page_shows_its_history_and_images_are_guarded(app, client, make_user, login):
    author, reviewer = make_user("a", "question_setter"), make_user("b", "question_setter")
    question = approved_question(author, reviewer, stem='<p>Hình <img src="h.png"></p>?')
    db.session.add(QuestionImage(name="h.png", mime="image/png", data=b"\x89PNG\r\n\x1a\n", sha256="x"))
    db.session.commit()
    login(author)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert 'src="/questions/images/h.png"' in page and "approve" in page
    assert client.get("/questions/images/h.png").data.startswith(b"\x89PNG")
    login(make_user("hr", "hr"))
    assert client.get("/questions/images/h.png").status_code == 403


def test_the_form_creates_and_edits_a_question(app, client, make_user, login):
    login(make_user("a", "question_setter"))
    client.post("/questions/new", data={"section": "general", "topic": "Tin học", "difficulty": "1", "type": "single",
                                        "stem": "Phím <b>Ctrl+S</b> dùng để?<script>x()</script>", "a": "Lưu", "b": "In",
                                        "answer": "A", "points": "1"})
    question = db.session.scalar(db.select(Question))
    assert question.current.stem_html == "Phím <b>Ctrl+S</b> dùng để?" and question.status == "draft"
    client.post(f"/questions/{question.id}/edit", data={"section": "general", "topic": "Tin học", "difficulty": "2",
                                                        "type": "single", "stem": "Phím Ctrl+S?", "a": "Lưu", "b": "In",
                                                        "c": "Mở", "answer": "A", "points": "1"})
    assert question.difficulty == 2 and question.current.options == ["Lưu", "In", "Mở"]


def test_the_coverage_matrix_page_marks_short_cells(app, client, make_user, login):
    author, reviewer = make_user("a", "question_setter"), make_user("b", "question_setter")
    approved_question(author, reviewer)
    app.extensions.setdefault("questionbank.demand", []).append(lambda section, position: {("Hiến pháp", 2): 1})
    login(author)
    page = client.get("/questions/coverage?section=general").get_data(as_text=True)
    assert 'class="num short">1 / 1' in page


def test_a_candidate_sees_an_image_only_through_the_signed_link_of_their_paper(app, client, make_user):
    from questionbank import api as bank_api

    db.session.add(QuestionImage(name="bd.png", mime="image/png", data=b"\x89PNG\r\n\x1a\nDATA", sha256="y"))
    db.session.commit()
    with app.test_request_context():
        html = bank_api.candidate_html('<p>Xem <img src="bd.png"></p>')
    link = html.split('src="')[1].split('"')[0]
    assert link.startswith("/questions/candidate-images/")
    # Bound to a candidate's live exam session and the sitting's end ("Exam day you can trust", item 7;
    # tests/exam_day/test_image_links.py): a link made outside a paper opens nothing.
    assert client.get(link).status_code == 404
    assert client.get("/questions/candidate-images/bd.png").status_code == 404  # a guessed name is nothing
    assert client.get("/questions/images/bd.png").status_code == 302  # the board's route needs a log-in
