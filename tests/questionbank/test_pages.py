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


def test_a_long_preview_lists_the_first_rows_and_every_possible_duplicate_and_all_are_imported(
        app, client, make_user, login, monkeypatch):
    from questionbank import views

    monkeypatch.setattr(views, "PREVIEW_ROWS", 3)
    login(make_user("tac_gia", "question_setter"))
    rows = [ROW[:6] + [f"Câu hỏi số {i}?"] + ROW[7:] for i in range(6)] + [ROW[:6] + ["Câu hỏi số 1?"] + ROW[7:]]
    page = client.post("/questions/import", data={"file": (io.BytesIO(_xlsx(rows)), "bank.xlsx"), "section": "general",
                                                  "difficulty": "2", "lang": "en"}, content_type="multipart/form-data",
                       headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Câu hỏi số 2?" in html and "Câu hỏi số 4?" not in html
    assert html.count('<td class="num">') == 4 and '<td class="num">8</td>' in html  # rows 2-4, then row 8 (a twin of 3)
    assert 'id="preview-shown"' in html
    client.post("/questions/import/confirm")
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 7

def test_opening_the_edit_page_is_audited_like_the_question_page(app, client, make_user, login):
    """G2: the edit page shows the stem and the key, so looking at it is a view of the question."""
    author, reviewer = make_user("a", "question_setter"), make_user("b", "question_setter")
    question = approved_question(author, reviewer)
    login(reviewer)
    assert client.get(f"/questions/{question.id}/edit").status_code == 200
    client.get(f"/questions/{question.id}")
    views = db.session.scalars(db.select(AuditEntry).filter_by(action="question_viewed", object_id=str(question.id))).all()
    assert [e.actor for e in views] == ["b", "b"]


def test_an_approval_by_the_member_who_changed_the_key_is_refused_on_the_page(app, client, make_user, login):
    author, editor = make_user("qs2", "question_setter"), make_user("qs1", "question_setter")
    question = approved_question(author, make_user("qs3", "question_setter"))
    login(editor)
    client.post(f"/questions/{question.id}/edit", data={
        "section": "general", "topic": "Hiến pháp", "difficulty": "2", "type": "single", "stem": question.current.stem_html,
        "a": "Quốc hội", "b": "Chính phủ", "c": "Tòa án", "d": "Viện kiểm sát", "answer": "C", "points": "1"})
    assert question.status == "in_review" and question.current.answer == [2]
    page = client.post(f"/questions/{question.id}/approve", follow_redirects=True).get_data(as_text=True)
    assert question.status == "in_review" and "G2" in page


def test_bad_filter_values_are_ignored_with_a_note_never_a_500(app, client, make_user, login):
    login(make_user("qs", "question_setter"))
    for query in ("difficulty=abc", "author=x", "difficulty=99999999999999999999999", "author=-1&difficulty=2.5",
                  "author=²", "author=١٢"):  # str.isdigit takes these, int() refused "²" (ValueError, a 500)
        reply = client.get(f"/questions/?{query}")
        assert reply.status_code in (200, 400), query
        if reply.status_code == 200:
            assert "ignored" in reply.get_data(as_text=True) or "bỏ qua" in reply.get_data(as_text=True), query
    assert client.get("/questions/export.xlsx?author=²").status_code == 200


def test_an_earlier_version_is_shown_as_its_own_type(app, client, make_user, login):
    """A single-choice version an exam used, after its question was rewritten as fill-in, is shown
    with its options and its key marked, not as a fill-in whose accepted answer is the key's index."""
    from questionbank import api, bank
    from tests.support.factories import question_record

    author, reviewer = make_user("qs", "question_setter"), make_user("qs2", "question_setter")
    question = approved_question(author, reviewer)
    api.mark_versions_used([question.current.id])
    bank.edit(question, question_record(type="fill", options=[], answer=["Chính phủ"]), author, "thành câu điền")
    db.session.commit()
    login(reviewer)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    current, earlier = page.split("Phiên bản 1 ·", 1)  # the earlier version's heading (Vietnamese first)
    assert '<span class="tag">Chính phủ</span>' in current
    assert '<li class="correct">Chính phủ ✔</li>' in earlier and '<span class="tag">1</span>' not in earlier


def test_a_question_s_statistics_flag_is_named_in_words(app, client, make_user, login):
    author, reviewer = make_user("tac_gia", "question_setter", locale="en"), make_user("tham_dinh", "question_setter")
    question = approved_question(author, reviewer)
    question.p_value, question.discrimination, question.stat_flag = 0.12, -0.05, "check_key"
    db.session.commit()
    login(author)
    for url in ("/questions/", f"/questions/{question.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "negative discrimination: check the key" in page and "check_key" not in page, url


def test_the_form_s_refusals_name_its_fields_as_the_form_does(app, client, make_user, login):
    login(make_user("a", "question_setter", locale="en"))
    page = client.post("/questions/new", data={"section": "general", "topic": "Tin học", "difficulty": "1",
                                               "type": "single", "stem": "Phím Ctrl+S dùng để?", "a": "Lưu",
                                               "answer": "C", "points": "1"}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Options: a single-choice question needs 2 to 6 options, it has 1" in text
    assert "Answer: the answer must be" in text
    assert "options:" not in text and "answer:" not in text
