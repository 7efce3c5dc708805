"""A candidate sits the exam in Debian's chromium: log in, wait for the proctor, answer, reload,
lose the network and answer on, get it back, move to a spare seat when the computer fails, and
hand in to see the score."""
from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import expect

from exam.day.models import Incident, Placement
from exam.models import AttemptAnswer
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.browser import EXAM_PAGE, browser_login, submit
from tests.support.candidate import open_sitting
from tests.support.factories import build_day, staffed


def _candidate_login(page, server, day, number=1):
    page.goto(server("/exam/candidate/login"))
    page.select_option("#round_id", str(day.round_id))
    page.fill("#candidate_number", str(number))
    page.fill("#access_code", day.access[number])
    page.click("#candidate-login")
    page.wait_for_url(EXAM_PAGE)


def _choice_question(page) -> int:
    """Moves to the next multiple-choice question (the form mixes in fill-ins); returns its slot."""
    while page.locator(".choice").count() == 0:
        page.click("#next")
    return int(page.inner_text("#navigator button.current")) - 1


def _saved(app) -> dict[int, int]:
    with app.app_context():
        rows = {a.slot: a.choice for a in db.session.scalars(db.select(AttemptAnswer))}
        db.session.remove()
    return rows


def test_a_candidate_sits_the_exam_and_loses_nothing(live_server, new_context, make_user, tmp_path):
    app = live_server.app
    with app.app_context():
        day = build_day(tmp_path, candidates=2)
        staffed(day, make_user("giamthi", "proctor"))
        db.session.remove()
    candidate = new_context().new_page()
    _candidate_login(candidate, live_server, day)
    assert candidate.locator("#waiting").is_visible()

    proctor = new_context().new_page()
    browser_login(proctor, live_server, "giamthi")
    proctor.goto(live_server(f"/exam/sittings/{day.sitting_id}"))
    proctor.fill("#sitting-code", day.code)
    submit(proctor, "#open-sitting")

    candidate.wait_for_selector("#exam-main:not([hidden])", timeout=15_000)
    first = _choice_question(candidate)
    candidate.click(".choice >> nth=1")
    candidate.wait_for_selector('#save-state[data-state="saved"]')
    assert _saved(app) == {first: 1}

    candidate.reload()
    candidate.wait_for_selector("#exam-main:not([hidden])")
    candidate.click(f"#navigator button >> nth={first}")
    expect(candidate.locator(".choice.chosen")).to_have_count(1)  # the answer came back from the server
    candidate.click(".choice >> nth=3")  # a change after the reload outranks the stored save
    candidate.wait_for_selector('#save-state[data-state="saved"]')
    assert _saved(app) == {first: 3}

    candidate.context.set_offline(True)
    candidate.click("#next")
    second = _choice_question(candidate)
    candidate.click(".choice >> nth=2")
    candidate.wait_for_selector('#save-state[data-state="offline"]')
    assert second not in _saved(app)
    candidate.context.set_offline(False)
    candidate.wait_for_selector('#save-state[data-state="saved"]', timeout=15_000)
    assert _saved(app) == {first: 3, second: 2}
    # The proctor's console follows without a reload: the row now counts both answers.
    proctor.wait_for_selector("table.console td.num:text-is('2')", timeout=15_000)

    # The lab computer fails: the proctor moves the candidate to a spare, where nothing is lost.
    proctor.reload()
    proctor.locator("details summary >> nth=0").click()
    submit(proctor, "button.move-seat >> nth=0")
    with app.app_context():
        placement = db.session.scalar(db.select(Placement).where(Placement.attempt.has(status="in_progress")))
        assert placement.seat.spare
        db.session.remove()
    candidate.context.close()
    spare = new_context().new_page()
    _candidate_login(spare, live_server, day)
    spare.wait_for_selector("#exam-main:not([hidden])")
    for slot in (first, second):
        spare.click(f"#navigator button >> nth={slot}")
        expect(spare.locator(".choice.chosen")).to_have_count(1)
    assert spare.locator("#navigator button.answered").count() == 2

    spare.once("dialog", lambda dialog: dialog.accept())
    spare.click("#submit")
    spare.wait_for_selector("#result:not([hidden])")
    assert "8" in spare.inner_text("#result-correct")
    assert spare.inner_text("#result-passed")  # B3: pass or fail shown at once
    with app.app_context():
        assert db.session.scalar(db.select(Placement).where(Placement.seat.has(spare=True))).attempt.status == "submitted"
        db.session.remove()


def test_a_reload_right_after_the_log_in_shows_the_exam_page_without_logging_in_again(live_server, new_context, tmp_path):
    """The log-in answers with the exam page itself (the start of a sitting is one request): the page
    puts the exam's own address in the history, so a reload asks for the exam page and never sends
    the log-in form again (which would end the session it opened and count as a re-login)."""
    app = live_server.app
    with app.app_context():
        day = build_day(tmp_path, candidates=2)
        open_sitting(day)
        db.session.remove()
    page = new_context().new_page()
    log_ins: list[str] = []
    page.on("request", lambda r: log_ins.append(r.url) if r.method == "POST" and "/candidate/login" in r.url else None)
    _candidate_login(page, live_server, day)
    page.wait_for_selector("#exam-main:not([hidden])")
    assert urlparse(page.url).path == "/exam/candidate/"
    first = _choice_question(page)
    page.click(".choice >> nth=2")
    page.wait_for_selector('#save-state[data-state="saved"]')

    page.reload()
    page.wait_for_selector("#exam-main:not([hidden])")
    assert urlparse(page.url).path == "/exam/candidate/" and len(log_ins) == 1
    page.click(f"#navigator button >> nth={first}")
    expect(page.locator(".choice.chosen")).to_have_count(1)  # the same session: the answer is there
    page.click(".choice >> nth=1")
    page.wait_for_selector('#save-state[data-state="saved"]')
    assert _saved(app) == {first: 1}
    with app.app_context():
        assert db.session.scalar(db.select(Incident).filter_by(kind="relogin")) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                                 .filter_by(action="candidate_logged_in")) == 1
        db.session.remove()
