"""In a real browser: a question setter builds a blueprint from the rule set's preset, is told
which cells the bank cannot cover (G1), fixes the cells, activates and draws, and reads the
fairness report; the council chair grades, reads the item analysis with its chart and neutralises
a question (B7); HR reads the fairness report but cannot draw."""
from __future__ import annotations

import numpy as np
from sqlalchemy import select

from exam.models import Attempt, AttemptAnswer, ExamTest
from recruitment.audit import AuditEntry
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.browser import browser_login, submit
from tests.support.factories import round_with_bank


def test_blueprint_draw_fairness_grading_and_item_analysis(live_server, new_context, make_user, tmp_path):
    with live_server.app.app_context():
        author = make_user("setter", "question_setter", full_name="Trần Minh Đức")
        reviewer = make_user("setter2", "question_setter", full_name="Lê Thị Hồng Nhung")
        make_user("chair", "council_chair", full_name="Phạm Văn Long")
        make_user("hr", "hr", full_name="Đỗ Thu Hà")
        round_with_bank(tmp_path, author.id, reviewer.id)
        db.session.remove()

    page = new_context().new_page()
    browser_login(page, live_server, "setter")
    page.goto(live_server("/exam/tests"))
    page.select_option("#kind", "round1_general")
    submit(page, "form[action$='/exam/tests/new'] button[type=submit]")
    page.wait_for_url("**/exam/tests/*")
    # The vn-2025 preset: 60 questions in 60 minutes, spread over the bank's topics.
    assert page.locator("input[name=minutes]").input_value() == "60"
    submit(page, "form[action$='/activate'] button")
    flash = page.locator(".flash.danger").first.inner_text()
    assert "Hiến pháp / dễ" in flash and "Tin học / trung bình" in flash  # G1 names the short cells, in words

    rows = int(page.locator("input[name=rows]").input_value())
    for i in range(rows):
        topic = page.locator(f"input[name=topic-{i}]").input_value()
        level = page.locator(f"select[name=difficulty-{i}]").input_value()
        page.fill(f"input[name=count-{i}]", "3" if topic and level in ("1", "2") else "0")
    submit(page, "form[action$='/blueprint'] button[type=submit]")
    assert page.locator(".flash.success").count() == 1
    submit(page, "form[action$='/activate'] button")
    submit(page, "form[action$='/draw'] button")
    fairness = page.locator("#fairness")
    assert fairness.locator("dd").first.inner_text() == "12"
    submit(page, "form[action$='/verify'] button")
    assert page.locator(".flash.success").count() == 1  # every stored form rebuilds from its seed

    with live_server.app.app_context():
        rng = np.random.default_rng(7)
        for attempt in db.session.scalars(select(Attempt)):
            for slot in range(12):
                db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=slot, choice=int(rng.integers(0, 4)), seq=1))
            attempt.status, attempt.started_at = "submitted", utcnow()
        db.session.commit()
        test_id = db.session.scalar(select(ExamTest.id))
        db.session.remove()

    hr = new_context().new_page()
    browser_login(hr, live_server, "hr")
    hr.goto(live_server(f"/exam/tests/{test_id}"))
    assert hr.locator("#fairness").count() == 1 and hr.locator("form[action$='/draw']").count() == 0

    chair = new_context().new_page()
    browser_login(chair, live_server, "chair")
    chair.goto(live_server(f"/exam/tests/{test_id}"))
    submit(chair, "form[action$='/grade'] button")
    assert chair.locator(".flash.success").count() == 1
    chair.goto(live_server(f"/exam/tests/{test_id}/items"))
    assert chair.locator("#chart svg circle").count() >= 12
    first = chair.locator("#items tbody tr").first
    version = first.get_attribute("data-version")
    first.locator("input[name=reason]").fill("Câu hỏi có hai đáp án đúng")
    with chair.expect_navigation():
        first.locator("button[type=submit]").click()
    # B7 is not undone: the page names the question and how many attempts are graded again, first.
    assert "Câu hỏi có hai đáp án đúng" in chair.locator("#consequence").inner_text()
    with chair.expect_navigation():
        chair.locator("#confirm-action").click()
    assert chair.locator(".flash.success").count() == 1
    assert chair.locator(f"tr[data-version='{version}'] .tag").last.inner_text() != ""

    with live_server.app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(action="question_neutralised"))
        assert entry.reason == "Câu hỏi có hai đáp án đúng" and entry.actor == "chair"
