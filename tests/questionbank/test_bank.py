"""The bank's rules: review by someone other than the author (G2), versions that exams keep,
search without diacritics, near-duplicates, all-or-nothing imports, the pool the exam draws from."""
from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import update

from questionbank import api, bank, coverage, pool
from questionbank.models import Question, QuestionVersion
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.tabular import ImportRejected
from tests.support.factories import approved_question, question_record


@pytest.fixture
def setters(make_user):
    return make_user("tac_gia", "question_setter"), make_user("tham_dinh", "question_setter")


def test_the_author_cannot_approve_their_own_question(app, setters):
    author, reviewer = setters
    question = bank.create(question_record(), author)
    bank.transition(question, "submit", author)
    with force_locale("en"), pytest.raises(bank.ReviewRefused, match="G2"):
        bank.transition(question, "approve", author)
    bank.transition(question, "approve", reviewer)
    assert (question.status, question.reviewer_id) == ("approved", reviewer.id)
    actions = db.session.scalars(db.select(AuditEntry.action).filter_by(object_type="question")).all()
    assert actions == ["question_created", "question_submit", "question_approve"]


def test_returning_needs_a_comment_and_steps_follow_the_workflow(app, setters):
    author, reviewer = setters
    question = bank.create(question_record(), author)
    with pytest.raises(bank.ReviewRefused):
        bank.transition(question, "approve", reviewer)  # a draft is not in review
    bank.transition(question, "submit", author)
    with pytest.raises(bank.ReviewRefused):
        bank.transition(question, "return", reviewer, "")
    bank.transition(question, "return", reviewer, "Phương án C chưa rõ")
    assert question.status == "draft"


def test_editing_a_used_question_makes_a_new_version_and_the_old_stays(app, setters):
    author, reviewer = setters
    question = approved_question(author, reviewer)
    first = question.current
    api.mark_versions_used([first.id])
    bank.edit(question, question_record(options=["Quốc hội", "Chính phủ", "Tòa án nhân dân", "Viện kiểm sát"]), author, "sửa C")
    db.session.commit()
    assert question.current.number == 2 and question.current.id != first.id
    assert db.session.get(QuestionVersion, first.id).options[2] == "Tòa án"  # what the exam showed
    assert question.status == "in_review"  # an approved question that changes is reviewed again (G2)
    content = api.contents([first.id, question.current.id])
    assert content[first.id].options_html[2] == "Tòa án" and content[question.current.id].options_html[2] == "Tòa án nhân dân"


def test_a_used_version_keeps_its_type_when_the_question_changes_type(app, setters):
    """The type is the version's, not the question's: a single-choice question an exam used and then
    rewritten as fill-in is still shown and graded as single choice for that exam (a re-grade after a
    sanction is withdrawn, B6, must give the same result), and the new version is fill-in."""
    author, reviewer = setters
    question = approved_question(author, reviewer)
    first = question.current
    api.mark_versions_used([first.id])
    bank.edit(question, question_record(type="fill", options=[], answer=["Chính phủ"]), author, "thành câu điền")
    db.session.commit()
    content = api.contents([first.id, question.current.id])
    assert (content[first.id].type, content[first.id].key, content[first.id].accepted) == ("single", (1,), ())
    assert content[first.id].options_html[1] == "Chính phủ"
    assert (content[question.current.id].type, content[question.current.id].accepted) == ("fill", ("Chính phủ",))


def test_a_used_version_is_read_once_per_app_server_and_one_not_yet_used_each_time(app, setters, monkeypatch):
    """Every paper and every hand-in's grading read the same versions: one an exam used never changes,
    so the app server keeps what it read; one not used yet may still be edited in place (a draft: an
    approved version is kept as approved, test_approval_of_what_was_read)."""
    author, _ = setters
    question = bank.create(question_record(), author)
    version_id = question.current.id
    db.session.commit()
    reads: list[int] = []  # the contents read from the database, one statement each
    statement = pool._contents_of
    monkeypatch.setattr(pool, "_contents_of", lambda: reads.append(1) or statement())
    api.contents([version_id])
    bank.edit(question, question_record(stem="Câu hỏi đã sửa?"), author)  # not used: edited in place
    db.session.commit()
    assert api.contents([version_id])[version_id].stem_html == "Câu hỏi đã sửa?"
    assert len(reads) == 2
    api.mark_versions_used([version_id])  # a draw of this session, which reads before its commit
    assert api.contents([version_id])[version_id].stem_html == "Câu hỏi đã sửa?"
    assert len(reads) == 3
    db.session.rollback()  # ... and rolls back: the version is unused, and was not kept
    db.session.info.clear()  # the next request's session
    assert api.contents([version_id])[version_id].stem_html == "Câu hỏi đã sửa?"
    assert len(reads) == 4
    with db.engine.begin() as draw:  # another request's draw, committed
        draw.execute(update(QuestionVersion).where(QuestionVersion.id == version_id).values(used=True))
    assert api.contents([version_id])[version_id].stem_html == "Câu hỏi đã sửa?"
    assert len(reads) == 5
    bank.edit(question, question_record(stem="Lần sửa thứ hai?"), author)  # used: a new version
    db.session.commit()
    both = api.contents([version_id, question.current.id])
    assert both[version_id].stem_html == "Câu hỏi đã sửa?" and both[question.current.id].stem_html == "Lần sửa thứ hai?"
    assert api.contents([version_id])[version_id].stem_html == "Câu hỏi đã sửa?" and len(reads) == 6


def test_an_edit_that_meets_a_draw_marking_its_version_used_makes_a_new_version(app, setters):
    """The edit read the version unused; a draw marked it used before the edit wrote: it was changed in
    place all the same, under the exam that had drawn it (and app servers keep a used version as read)."""
    author, reviewer = setters
    question = approved_question(author, reviewer)
    first_id, stem = question.current.id, question.current.stem_html
    db.session.commit()
    assert not question.current.used
    with db.engine.begin() as draw:  # another request's draw, committed meanwhile
        draw.execute(update(QuestionVersion).where(QuestionVersion.id == first_id).values(used=True))
    bank.edit(question, question_record(stem="Câu hỏi sửa trong lúc rút đề?"), author)
    db.session.commit()
    db.session.expire_all()
    assert question.current.id != first_id and question.current.stem_html == "Câu hỏi sửa trong lúc rút đề?"
    assert db.session.get(QuestionVersion, first_id).stem_html == stem  # what the exam drew


def test_editing_an_unused_question_changes_it_in_place(app, setters):
    author, _ = setters
    question = bank.create(question_record(), author)
    bank.edit(question, question_record(stem="Câu hỏi đã sửa?"), author)
    assert question.current.number == 1 and question.current.stem_html == "Câu hỏi đã sửa?"


def test_search_finds_words_typed_without_diacritics(app, setters):
    author, _ = setters
    bank.create(question_record(stem="Hiến pháp năm 2013 được thông qua ngày nào?"), author)
    bank.create(question_record(stem="Phím tắt lưu văn bản?", topic="Tin học", options=["Ctrl+S", "Ctrl+P"], answer=[0]), author)
    found = db.session.scalars(bank.search({"q": "hien phap"})).all()
    assert [q.current.stem_html for q in found] == ["Hiến pháp năm 2013 được thông qua ngày nào?"]
    assert db.session.scalars(bank.search({"q": "HIẾN   PHÁP 2013"})).all() == found


def test_near_duplicates_are_flagged_in_the_preview(app, setters):
    author, reviewer = setters
    existing = approved_question(author, reviewer)
    same = question_record(stem="  theo hien phap nam 2013, co quan hanh chinh nha nuoc cao nhat la? ",
                  options=["Viện kiểm sát", "Tòa án", "Chính phủ", "Quốc hội"], answer=[2], ref=2)
    other = question_record(stem="Một câu khác?", ref=3)
    twin = question_record(stem="Một câu khác?", ref=4)
    with force_locale("en"):
        rows = bank.preview([same, other, twin])
    assert [r.duplicate_of for r in rows] == [existing.code, None, "row 3"]


def test_an_import_with_a_clashing_code_writes_nothing(app, setters):
    author, _ = setters
    bank.create(question_record(code="KT-00001"), author)
    db.session.commit()
    with force_locale("en"), pytest.raises(ImportRejected, match="KT-00001"):
        bank.import_records([question_record(ref=2), question_record(ref=3, code="KT-00001", stem="Khác?")], author, filename="x")
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 1


def test_generated_codes_follow_the_section(app, setters):
    author, _ = setters
    result = bank.import_records([question_record(ref=1), question_record(ref=2, stem="Khác?", section="professional")], author, filename="x")
    assert result.created == ["KT-00001", "CM-00001"]


@pytest.mark.parametrize("typed", ["KT-²", "KT-١٢", "KT-00007x"])
def test_a_typed_code_not_in_the_banks_numbering_leaves_it_alone(app, setters, typed):
    """An imported code "KT-²" (str.isdigit takes it, int() does not) made every later question of the
    section without a code raise ValueError, in the form and in every import: a 500."""
    author, _ = setters
    bank.import_records([question_record(ref=1, code=typed)], author, filename="x")
    result = bank.import_records([question_record(ref=1, stem="Khác?")], author, filename="y")
    assert result.created == ["KT-00001"]


def test_the_pool_holds_approved_questions_of_the_section_and_position(app, setters):
    author, reviewer = setters
    everyone = approved_question(author, reviewer, stem="Cho mọi vị trí?")
    finance = approved_question(author, reviewer, stem="Cho vị trí tài chính?", section="professional", positions=["TC-01"])
    approved_question(author, reviewer, stem="Cho vị trí tư pháp?", section="professional", positions=["TP-02"])
    bank.create(question_record(stem="Bản nháp?"), author)
    general = api.approved_pool("general")
    assert [p.question_id for p in general] == [everyone.id]
    assert [p.question_id for p in api.approved_pool("professional", "TC-01")] == [finance.id]
    assert general[0].n_options == 4 and not general[0].keep_order


def test_true_false_keeps_its_order_and_created_questions_are_approved(app, setters):
    author, reviewer = setters
    ids = api.create_approved_questions([
        {"topic": "Tin học", "difficulty": 1, "type": "truefalse", "stem": "RAM mất dữ liệu khi tắt máy.", "answer": [0]},
        {"topic": "Tin học", "difficulty": 2, "type": "fill", "stem": "Ctrl + ___ để lưu", "answer": ["S"]},
    ], author.id, reviewer.id)
    pool = {p.version_id: p for p in api.approved_pool("general")}
    assert pool[ids[0]].keep_order and pool[ids[0]].n_options == 2 and pool[ids[1]].n_options == 0
    assert api.contents(ids)[ids[1]].accepted == ("S",)


def test_item_statistics_are_kept_and_flagged(app, setters):
    author, reviewer = setters
    question = approved_question(author, reviewer)
    api.record_item_statistics([api.ItemStatistic(question.current_version_id, 0.12, -0.05, "check_key")])
    assert (float(question.p_value), question.stat_flag) == (0.12, "check_key")
    assert api.approved_pool("general")[0].p_value == 0.12


def test_the_coverage_matrix_marks_cells_short_of_three_times():
    cells = coverage.matrix([("A", 1)] * 9 + [("A", 2)] * 5 + [("B", 3)] * 2, {("A", 1): 3, ("A", 2): 2}, 3)
    status = {(c.topic, c.difficulty): (c.approved, c.needed, c.short) for c in cells}
    assert status == {("A", 1): (9, 9, False), ("A", 2): (5, 6, True), ("B", 3): (2, 0, False)}  # G1


def test_an_imported_question_has_its_version_history_and_audit_entry_as_one_created_in_the_form(app, setters):
    from questionbank.models import ReviewEvent
    from recruitment import audit, audit_check

    author, _ = setters
    result = bank.import_records([question_record(ref=2, positions=["TC-01", "TP-02"]),
                                  question_record(ref=3, stem="Đúng hay sai: RAM mất dữ liệu khi tắt máy.", type="truefalse",
                                         options=["Đúng", "Sai"], answer=[0], difficulty=1)],
                                 author, filename="ngan-hang.csv")
    db.session.commit()
    assert result.created == ["KT-00001", "KT-00002"]
    first, second = (db.session.scalar(db.select(Question).filter_by(code=c)) for c in result.created)
    assert (first.status, first.author_id, first.positions, first.position_list) == (
        "in_review", author.id, ";TC-01;TP-02;", ["TC-01", "TP-02"])
    assert (first.current.number, first.current.question_id, first.current.options[1], first.current.answer) == (
        1, first.id, "Chính phủ", [1])
    assert second.current.keep_order and second.type == "truefalse" and second.difficulty == 1
    assert [q.code for q in db.session.scalars(bank.search({"q": "co quan hanh chinh"}))] == ["KT-00001"]
    events = db.session.scalars(db.select(ReviewEvent).order_by(ReviewEvent.id)).all()
    assert [(e.question_id, e.version_id, e.user_id, e.action, e.comment) for e in events] == [
        (first.id, first.current_version_id, author.id, "imported", "ngan-hang.csv"),
        (second.id, second.current_version_id, author.id, "imported", "ngan-hang.csv")]
    entries = db.session.scalars(db.select(AuditEntry).filter(AuditEntry.action.like("question%"))
                                 .order_by(AuditEntry.seq)).all()
    assert [(e.action, e.object_id) for e in entries] == [
        ("question_created", str(first.id)), ("question_created", str(second.id)), ("questions_imported", None)]
    assert entries[0].after == audit.canonical({**bank.snapshot(first), "file": "ngan-hang.csv"})
    assert entries[0].actor == "system" and not audit_check.verify().problems


def test_an_import_larger_than_one_chunk_is_written_whole_or_not_at_all(app, setters):
    from questionbank.models import ReviewEvent
    from recruitment import bulk_rows

    author, reviewer = setters
    size = bulk_rows.CHUNK + 3
    many = [question_record(ref=i + 2, stem=f"Câu hỏi số {i}?", code=f"CM-{i:05d}", section="professional") for i in range(size)]
    late_clash = [*many[:-1], question_record(ref=size + 1, stem="Câu cuối?", code="CM-00002")]
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        bank.import_records(late_clash, author, filename="lon.xlsx")
    assert [(e.row, e.column) for e in refused.value.errors] == [(size + 1, "code")]
    assert "already on row 4" in str(refused.value.errors[0])
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0

    result = bank.import_records(many, author, filename="lon.xlsx", status="approved", reviewer=reviewer)
    db.session.commit()
    assert len(result.created) == size
    count = db.session.scalar(db.select(db.func.count()).select_from(Question)
                              .where(Question.current_version_id.is_not(None), Question.reviewer_id == reviewer.id,
                                     Question.status == "approved"))
    assert count == size
    assert db.session.scalar(db.select(db.func.count()).select_from(ReviewEvent)) == size
    with force_locale("en"):
        again = bank.import_records([question_record(ref=2, stem="Câu hỏi số 5001?")], author, filename="lai.csv", dry_run=True)
    assert again.rows[0].duplicate_of == "CM-05001"

def test_whoever_edited_the_version_cannot_approve_or_return_it(app, setters, make_user):
    """G2: a member who changed another's question (its key, say) does not approve it themselves."""
    author, editor = setters
    third = make_user("thu_ba", "question_setter")
    question = bank.create(question_record(), author)
    bank.transition(question, "submit", author)
    bank.edit(question, question_record(answer=[2]), editor, "sửa đáp án")
    with force_locale("en"):
        for action, comment in (("approve", ""), ("return", "xem lại")):
            with pytest.raises(bank.ReviewRefused, match="G2"):
                bank.transition(question, action, editor, comment)
    assert question.status == "in_review"
    bank.transition(question, "approve", third)
    assert (question.status, question.reviewer_id) == ("approved", third.id)


def test_a_retired_question_edited_goes_back_to_review_before_the_draw_takes_it(app, setters):
    """G2: the author retired an approved question, rewrote its stem and key, and restored it: the new
    content was "approved" in the draw's pool under the old reviewer's name, reviewed by nobody. An
    edit of a retired question sends it back to review, as an edit of an approved one does."""
    author, reviewer = setters
    question = approved_question(author, reviewer)
    bank.transition(question, "retire", author)
    bank.edit(question, question_record(stem="Câu hỏi do tác giả tự sửa, chưa ai duyệt?", answer=[1]), author, "sửa")
    assert (question.status, question.reviewer_id) == ("in_review", None)
    with pytest.raises(bank.ReviewRefused):
        bank.transition(question, "restore", author)
    with pytest.raises(bank.ReviewRefused):
        bank.transition(question, "approve", author)
    assert question.current_version_id not in {p.version_id for p in pool.approved_pool("general")}
    bank.transition(question, "approve", reviewer)
    assert (question.status, question.reviewer_id) == ("approved", reviewer.id)


def test_the_author_of_a_new_version_cannot_approve_it(app, setters, make_user):
    author, reviewer = setters
    question = bank.create(question_record(), author)
    bank.transition(question, "submit", author)
    bank.transition(question, "approve", reviewer)
    api.mark_versions_used([question.current.id])
    bank.edit(question, question_record(answer=[3]), reviewer, "đáp án D")  # a new version, by the former reviewer
    assert question.status == "in_review"
    with force_locale("en"), pytest.raises(bank.ReviewRefused, match="G2"):
        bank.transition(question, "approve", reviewer)
    approved, refused = bank.approve_many([question], reviewer)
    assert not approved and "G2" in refused[0][1]


def test_a_step_the_workflow_does_not_allow_is_refused_in_words(app, setters):
    author, reviewer = setters
    question = approved_question(author, reviewer)
    with app.test_request_context(), force_locale("en"), pytest.raises(bank.ReviewRefused) as refused:
        bank.transition(question, "approve", reviewer)  # approved already (a second tab, a double click)
    assert str(refused.value) == 'the question is approved: "Approve" is not possible'
    with app.test_request_context(), force_locale("vi"), pytest.raises(bank.ReviewRefused) as refused:
        bank.transition(question, "submit", author)
    assert "approved" not in str(refused.value) and "submit" not in str(refused.value)
