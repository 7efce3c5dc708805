"""The waiting hall's results board (B3): the board code, what it shows and hides, the score after
sanctions (B6), unchanged polls answered 304 with one query, and wrong codes throttled per address."""
from __future__ import annotations

from datetime import timedelta

import pytest

from exam.day import admission, autosave, board, handing_in, proctoring, seating
from exam.day.models import Placement, Sitting
from exam.day.standing import count_text, standing
from exam.models import Attempt
from recruitment.database import utcnow
from recruitment.extensions import db
from tests.support.candidate import answer_right, candidate_client, pdf_text, started
from tests.support.factories import staffed
from tests.support.statements import statements_sent

pytestmark = pytest.mark.usefixtures("board_found_afresh")


def _hand_in(day, number: int, correct_slots: int | None = None) -> Attempt:
    """The candidate logs in, answers and hands in (through the exam-day rules, as the API does)."""
    sitting = db.session.get(Sitting, day.sitting_id)
    if sitting.opened_at is None:
        seating.open_sitting(sitting, day.code)
    placement = admission.login(day.round_id, number, day.access[number], utcnow())
    token = admission.open_session(placement, "10.0.0.1", utcnow())  # one live session per attempt, as the log-in opens
    admission.begin(placement, utcnow())
    db.session.commit()  # the log-in's request ends here; each save is a request (and transaction) of its own
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


def test_a_code_typed_in_other_digits_is_a_wrong_code(day, client):
    """hmac.compare_digest refuses a str that is not ASCII (TypeError): "²" or Arabic-Indic digits typed
    as the code, in the form or the address, answered 500 on this public page."""
    for code in ("²", "١٢٣٤", "ĐĐĐĐĐĐĐĐ"):
        assert client.post("/exam/board/", data={"code": code}).status_code == 200, code
        assert client.get(f"/exam/board/{day.sitting_id}/{code}").location.endswith("/exam/board/"), code
    assert _open_board(client, day).status_code == 302


def test_handed_in_candidates_show_number_score_and_result_only(day, client):
    _open_board(client, day)
    attempt = _hand_in(day, 1, correct_slots=8)
    data = client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()
    application = attempt.application
    assert [r["number"] for r in data["rows"]] == [application.number_label]
    row = data["rows"][0]
    assert set(row) == {"number", "correct", "score", "passed", "sanction"}
    body = client.get(f"/exam/board/{day.sitting_id}/results.json").get_data(as_text=True)
    assert application.full_name not in body and application.date_of_birth.strftime("%d/%m/%Y") not in body
    assert application.national_id not in body
    # The other candidates have not handed in (one has begun): they are not on the board.
    placement = admission.login(day.round_id, 2, day.access[2], utcnow())
    admission.begin(placement, utcnow())
    db.session.commit()
    assert len(client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()["rows"]) == 1


def _row(response) -> dict:
    return response.get_json()["rows"][0]


def test_the_board_counts_after_the_sanction_as_the_screen_and_the_slip_do(app, day, client, make_user, login):
    """B6: the board shows the count after the sanction, the figure the candidate's screen and the
    score slip show (RuleSet.count_after_sanction), not another one worked out from the points."""
    placement = started(day)
    assert answer_right(placement.attempt) == 7
    proctoring.sanction(placement.attempt, "warning", "Sử dụng tài liệu", make_user("giamthi", "proctor"))  # -50 %
    db.session.commit()
    screen = candidate_client(app, placement).post("/exam/candidate/api/submit").get_json()
    assert screen["counted_text"] == "3,5" and screen["questions"] == 8 and screen["score"] is None
    slip = pdf_text(login(make_user("nhansu", "hr")).get(f"/exam/sittings/placements/{placement.id}/slip.pdf").data)
    assert "3,5 / 8" in slip
    client.post("/logout")
    _open_board(client, day)
    row = _row(client.get(f"/exam/board/{day.sitting_id}/results.json"))
    assert row["correct"] == "3,5 / 8"  # as on the slip
    assert row["score"] == ""  # a round-1 test has no score on 100 anywhere else either (B2)
    assert row["passed"] is False and row["sanction"] == "cảnh cáo"
    body = client.get(f"/exam/board/{day.sitting_id}/results.json").get_data(as_text=True)
    assert "43,75" not in body  # 7 of 8 on 100, halved: a figure no other page shows


def test_the_count_follows_a_sanction_given_after_hand_in_and_a_suspension_voids_it(day, client, make_user):
    _open_board(client, day)
    attempt = _hand_in(day, 1, correct_slots=8)
    first = client.get(f"/exam/board/{day.sitting_id}/results.json")
    assert _row(first)["correct"] == f"{count_text(standing(attempt).counted)} / 8"
    proctoring.sanction(attempt, "reprimand", "Dùng điện thoại", make_user("gt", "proctor"))  # B6: -25 %
    db.session.commit()
    second = client.get(f"/exam/board/{day.sitting_id}/results.json", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    attempt = db.session.get(Attempt, attempt.id)
    counted = attempt.form.test.round.rules.count_after_sanction(attempt.correct, "reprimand")
    assert _row(second)["correct"] == f"{count_text(counted)} / 8"
    assert _row(second)["passed"] == attempt.passed and _row(second)["sanction"] == "khiển trách"
    proctoring.sanction(attempt, "suspension", "Mang tài liệu", make_user("gt2", "proctor"))
    db.session.commit()
    third = _row(client.get(f"/exam/board/{day.sitting_id}/results.json"))
    assert third["correct"] == "—" and third["passed"] is False and third["sanction"] == "đình chỉ thi"


def test_an_unchanged_poll_is_a_304_after_one_query(day, client, app):
    _open_board(client, day)
    _hand_in(day, 1, correct_slots=3)
    first = client.get(f"/exam/board/{day.sitting_id}/results.json")
    with statements_sent() as statements:
        again = client.get(f"/exam/board/{day.sitting_id}/results.json", headers={"If-None-Match": first.headers["ETag"]})
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


def _shown(rows: list[dict], attempt: Attempt) -> dict:
    return next(r for r in rows if r["number"] == db.session.get(Attempt, attempt.id).application.number_label)


def test_rows_built_one_grading_at_a_time_match_the_whole_list_built_again(day, client, make_user):
    """Each worker builds a row once, when its attempt is graded (the hand-in peak changes the version at
    every poll): after hand-ins, a sanction, a suspension and a grading committed long after a later
    one, the board shows what building it all again shows."""
    _open_board(client, day)

    def rows():
        incremental = client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()
        board._BUILT.clear()  # noqa: SLF001 - every row built again, from the database alone
        again = client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()
        assert incremental == again
        return incremental["rows"]

    first = _hand_in(day, 1, correct_slots=8)
    numbers = [first.application.number_label]
    assert [r["number"] for r in rows()] == numbers
    client.get(f"/exam/board/{day.sitting_id}/results.json")  # this worker holds the first row
    numbers.append(_hand_in(day, 2, correct_slots=2).application.number_label)
    assert [r["number"] for r in rows()] == sorted(numbers)
    proctoring.sanction(first, "reprimand", "Dùng điện thoại", make_user("gt", "proctor"))  # re-graded (B6)
    db.session.commit()
    assert _shown(rows(), first)["sanction"] == "khiển trách"
    proctoring.sanction(db.session.get(Attempt, first.id), "suspension", "Mang tài liệu", make_user("gt2", "proctor"))
    db.session.commit()
    assert _shown(rows(), first)["correct"] == "—"
    late = _hand_in(day, 3, correct_slots=1)
    numbers.append(late.application.number_label)
    # Graded an hour before the latest grading this worker has seen, committed after it.
    db.session.execute(db.update(Attempt).where(Attempt.id == late.id).values(graded_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert [r["number"] for r in client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()["rows"]] == sorted(numbers)


def test_a_worker_takes_the_version_it_found_for_a_second_then_asks_again(day, client, monkeypatch):
    """However many screens poll a worker, it asks the database at most once a second per board: polls
    within the second cost no query (a hand-in meanwhile waits for the second to pass); the first poll
    after it shows the hand-in."""
    monkeypatch.setattr(board, "VERSION_FRESH_SECONDS", 1.0)
    clock = [1000.0]
    monkeypatch.setattr(board, "_clock", lambda: clock[0])
    _open_board(client, day)
    _hand_in(day, 1, correct_slots=3)
    first = client.get(f"/exam/board/{day.sitting_id}/results.json")
    _hand_in(day, 2)
    clock[0] += 0.9
    with statements_sent() as statements:
        within = client.get(f"/exam/board/{day.sitting_id}/results.json", headers={"If-None-Match": first.headers["ETag"]})
    assert within.status_code == 304 and not statements  # the version found 0.9 s ago
    clock[0] += 0.2
    after = client.get(f"/exam/board/{day.sitting_id}/results.json", headers={"If-None-Match": first.headers["ETag"]})
    assert after.status_code == 200 and after.get_json()["count"] == 2


def test_a_worker_takes_its_version_for_less_than_a_screens_poll_interval():
    """A screen polls POLL_SECONDS after its last answer, so a version found within the last
    VERSION_FRESH_SECONDS on any worker is never older than the one the screen shows: it never goes back."""
    assert board.VERSION_FRESH_SECONDS < board.POLL_SECONDS


def test_a_new_version_builds_only_the_rows_graded_since(day, client, monkeypatch):
    _open_board(client, day)
    _hand_in(day, 1, correct_slots=3)
    _hand_in(day, 2)
    assert client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()["count"] == 2
    built: list[int] = []
    real = board._build
    monkeypatch.setattr(board, "_build", lambda kept, rules, total, ids: (built.extend(ids), real(kept, rules, total, ids)))
    latest = _hand_in(day, 3, correct_slots=1)
    assert client.get(f"/exam/board/{day.sitting_id}/results.json").get_json()["count"] == 3
    assert built == [latest.id]
