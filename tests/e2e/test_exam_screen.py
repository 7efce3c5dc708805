"""The candidate's screen in Debian's chromium, at the lab's sizes (1366x768, 1024x768, and 1366x768
at 150 % zoom): the controls, the timer and the save state stay in view; the page offers no exit
but hand-in; a reload comes back to the same question; after hand-in nobody is shown logged in;
a sanction is named on the result, and a suspended candidate is told why."""
from __future__ import annotations

import pytest

from exam.day import proctoring, seating
from exam.day.models import Placement, Sitting
from exam.models import Attempt
from questionbank.models import QuestionVersion
from recruitment.extensions import db
from tests.e2e.test_exam_browser import _candidate_login, _choice_question
from tests.support.factories import build_day, staffed

# (viewport, device scale): 150 % zoom on a 1366x768 screen leaves a 911x512 CSS viewport.
SIZES = [({"width": 1366, "height": 768}, 1), ({"width": 1024, "height": 768}, 1),
         ({"width": 911, "height": 512}, 1.5)]
CONTROLS = ["#prev", "#next", "#submit", "#flag", "#clock", "#save-state"]


def _open_day(app, tmp_path, candidates: int = 3, long_stems: bool = False):
    with app.app_context():
        day = build_day(tmp_path, candidates=candidates)
        if long_stems:  # a long question: a case study of many paragraphs
            for version in db.session.scalars(db.select(QuestionVersion)):
                version.stem_html = "".join(f"<p>Đoạn {i}: tình huống nghiệp vụ dài, cần đọc kỹ trước khi trả lời.</p>"
                                            for i in range(40)) + version.stem_html
        seating.open_sitting(db.session.get(Sitting, day.sitting_id), day.code)
        db.session.commit()
        db.session.remove()
    return day


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and \
        box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize(("viewport", "scale"), SIZES, ids=["1366x768", "1024x768", "zoom150"])
def test_the_controls_timer_and_save_state_stay_in_view(live_server, new_context, make_user, tmp_path, viewport, scale):
    day = _open_day(live_server.app, tmp_path, long_stems=True)
    page = new_context(viewport=viewport, device_scale_factor=scale).new_page()
    _candidate_login(page, live_server, day)
    page.wait_for_selector("#exam-main:not([hidden])", timeout=15_000)
    assert page.evaluate("document.documentElement.scrollHeight") > viewport["height"]  # the question is long
    for where in ("0", "document.documentElement.scrollHeight / 2", "document.documentElement.scrollHeight"):
        page.evaluate(f"window.scrollTo(0, {where})")
        for selector in CONTROLS:
            assert _in_view(page, selector), f"{selector} out of view at {viewport} after scrolling to {where}"
    page.click("#next")  # and they still work from where they are
    assert page.inner_text("#navigator button.current") == "2"


def test_no_exit_but_hand_in_a_reload_keeps_the_question_and_hand_in_logs_out(live_server, new_context, make_user,
                                                                               tmp_path):
    day = _open_day(live_server.app, tmp_path)
    page = new_context(viewport={"width": 1366, "height": 768}).new_page()
    _candidate_login(page, live_server, day)
    page.wait_for_selector("#exam-main:not([hidden])", timeout=15_000)
    bar = page.locator("header.topbar")
    assert bar.locator("button, a").count() == 0  # no log-out, no language switch, no link away
    assert "English" not in bar.inner_text()

    page.click("#navigator button >> nth=4")
    page.reload()
    page.wait_for_selector("#exam-main:not([hidden])")
    assert page.inner_text("#navigator button.current") == "5"  # back where the candidate was

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])")
    with live_server.app.app_context():
        name = db.session.scalar(db.select(Placement)).attempt.application.full_name
        db.session.remove()
    assert name not in page.inner_text("header.topbar")  # logged out, and shown so
    assert not page.locator(".exam-head").is_visible()
    page.goto(live_server("/exam/candidate/"))
    text = page.inner_text("body")
    assert "Please log in" not in text and "Vui lòng đăng nhập" in text


def test_the_result_names_the_sanction_and_a_suspended_candidate_is_told_why(live_server, new_context, make_user,
                                                                            tmp_path):
    app = live_server.app
    day = _open_day(app, tmp_path)
    warned, suspended = new_context().new_page(), new_context().new_page()
    _candidate_login(warned, live_server, day, number=1)
    _candidate_login(suspended, live_server, day, number=2)
    for page in (warned, suspended):
        page.wait_for_selector("#exam-main:not([hidden])", timeout=15_000)
    with app.app_context():
        proctor = staffed(day, make_user("giamthi", "proctor"))
        for number, kind, reason in ((1, "warning", "Sử dụng tài liệu"), (2, "suspension", "Mang điện thoại")):
            attempt = db.session.scalar(db.select(Attempt).where(Attempt.application.has(candidate_number=number)))
            proctoring.sanction(attempt, kind, reason, proctor)
        db.session.commit()
        db.session.remove()

    warned.once("dialog", lambda dialog: dialog.accept())
    warned.click("#submit")
    warned.wait_for_selector("#result:not([hidden])")
    text = warned.inner_text("#result")
    assert "cảnh cáo" in text and "Sử dụng tài liệu" in text and "warning" not in text

    # The suspended candidate's next answer is refused: the page says why instead of a bare refusal.
    _choice_question(suspended)
    suspended.click(".choice >> nth=1")
    suspended.wait_for_selector("#result:not([hidden])", timeout=15_000)
    text = suspended.inner_text("#result")
    assert "đình chỉ thi" in text and "Mang điện thoại" in text and "Không đạt" not in text
    assert not suspended.locator("#exam-error").is_visible()
