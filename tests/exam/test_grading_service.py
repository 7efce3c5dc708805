"""Grading into the hub's score tables: sanctions (B6), voided and absent attempts, round 2 on
computer (C2, C6), neutralisation with its signal (B7), item statistics fed back to the bank."""
from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import select

from exam import blueprints, form_draws, item_stats, neutralising, scoring
from exam import draw as drawing
from exam.models import Attempt, AttemptAnswer, ExamTest
from questionbank import api as bank
from recruitment import signals
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Position, User
from recruitment.scores import Round1Result, Round2Score
from tests.support.factories import small_test


def answer(attempt: Attempt, right: int, *, started: bool = True) -> None:
    """The first `right` slots answered correctly (through the displayed order), the rest wrongly."""
    ids, perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
    contents = bank.contents([int(v) for v in ids])
    for slot, (vid, perm) in enumerate(zip(ids, perms, strict=True)):
        shown = list(perm).index(contents[int(vid)].key[0])
        db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=slot, choice=shown if slot < right else (shown + 1) % 4, seq=1))
    attempt.status = "submitted"
    if started:
        from recruitment.database import utcnow

        attempt.started_at = utcnow()


@pytest.fixture
def drawn(exam_round):
    test = small_test(exam_round)
    blueprints.activate(test)
    form_draws.draw_test(test.id)
    db.session.commit()
    return test, list(db.session.scalars(select(Attempt).order_by(Attempt.id)))


def result_of(attempt: Attempt) -> Round1Result:
    return db.session.scalar(select(Round1Result).filter_by(application_id=attempt.application_id, part="general"))


def test_sanctions_voided_and_absent_attempts_reach_the_hub(drawn):
    test, attempts = drawn
    plain, reprimanded, warned, suspended, voided, absent = attempts[:6]
    for a in (plain, reprimanded, warned, suspended):
        answer(a, 9)  # 9 of 12: 75 %
    reprimanded.sanction, reprimanded.sanction_reason = "reprimand", "Nói chuyện trong phòng thi"
    warned.sanction, warned.sanction_reason = "warning", "Tái phạm sau khiển trách"
    suspended.sanction, suspended.sanction_reason = "suspension", "Mang tài liệu vào phòng thi"
    answer(voided, 12)
    voided.status = "voided"
    absent.status = "collected"  # the sitting closed before they started
    scoring.grade([a.id for a in attempts[:6]])
    db.session.commit()
    # B2 on the reduced, unrounded count: 9 x 0.75 = 6.75 >= 6 passes; 9 x 0.5 = 4.5 < 6 fails.
    assert [(a.correct, a.passed) for a in (plain, reprimanded, warned)] == [(9, True), (9, True), (9, False)]
    assert suspended.passed is False and result_of(suspended).sanction == "suspension"
    assert result_of(reprimanded).correct == 9 and result_of(reprimanded).sanction == "reprimand"
    assert result_of(reprimanded).sanction_reason == "Nói chuyện trong phòng thi"
    assert voided.correct is None and result_of(voided) is None  # B5: the retake gives the result
    assert result_of(absent).absent and result_of(absent).correct is None and absent.passed is False
    entry = db.session.scalar(select(AuditEntry).filter_by(action="attempts_graded"))
    assert json.loads(entry.after)["graded"] == 4 and json.loads(entry.after)["absent"] == 1


def test_regrading_is_idempotent_and_logs_only_changes(drawn):
    test, attempts = drawn
    answer(attempts[0], 7)
    scoring.grade([attempts[0].id])
    scoring.grade([attempts[0].id])
    db.session.commit()
    assert db.session.scalar(select(db.func.count()).select_from(AuditEntry).filter_by(action="attempt_regraded")) == 0
    assert db.session.scalar(select(db.func.count()).select_from(Round1Result)) == 1


def test_neutralising_with_an_extra_right_option_tells_results(drawn):
    test, attempts = drawn
    for a in attempts[:3]:
        answer(a, 6)
    scoring.grade([a.id for a in attempts])
    db.session.commit()
    ids, perms = drawing.unpack(attempts[0].form.version_ids, attempts[0].form.option_perms)
    version = int(ids[11])  # answered wrongly by the first candidate: displayed right + 1
    shown_wrong = (list(perms[11]).index(bank.contents([version])[version].key[0]) + 1) % 4
    bank_option = int(perms[11][shown_wrong])
    heard = []
    signals.scores_changed.connect(lambda sender, **kw: heard.append(kw), weak=False)
    with pytest.raises(ValueError):
        neutralising.neutralise(test.id, version, "  ")
    with pytest.raises(ValueError, match="1000"):
        neutralising.neutralise(test.id, version, "Phương án " * 120)
    changed = neutralising.neutralise(test.id, version, "Phương án này cũng đúng theo luật mới", [bank_option]).changed
    assert changed >= 1 and attempts[0].correct == 7
    assert heard and heard[-1]["round_id"] == test.round_id
    entries = db.session.scalars(select(AuditEntry).filter_by(action="attempt_regraded")).all()
    assert entries and all(e.reason == "Phương án này cũng đúng theo luật mới" for e in entries)


def test_only_a_question_of_the_test_is_neutralised(drawn):
    """B7 neutralises a question the test asked: any version id was taken and recorded as neutralised
    on the test (audited as such), a question no candidate of it was given."""
    test, attempts = drawn
    on_test = {int(v) for a in attempts for v in drawing.unpack(a.form.version_ids, a.form.option_perms)[0]}
    elsewhere = max(on_test) + 1000
    with pytest.raises(ValueError, match="B7"):
        neutralising.neutralise(test.id, elsewhere, "Câu hỏi sai đáp án")
    db.session.rollback()
    assert db.session.get(ExamTest, test.id).neutralised in (None, "{}")


def test_a_neutralising_reason_over_the_limit_is_refused_on_the_page(drawn, make_user, login):
    """From the items page an overlong reason is refused in words, not answered with a 500."""
    test, attempts = drawn
    version = int(drawing.unpack(attempts[0].form.version_ids, attempts[0].form.option_perms)[0][0])
    client = login(make_user("chutich", "council_chair"))
    answered = client.post(f"/exam/tests/{test.id}/neutralise/{version}",
                           data={"reason": "Phương án " * 120, "confirmed": "1"}, follow_redirects=True)
    assert answered.status_code == 200 and "1000" in answered.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ExamTest, test.id).neutralised in (None, "{}")


def test_item_statistics_go_back_to_the_bank_and_into_the_difficulty(drawn):
    test, attempts = drawn
    rng = np.random.default_rng(5)
    for a in attempts:
        answer(a, int(rng.integers(2, 12)))
    scoring.grade([a.id for a in attempts])
    items, reliability = item_stats.item_analysis(test.id, record=True)
    db.session.commit()
    assert reliability["forms"] == 12 and all(0 <= r.p_value <= 1 for r in items)
    assert sum(sum(r.options) for r in items) == 12 * 12  # every shown slot counted once
    observed = {q.version_id: q.p_value for q in bank.approved_pool("general")}
    assert all(observed[r.version_id] == pytest.approx(r.p_value, abs=1e-3) for r in items)
    assert db.session.scalar(select(AuditEntry).filter_by(action="item_statistics_recorded")) is not None


def test_a_round2_computer_test_is_scaled_to_100_and_checked_against_c2(exam_round):
    author, reviewer = db.session.scalars(select(User).order_by(User.id)).all()[:2]
    position = db.session.scalar(select(Position).filter_by(code="TC-01"))
    records = [{"section": "professional", "positions": ["TC-01"], "topic": "Ngân sách nhà nước", "difficulty": 2,
                "stem": f"Câu hỏi chuyên ngành số {i}?", "options": ["Đúng", "Sai", "Không rõ"], "answer": [i % 3]}
               for i in range(180)]
    bank.create_approved_questions(records, author.id, reviewer.id)
    test = ExamTest(round_id=exam_round.id, kind="round2_written", position_id=position.id, section="professional",
                    title="Vòng 2 — TC-01", minutes=90, scale_to_100=True,
                    cells=json.dumps([{"topic": "Ngân sách nhà nước", "difficulty": 2, "count": 50, "points": 1}]))
    db.session.add(test)
    db.session.commit()
    with pytest.raises(blueprints.BlueprintProblem):
        blueprints.activate(test)  # C2: 60 to 120 questions
    test.cells = json.dumps([{"topic": "Ngân sách nhà nước", "difficulty": 2, "count": 60, "points": 1}])
    assert blueprints.activate(test) == []
    report = form_draws.draw_test(test.id)
    assert report.new_forms == 12  # TC-01's admitted candidates
    attempt = db.session.scalar(select(Attempt).filter_by(test_id=test.id).limit(1))
    ids, perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
    contents = bank.contents([int(v) for v in ids])
    for slot in range(47):  # 47 of 60 right: 78.333... -> 78.33 (C6)
        db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=slot,
                                     choice=list(perms[slot]).index(contents[int(ids[slot])].key[0]), seq=1))
    attempt.status = "submitted"
    scoring.grade([attempt.id])
    db.session.commit()
    score = db.session.scalar(select(Round2Score).filter_by(application_id=attempt.application_id))
    assert attempt.score == Decimal("78.33") and score.written == Decimal("78.33") and score.written_source == "computer"
    assert attempt.passed is None  # round 2 has no pass mark of its own


def test_fill_in_and_true_false_on_the_paper(exam_round):
    author, reviewer = db.session.scalars(select(User).order_by(User.id)).all()[:2]
    bank.create_approved_questions(
        [{"topic": "Thủ đô", "difficulty": 1, "type": "fill", "stem": f"Thủ đô của Việt Nam là ...? ({i})", "answer": ["Hà Nội"]}
         for i in range(3)] + [{"topic": "Thủ đô", "difficulty": 2, "type": "truefalse", "stem": f"Huế từng là kinh đô ({i})",
                                "answer": [0]} for i in range(3)], author.id, reviewer.id)
    test = ExamTest(round_id=exam_round.id, kind="round1_general", section="general", title="Điền từ", minutes=60,
                    pass_fraction=Decimal("0.5"),
                    cells=json.dumps([{"topic": "Thủ đô", "difficulty": 1, "count": 1}, {"topic": "Thủ đô", "difficulty": 2, "count": 1}]))
    db.session.add(test)
    db.session.commit()
    assert blueprints.activate(test) == []
    form_draws.draw_test(test.id)
    attempt = db.session.scalar(select(Attempt).filter_by(test_id=test.id).limit(1))
    paper = form_draws.candidate_paper(attempt.id)
    kinds = {p.type: p for p in paper}
    assert kinds["fill"].options_html == [] and len(kinds["truefalse"].options_html) == 2
    for p in paper:
        if p.type == "fill":
            db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=p.slot, text="  hà  NỘI ", seq=1))
        else:
            db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=p.slot, choice=0, seq=1))  # kept in place: "Đúng"
    attempt.status = "submitted"
    scoring.grade([attempt.id])
    assert attempt.correct == 2 and attempt.passed
