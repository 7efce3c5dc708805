"""The exam page and a refused save (docs/exam-api.md): a save the server could not store this time
(`409`, `"retry": true`) stays pending and is sent again until it is stored, and the page never says
"saved" before that; a save refused for good (the time is up) is not sent again, and the page says,
in Vietnamese, that it was not saved and why."""
from __future__ import annotations

import json
from datetime import timedelta

from exam.day import seating
from exam.day.models import Sitting
from exam.models import Attempt, AttemptAnswer
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.browser import EXAM_PAGE
from tests.support.factories import build_day

ANSWER = "**/exam/candidate/api/answer"
# Every state the save indicator shows, in order, from the moment this is run.
RECORD_STATES = """() => {
  const el = document.getElementById("save-state");
  window.saveStates = [];
  new MutationObserver(() => window.saveStates.push(el.dataset.state))
    .observe(el, {attributes: true, attributeFilter: ["data-state"]});
}"""


def _sitting(live_server, new_context, tmp_path):
    """Candidate 1 at the exam page of an open sitting, on a multiple-choice question."""
    app = live_server.app
    with app.app_context():
        day = build_day(tmp_path, candidates=2)
        seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
        db.session.commit()
        db.session.remove()
    page = new_context().new_page()
    page.goto(live_server("/exam/candidate/login"))
    page.select_option("#round_id", str(day.round_id))
    page.fill("#candidate_number", "1")
    page.fill("#access_code", day.access[1])
    page.click("#candidate-login")
    page.wait_for_url(EXAM_PAGE)
    page.wait_for_selector("#exam-main:not([hidden])", timeout=15_000)
    while page.locator(".choice").count() == 0:
        page.click("#next")
    page.wait_for_selector('#save-state[data-state="saved"]')
    page.evaluate(RECORD_STATES)
    return app, page, int(page.inner_text("#navigator button.current")) - 1


def _stored(app) -> dict[int, int]:
    with app.app_context():
        rows = {a.slot: a.choice for a in db.session.scalars(db.select(AttemptAnswer))}
        db.session.remove()
    return rows


def test_a_save_refused_for_now_is_sent_again_and_stored_before_the_page_says_saved(live_server, new_context,
                                                                                    tmp_path):
    app, page, slot = _sitting(live_server, new_context, tmp_path)
    sent = []

    def answer(route):  # the first save is refused as the server refuses one it could not store
        sent.append(route.request.post_data_json)
        if len(sent) == 1:
            route.fulfill(status=409, content_type="application/json",
                          body=json.dumps({"error": "chưa lưu được câu trả lời; hệ thống sẽ gửi lại", "retry": True}))
        else:
            route.continue_()

    page.route(ANSWER, answer)
    page.click(".choice >> nth=2")
    page.wait_for_selector('#save-state[data-state="saved"]', timeout=15_000)
    assert _stored(app) == {slot: 2}
    assert len(sent) == 2 and sent[0] == sent[1]  # the same save, sent again
    states = page.evaluate("window.saveStates")
    shown = states[:states.index("saved")]  # everything shown before the first "saved"
    assert "retrying" in shown and shown[shown.index("retrying"):].count("saving") >= 1, states
    assert page.locator("#exam-error").is_hidden()  # a passing refusal is no error to the candidate


def test_a_save_refused_for_good_is_shown_as_not_saved_with_the_reason(live_server, new_context, tmp_path):
    app, page, slot = _sitting(live_server, new_context, tmp_path)
    with app.app_context():
        attempt = db.session.scalar(db.select(Attempt).where(Attempt.status == "in_progress"))
        attempt.deadline = utcnow() - timedelta(seconds=1)  # the time is up on the server (the page's clock lags)
        db.session.commit()
        db.session.remove()
    sent = []
    page.on("request", lambda request: sent.append(1) if request.url.endswith("/api/answer") else None)
    page.click(".choice >> nth=1")
    page.wait_for_selector('#save-state[data-state="not_saved"]')
    assert page.inner_text("#save-state") == "chưa lưu: xem thông báo bên dưới"
    assert page.inner_text("#exam-error") == "đã hết giờ: câu trả lời không được lưu"
    page.wait_for_timeout(2000)  # longer than the page waits between two sends
    assert page.get_attribute("#save-state", "data-state") == "not_saved"
    assert "saved" not in page.evaluate("window.saveStates")
    assert len(sent) == 1 and slot not in _stored(app)


def test_an_older_save_acknowledged_after_a_newer_one_was_refused_does_not_make_it_saved(live_server, new_context,
                                                                                          tmp_path):
    """Two saves of one question in flight (two workers): the newer is refused for good, then the older
    one's acknowledgement arrives. The question's latest change was not stored: not "saved"."""
    _app, page, slot = _sitting(live_server, new_context, tmp_path)
    held = []
    page.route(ANSWER, lambda route: held.append(route))  # answered below, in the order a slow worker would
    page.click(".choice >> nth=1")
    page.click(".choice >> nth=2")
    for _ in range(100):
        if len(held) == 2:
            break
        page.wait_for_timeout(100)
    older, newer = sorted(held, key=lambda route: route.request.post_data_json["seq"])
    newer.fulfill(status=409, content_type="application/json",
                  body=json.dumps({"error": "đã hết giờ: câu trả lời không được lưu", "retry": False,
                                   "status": "in_progress"}))
    page.wait_for_selector('#save-state[data-state="not_saved"]')
    seq = older.request.post_data_json["seq"]
    older.fulfill(status=200, content_type="application/json",
                  body=json.dumps({"saved": True, "slot": slot, "seq": seq, "stored_seq": seq}))
    page.wait_for_timeout(1000)
    assert page.get_attribute("#save-state", "data-state") == "not_saved"
    assert page.inner_text("#exam-error") == "đã hết giờ: câu trả lời không được lưu"


def test_a_second_tab_left_open_after_the_hand_in_says_so_and_stops(live_server, new_context, tmp_path):
    """The hand-in in one tab ends the browser's session: the other tab's next save is refused (its
    CSRF token was the ended session's), and the tab says so and stops. Its indicator said "saved"
    for the answer it had just dropped, and its count still counted it."""
    _app, page, _slot = _sitting(live_server, new_context, tmp_path)
    second = page.context.new_page()
    second.goto(page.url)
    second.wait_for_selector("#exam-main:not([hidden])", timeout=15_000)
    while second.locator(".choice").count() == 0:
        second.click("#next")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])", timeout=15_000)
    second.click(".choice >> nth=1")
    second.wait_for_selector("#exam-error:not([hidden])", timeout=15_000)
    assert "đăng nhập lại" in second.inner_text("#exam-error")
    assert second.locator(".choice >> nth=0").is_disabled()
    assert second.get_attribute("#save-state", "data-state") == "not_saved"  # that answer is not saved
    # It shows what the server holds: the answer it dropped is neither chosen nor counted as answered
    # (the count said one answered, and the choice stayed marked).
    assert second.locator(".choice.chosen").count() == 0 and second.locator("#navigator button.answered").count() == 0
    assert second.inner_text("#counts").split("·")[0].strip().endswith(" 0"), second.inner_text("#counts")


# The page's next answer to a save is held until the test releases it (window.releaseHeld): the save
# is stored at once, its acknowledgement comes late.
HOLD_FIRST_ANSWER = """() => {
  const real = window.fetch;
  let held = null;
  window.fetch = (url, options) => {
    const sent = real(url, options);
    if (held || !String(url).endsWith("/answer")) return sent;
    held = new Promise((release) => { window.releaseHeld = release; });
    return sent.then((response) => held.then(() => response));
  };
}"""


def test_a_save_stored_just_before_the_page_stopped_is_shown_as_stored(live_server, new_context, tmp_path):
    """A save on its way when the page stops (its session ended on another tab) was counted as dropped;
    when its acknowledgement came after all, the page still showed the answer as neither chosen nor
    counted, although the server held it (a second reviewer's finding)."""
    app, page, slot = _sitting(live_server, new_context, tmp_path)
    second = page.context.new_page()
    second.goto(page.url)
    second.wait_for_selector("#exam-main:not([hidden])", timeout=15_000)
    page.evaluate(HOLD_FIRST_ANSWER)
    page.click(".choice >> nth=2")  # stored at once; its acknowledgement is held
    for _ in range(100):
        if _stored(app).get(slot) == 2:
            break
        page.wait_for_timeout(100)
    assert _stored(app) == {slot: 2}
    second.once("dialog", lambda dialog: dialog.accept())
    second.click("#submit")  # the hand-in on the other tab ends the browser's session
    second.wait_for_selector("#result:not([hidden])", timeout=15_000)
    page.click("#next")
    while page.locator(".choice").count() == 0:
        page.click("#next")
    page.click(".choice >> nth=1")  # refused: this page stops, and counts the held save as dropped
    page.wait_for_selector("#exam-error:not([hidden])", timeout=15_000)
    page.evaluate("() => window.releaseHeld()")  # ... which the server had stored
    page.wait_for_function(
        f"() => document.querySelectorAll('#navigator button')[{slot}].classList.contains('answered')", timeout=15_000)
    assert page.locator("#navigator button.answered").count() == 1
    assert page.locator("#exam input:not([disabled]), #exam button:not([disabled])").count() == 0
