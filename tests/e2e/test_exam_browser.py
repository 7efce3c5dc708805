"""A candidate sits the exam in Debian's chromium: log in, wait for the proctor, answer, reload,
lose the network and answer on, get it back, move to a spare seat when the computer fails, and
hand in to see the score."""
from __future__ import annotations

from exam.day.models import Placement
from exam.models import AttemptAnswer
from recruitment.extensions import db
from tests.conftest import browser_login
from tests.exam_day.conftest import build_day


def _candidate_login(page, server, day, number=1):
    page.goto(server("/exam/candidate/login"))
    page.select_option("#round_id", str(day.round_id))
    page.fill("#candidate_number", str(number))
    page.fill("#access_code", day.access[number])
    page.click("#candidate-login")
    page.wait_for_url("**/exam/candidate/")


def _saved(app) -> dict[int, int]:
    with app.app_context():
        rows = {a.slot: a.choice for a in db.session.scalars(db.select(AttemptAnswer))}
        db.session.remove()
    return rows


def test_a_candidate_sits_the_exam_and_loses_nothing(live_server, new_context, make_user, tmp_path):
    app = live_server.app
    with app.app_context():
        day = build_day(make_user, tmp_path, candidates=2)
        make_user("giamthi", "proctor")
        db.session.remove()
    candidate = new_context().new_page()
    _candidate_login(candidate, live_server, day)
    assert candidate.locator("#waiting").is_visible()

    proctor = new_context().new_page()
    browser_login(proctor, live_server, "giamthi")
    proctor.goto(live_server(f"/exam/sittings/{day.sitting_id}"))
    proctor.fill("#sitting-code", day.code)
    proctor.click("#open-sitting")

    candidate.wait_for_selector("#exam-main:not([hidden])", timeout=15_000)
    candidate.click(".choice >> nth=1")
    candidate.wait_for_selector('#save-state[data-state="saved"]')
    assert _saved(app) == {0: 1}

    candidate.reload()
    candidate.wait_for_selector("#exam-main:not([hidden])")
    assert candidate.locator(".choice.chosen").count() == 1  # the answer came back from the server

    candidate.context.set_offline(True)
    candidate.click("#next")
    candidate.click(".choice >> nth=2")
    candidate.wait_for_selector('#save-state[data-state="offline"]')
    assert 1 not in _saved(app)
    candidate.context.set_offline(False)
    candidate.wait_for_selector('#save-state[data-state="saved"]', timeout=15_000)
    assert _saved(app) == {0: 1, 1: 2}

    # The lab computer fails: the proctor moves the candidate to a spare, where nothing is lost.
    proctor.reload()
    proctor.locator("tr", has_text=f"{day.access and ''}").first.wait_for()
    proctor.locator("details summary >> nth=0").click()
    proctor.locator("button.move-seat >> nth=0").click()
    with app.app_context():
        placement = db.session.scalar(db.select(Placement).where(Placement.attempt.has(status="in_progress")))
        assert placement.seat.spare
        db.session.remove()
    candidate.context.close()
    spare = new_context().new_page()
    _candidate_login(spare, live_server, day)
    spare.wait_for_selector("#exam-main:not([hidden])")
    assert spare.locator(".choice.chosen").count() == 1
    spare.click("#next")
    assert spare.locator(".choice.chosen").count() == 1

    spare.once("dialog", lambda dialog: dialog.accept())
    spare.click("#submit")
    spare.wait_for_selector("#result:not([hidden])")
    assert "/ 8" in spare.inner_text("#result-correct") or "8" in spare.inner_text("#result-correct")
