"""The waiting hall's results board (B3): the board code, what it shows and hides, the score after
sanctions (B6), unchanged polls answered 304 with one query, and wrong codes throttled per address."""
from __future__ import annotations

from sqlalchemy import event

from exam.day import admission, autosave, board, handing_in, proctoring, seating
from exam.day.models import Placement, Sitting
from exam.models import Attempt
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.factories import staffed


def _hand_in(day, number: int, correct_slots: int | None = None) -> Attempt:
    """The candidate logs in, answers and hands in (through the exam-day rules, as the API does)."""
    sitting = db.session.get(Sitting, day.sitting_id)
    if sitting.opened_at is None:
        seating.open_sitting(sitting, day.code)
    placement = admission.login(day.round_id, number, day.access[number], utcnow())
    token = admission.open_session(placement, "10.0.0.1", utcnow())  # one live session per attempt, as the log-in opens
    admission.begin(placement, utcnow())
    for slot in range(correct_slots or 0):
        autosave.save_answer(placement.attempt_id, placement.attempt.application_id, slot, 1, utcnow(), token=token,
                          choice=0)
    handing_in.submit(placement.attempt, utcnow())
    db.session.commit()
    return placement.attempt


def _open_board(client, day):
    code = board.board_code(day.sitting_id)
    return client.post("/exam/board/", data={"code": code.lower()})  # typed in lower case on the hall's keyboard


def test_the_board_code_is_derived_shown_on_the_console_and_opens_the_board(day, client, make_user, login):
    code = board.board_code(day.sitting_id)
    assert len(code) == 8 and code == board.board_code(day.sitting_id) != board.board_code(day.sitting_id + 1)
    login(staffed(day, make_user("gt", "proctor")))
    assert code in client.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    client.post("/logout")
    assert client.get(f"/exam/board/{day.sitting_id}/results.json").status_code == 403  # not opened here
    response = _open_board(client, day)
    assert response.location.endswith(f"/exam/board/{day.sitting_id}")
    assert client.get(f"/exam/board/{day.sitting_id}").status_code == 200
    assert client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()["rows"] == []  # nothing before hand-in


def test_the_board_opens_by_path_with_its_code(day, client):
    wrong = client.get(f"/exam/board/{day.sitting_id}/AAAAAAAA")
    assert wrong.location.endswith("/exam/board/")
    assert client.get(f"/exam/board/{day.sitting_id}/results.json").status_code == 403
    right = client.get(f"/exam/board/{day.sitting_id}/{board.board_code(day.sitting_id)}")
    assert right.location.endswith(f"/exam/board/{day.sitting_id}")
    assert client.get(f"/exam/board/{day.sitting_id}/results.json").status_code == 200


def test_handed_in_candidates_show_number_score_and_result_only(day, client):
    _open_board(client, day)
    attempt = _hand_in(day, 1, correct_slots=8)
    data = client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()
    application = attempt.application
    assert [r["number"] for r in data["rows"]] == [application.number_label]
    row = data["rows"][0]
    assert set(row) == {"number", "score", "passed", "sanction"}
    body = client.get(f"/exam/board/{day.sitting_id}/results.json").get_data(as_text=True)
    assert application.full_name not in body and application.date_of_birth.strftime("%d/%m/%Y") not in body
    assert application.national_id not in body
    # The other candidates have not handed in (one has begun): they are not on the board.
    placement = admission.login(day.round_id, 2, day.access[2], utcnow())
    admission.begin(placement, utcnow())
    db.session.commit()
    assert len(client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()["rows"]) == 1


def test_the_score_is_after_the_sanction_and_follows_a_sanction_given_after_hand_in(day, client, make_user):
    _open_board(client, day)
    attempt = _hand_in(day, 1, correct_slots=8)
    correct = float(attempt.correct)
    first = client.get(f"/exam/board/{day.sitting_id}/results.json")
    score = lambda r: float(r.get_json()["rows"][0]["score"].replace(",", "."))  # noqa: E731
    assert score(first) == round(correct / 8 * 100, 2)
    proctoring.sanction(attempt, "warning", "Dùng điện thoại", make_user("gt", "proctor"))  # B6: -50%
    db.session.commit()
    second = client.get(f"/exam/board/{day.sitting_id}/results.json", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    assert score(second) == round(correct / 8 * 100 * 0.5, 2)
    assert second.get_json()["rows"][0]["passed"] == db.session.get(Attempt, attempt.id).passed
    assert second.get_json()["rows"][0]["sanction"] == "cảnh cáo"


def test_an_unchanged_poll_is_a_304_after_one_query(day, client, app):
    _open_board(client, day)
    _hand_in(day, 1, correct_slots=3)
    first = client.get(f"/exam/board/{day.sitting_id}/results.json")
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        again = client.get(f"/exam/board/{day.sitting_id}/results.json", headers={"If-None-Match": first.headers["ETag"]})
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert again.status_code == 304 and again.data == b""
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1
    _hand_in(day, 2)
    assert client.get(f"/exam/board/{day.sitting_id}/results.json",
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 200


def test_an_absent_or_voided_candidate_is_not_shown(day, client, make_user):
    _open_board(client, day)
    placement = db.session.scalar(db.select(Placement).join(Attempt).where(Attempt.status == "not_started").limit(1))
    proctoring.void_for_retake(placement.attempt, "Máy hỏng", make_user("ct", "council_chair"))
    db.session.commit()
    assert client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()["rows"] == []


def test_wrong_codes_are_throttled_per_address(day, client):
    for _ in range(board.WRONG_CODES_LIMIT):
        assert client.post("/exam/board/", data={"code": "WRONGCOD"}).status_code == 200
    assert _open_board(client, day).status_code == 429  # even the right code, once the address is over the limit
    assert client.get(f"/exam/board/{day.sitting_id}/{board.board_code(day.sitting_id)}").status_code == 429
    other = client.post("/exam/board/", data={"code": board.board_code(day.sitting_id)},
                        environ_overrides={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 302
