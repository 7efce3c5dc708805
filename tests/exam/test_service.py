"""Blueprints, the stored draw, grading into the hub, neutralisation, the CLI and the pages."""
from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy import select

from exam import blueprints, fairness, form_draws, neutralising, scoring
from exam import draw as drawing
from exam.models import Attempt, AttemptAnswer, Form
from questionbank import api as bank
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Round, User
from recruitment.scores import Round1Result
from tests.support.factories import small_test


@pytest.fixture
def setup(exam_round):
    return small_test(exam_round)


def test_a_short_cell_blocks_activation_and_is_named(setup):
    test = setup
    test.cells = json.dumps([{"topic": "Hiến pháp", "difficulty": 1, "count": 4, "points": 1}])  # 9 < 12
    short = blueprints.activate(test)
    assert [(c.topic, c.difficulty, have) for c, have in short] == [("Hiến pháp", 1, 9)] and test.status == "draft"


def test_the_draw_refuses_a_bank_a_cell_fell_short_of_since_activation(setup):
    """G1: a blueprint whose cells fall short cannot be used. The draw checked only that the test was
    active: questions retired after its activation left a cell empty, and forms of 9 questions were
    drawn for a blueprint of 12 (and a retake drawn later would differ from the others). The draw
    checks the bank again and names the cells."""
    from questionbank import bank as questions
    from questionbank.models import Question
    test = setup
    assert blueprints.activate(test) == []
    db.session.commit()
    author = db.session.scalar(select(User).filter_by(username="soan"))
    for question in db.session.scalars(select(Question).filter_by(topic="Tin học", difficulty=2)):
        questions.transition(question, "retire", author)
    db.session.commit()
    with pytest.raises(blueprints.BlueprintProblem, match="G1") as refused:
        form_draws.draw_test(test.id)
    assert "Tin học" in str(refused.value)
    db.session.rollback()
    assert db.session.scalar(select(db.func.count()).select_from(Form)) == 0


def test_forms_are_stored_compactly_and_rebuild_exactly(setup):
    test = setup
    assert blueprints.activate(test) == []
    report = form_draws.draw_test(test.id)
    db.session.commit()
    assert report.new_forms == report.forms == 12 and report.neighbour_clashes == 0
    assert form_draws.draw_test(test.id).new_forms == 0  # drawn once
    form = db.session.scalar(select(Form).limit(1))
    assert len(form.version_ids) == 12 * 4 and len(form.option_perms) == 12 * 6
    _items, pool = blueprints.pool_of(test)
    again = drawing.rebuild(pool, scoring.cells_of(test), drawing.seed_for(test.round.draw_seed, test.id,
                                                                            form.application_id), form.draw_attempt)
    assert drawing.digest(*drawing.pack(again.version_ids(pool), again.perms)) == form.digest


def test_the_paper_carries_no_key_and_grading_reaches_the_hub(setup):
    test = setup
    blueprints.activate(test)
    form_draws.draw_test(test.id)
    attempt = db.session.scalar(select(Attempt).limit(1))
    paper = form_draws.candidate_paper(attempt.id)
    assert len(paper) == 12 and all(len(p.options_html) == 4 for p in paper)
    assert not any(hasattr(p, "correct") or hasattr(p, "accepted") for p in paper)
    ids, perms = drawing.unpack(attempt.form.version_ids, attempt.form.option_perms)
    contents = bank.contents([int(v) for v in ids])
    for slot, (vid, perm) in enumerate(zip(ids, perms, strict=True)):  # right on the first 7, wrong on the rest
        right = list(perm).index(contents[int(vid)].key[0])
        db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=slot, choice=right if slot < 7 else (right + 1) % 4, seq=1))
    attempt.status = "submitted"
    scoring.grade([attempt.id])
    db.session.commit()
    result = db.session.scalar(select(Round1Result).filter_by(application_id=attempt.application_id))
    assert (attempt.correct, attempt.passed, result.correct, result.total, result.source) == (7, True, 7, 12, "computer")
    wrong_version = int(ids[8])
    changed = neutralising.neutralise(test.id, wrong_version, "Đáp án sai trong đề (B7)").changed
    db.session.commit()
    assert changed == 1 and attempt.correct == 8 and result.correct == 8
    assert db.session.scalar(select(AuditEntry).filter_by(action="question_neutralised")).reason == "Đáp án sai trong đề (B7)"
    assert db.session.scalar(select(AuditEntry).filter_by(action="attempt_regraded")) is not None


def test_the_commands_draw_and_grade(app, setup):
    test = setup
    blueprints.activate(test)
    db.session.commit()
    code = db.session.get(Round, test.round_id).code
    result = app.test_cli_runner().invoke(args=["exam", "draw", "--round", code])
    assert result.exit_code == 0 and "12 new form(s)" in result.output and "neighbouring seats" in result.output
    result = app.test_cli_runner().invoke(args=["exam", "grade", "--round", code])
    assert result.exit_code == 0 and "0 attempt(s) graded" in result.output


def test_the_pages_show_fairness_and_item_analysis(setup, client, make_user, login):
    test = setup
    blueprints.activate(test)
    form_draws.draw_test(test.id)
    for attempt in db.session.scalars(select(Attempt)):
        for slot in range(12):
            db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=slot, choice=int(np.random.default_rng(attempt.id + slot).integers(0, 4)), seq=1))
        attempt.status = "submitted"
    scoring.grade(list(db.session.scalars(select(Attempt.id))))
    db.session.commit()
    login(make_user("chair", "council_chair"))
    page = client.get(f"/exam/tests/{test.id}").get_data(as_text=True)
    assert 'id="fairness"' in page
    page = client.get(f"/exam/tests/{test.id}/items").get_data(as_text=True)
    assert "<svg" in page and "KR-20" in page


def test_the_audit_rebuild_survives_a_changed_bank_and_catches_tampering(app, setup):
    test = setup
    blueprints.activate(test)
    form_draws.draw_test(test.id)
    db.session.commit()
    author, reviewer = db.session.scalars(select(User).order_by(User.id)).all()[:2]
    bank.create_approved_questions([{"topic": "Hiến pháp", "difficulty": 1, "stem": f"Câu mới {i}?",
                                     "options": ["A", "B", "C"], "answer": [0]} for i in range(5)], author.id, reviewer.id)
    db.session.commit()  # the pool has changed since the draw: the frozen pool still rebuilds every form
    result = form_draws.verify_forms(test.id)
    assert (result.forms, result.matching, result.mismatched) == (12, 12, [])
    form = db.session.scalar(select(Form).order_by(Form.id).limit(1))
    ids, perms = drawing.unpack(form.version_ids, form.option_perms)
    form.version_ids = drawing.pack(ids[::-1].copy(), perms)[0]  # someone swapped the questions around
    db.session.commit()
    code = db.session.get(Round, test.round_id).code
    out = app.test_cli_runner().invoke(args=["exam", "verify", "--round", code])
    assert out.exit_code == 1 and "11 of 12" in out.output and str(form.application_id) in out.output


def test_the_page_and_the_command_show_one_spread_and_explain_it(app, setup, client, make_user, login):
    """The page showed 0,064 after item analysis while `flask exam draw` had printed 0.000: one
    computation for both, with the sentence saying what the spread measures and its tolerance."""
    import re

    from questionbank.models import Question

    test = setup
    blueprints.activate(test)
    db.session.commit()
    code = db.session.get(Round, test.round_id).code
    runner = app.test_cli_runner()
    drawn = runner.invoke(args=["exam", "draw", "--round", code])
    assert "spread 0.000 (tolerance 0.020)" in drawn.output
    assert fairness.spread_explanation(fairness.report(test)) in drawn.output  # 0 of 36 observed, within 0,040
    for i, question in enumerate(db.session.scalars(select(Question).order_by(Question.id))):
        question.p_value = 0.3 + (i * 37 % 60) / 100  # item analysis found other difficulties than the levels'
    db.session.commit()
    again = runner.invoke(args=["exam", "draw", "--round", code])
    cli_spread = re.search(r"spread (\d\.\d{3})", again.output).group(1)
    report = fairness.report(test)
    explained = fairness.spread_explanation(report)
    assert cli_spread != "0.000" and explained in again.output
    # every question on the forms now has an observed p (how many the random draw used varies: 35 or 36)
    assert report.observed == report.distinct > 0 and f"{report.observed} " in explained
    login(make_user("chair", "council_chair"))
    page = client.get(f"/exam/tests/{test.id}").get_data(as_text=True)
    shown = re.search(r'id="spread">([\d.,]+)<', page).group(1)
    assert shown.replace(",", ".") == cli_spread
    assert 'id="spread-explained"' in page and "0,020" in page.split('id="spread-explained"')[1][:2000]


def _blueprint_form(**changes) -> dict:
    data = {"rows": 2, "minutes": 60, "tolerance": "0.1"}
    for i, (topic, difficulty) in enumerate((("Hiến pháp", 1), ("Tin học", 1))):
        data.update({f"topic-{i}": topic, f"difficulty-{i}": difficulty, f"count-{i}": 3, f"points-{i}": 1})
    data.update(changes)
    return data


@pytest.mark.parametrize("changes, named", [
    ({"minutes": "-30"}, "minutes"), ({"minutes": "0"}, "minutes"), ({"minutes": "100000"}, "minutes"),
    ({"minutes": "abc"}, "minutes"), ({"points-0": "nan"}, "points"), ({"points-0": "inf"}, "points"),
    ({"points-0": "-1"}, "points"), ({"points-0": "0"}, "points"), ({"count-1": "-3"}, "count"),
    ({"count-1": "100000"}, "count"), ({"difficulty-0": "9"}, "difficulty")],
    ids=["negative-minutes", "zero-minutes", "absurd-minutes", "text-minutes", "nan-points", "inf-points",
         "negative-points", "zero-points", "negative-count", "absurd-count", "unknown-difficulty"])
def test_the_blueprint_form_refuses_impossible_values_and_saves_nothing(setup, client, make_user, login, changes, named):
    test = setup
    before = (test.cells, test.minutes)
    login(make_user("builder", "question_setter"))
    page = client.post(f"/exam/tests/{test.id}/blueprint", data=_blueprint_form(**changes), follow_redirects=True,
                       headers={"Accept-Language": "en"}).get_data(as_text=True)
    db.session.refresh(test)
    assert (test.cells, test.minutes) == before
    assert named in page.lower() or {"minutes": "phút", "points": "điểm", "count": "số câu",
                                     "difficulty": "độ khó"}[named] in page.lower()
    assert client.post(f"/exam/tests/{test.id}/blueprint", data=_blueprint_form()).status_code == 302
    db.session.refresh(test)
    assert sum(c["count"] for c in json.loads(test.cells)) == 6  # a sound form is saved


@pytest.mark.parametrize("field, value, rule", [("minutes", -30, "B1"), ("minutes", 45, "B1"), ("points", float("nan"), "(?i)points"),
                                                ("points", 0, "(?i)points"), ("points", -2, "(?i)points")])
def test_activation_refuses_a_blueprint_that_breaks_the_rule_set(setup, field, value, rule):
    test = setup
    if field == "minutes":
        test.minutes = value
    else:
        cells = json.loads(test.cells)
        cells[0]["points"] = value
        test.cells = json.dumps(cells)
    from flask_babel import force_locale
    with force_locale("en"), pytest.raises(blueprints.BlueprintProblem, match=rule):
        blueprints.activate(test)
    assert test.status == "draft"


def test_a_round2_computer_test_has_the_c2_duration(setup, exam_round):
    test = setup
    test.kind, test.minutes = "round2_written", 60
    test.cells = json.dumps([{"topic": "Hiến pháp", "difficulty": 1, "count": 60, "points": 1}])
    from flask_babel import force_locale
    with force_locale("en"), pytest.raises(blueprints.BlueprintProblem, match="C2"):
        blueprints.activate(test)


@pytest.mark.parametrize("action", ["draw", "verify", "grade", "items/record", "neutralise/1"])
def test_a_test_no_record_has_is_not_found(setup, client, make_user, login, action):
    """A draw for a test id no test has raised AttributeError (a 500); every action on a test is a 404 then."""
    login(make_user("chair", "council_chair"))
    assert client.post(f"/exam/tests/999999/{action}", data={"reason": "câu hỏi sai đáp án"}).status_code == 404
