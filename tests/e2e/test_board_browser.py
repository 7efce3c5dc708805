"""The waiting hall's results board in Debian's chromium: the proctor reads the board code from the
console, the hall's screen opens the board with it, and a candidate's score appears within 5 s of
their hand-in (B3), with nothing about the candidates who have not handed in."""
from __future__ import annotations

from exam.day import admission, autosave, handing_in, seating
from exam.day.models import Sitting
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.e2e.a11y import violations
from tests.support.browser import browser_login, submit
from tests.support.factories import build_day, staffed

# Whether any line box of the heading's text meets the full-screen button.
COVERED_HEADING = """() => {
  const button = document.querySelector('#board-fullscreen').getBoundingClientRect();
  const text = document.createRange();
  text.selectNodeContents(document.querySelector('.board-head h1'));
  return [...text.getClientRects()].some(line => line.left < button.right && line.right > button.left
                                                 && line.top < button.bottom && line.bottom > button.top);
}"""


def test_the_hall_screen_shows_each_score_as_candidates_hand_in(live_server, new_context, make_user, tmp_path):
    app = live_server.app
    with app.app_context():
        day = build_day(tmp_path, candidates=3)
        staffed(day, make_user("giamthi", "proctor"))
        sitting = db.session.get(Sitting, day.sitting_id)
        seating.open_sitting(sitting, day.code)
        db.session.commit()
        db.session.remove()
    proctor = new_context().new_page()
    browser_login(proctor, live_server, "giamthi")
    proctor.goto(live_server(f"/exam/sittings/{day.sitting_id}"))
    code = proctor.inner_text("#board-code").strip()

    hall = new_context().new_page()
    hall.goto(live_server("/exam/board/"))
    hall.fill("#code", "WRONG123")
    submit(hall, "#open-board")
    assert hall.locator(".flash.danger").is_visible()
    hall.fill("#code", code)
    submit(hall, "#open-board")
    hall.wait_for_selector("#board-state[data-state='live']", state="attached")
    assert hall.locator("#board-rows tr").count() == 0 and hall.locator("#board-empty").is_visible()
    hall.set_viewport_size({"width": 700, "height": 700})  # a heading that fills the line up to the button
    assert not hall.evaluate(COVERED_HEADING), "the full-screen button hides part of the board's heading"
    hall.set_viewport_size({"width": 1280, "height": 720})

    with app.app_context():
        placement = admission.login(day.round_id, 2, day.access[2], utcnow())
        token = admission.open_session(placement, "127.0.0.1", utcnow())  # one live session per attempt
        admission.begin(placement, utcnow())
        db.session.commit()  # the log-in's request ends here; the save is a request of its own
        autosave.save_answer(placement.attempt_id, placement.attempt.application_id, 0, 1, utcnow(), token=token, choice=0)
        handing_in.submit(placement.attempt, utcnow())
        db.session.commit()
        number, name = placement.attempt.application.number_label, placement.attempt.application.full_name
        db.session.remove()
    hall.wait_for_selector(f"#board-rows tr[data-number='{number}']", timeout=5_000)  # within 5 s
    assert hall.inner_text("#board-count") == "1"
    text = hall.inner_text("#board")
    assert number in text and name not in text
    assert hall.locator("#board-rows tr").count() == 1
    assert not violations(hall, "results board")  # WCAG 2.1 AA: no serious or critical violation
