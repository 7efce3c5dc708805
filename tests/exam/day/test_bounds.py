"""Numbers from outside stay within what the rules and the database hold: B5's credited time, ids in
URLs, candidate numbers typed at the log-in, and a save's JSON however deeply it nests."""
from __future__ import annotations

from exam.models import ExamTest
from recruitment.extensions import db
from tests.support.candidate import started


def test_credited_time_is_bounded_by_the_test_and_given_only_before_hand_in(day, client, make_user, login):
    """B5: 99,999,999 minutes moved the deadline to the year 7921 and 10**12 answered 500."""
    placement = started(day)
    length = db.session.get(ExamTest, day.test_id).minutes
    login(make_user("chu-tich", "council_chair"))
    path = f"/exam/sittings/placements/{placement.id}/credit"
    for minutes in ("99999999", str(10**12), str(length + 1)):
        assert client.post(path, data={"minutes": minutes, "reason": "mất điện"}).status_code == 302
    db.session.refresh(placement.attempt)
    assert placement.attempt.credited_minutes == 0
    assert client.post(path, data={"minutes": "15", "reason": "mất điện"}).status_code == 302
    db.session.refresh(placement.attempt)
    assert placement.attempt.credited_minutes == 15
    placement.attempt.status = "submitted"
    db.session.commit()
    client.post(path, data={"minutes": "5", "reason": "mất điện"})
    db.session.refresh(placement.attempt)
    assert placement.attempt.credited_minutes == 15


def test_ids_beyond_the_database_range_are_not_found(day, client):
    huge = "99999999999999999999"
    assert client.get(f"/exam/board/{huge}/ABCDEFGH").status_code == 404
    assert client.get(f"/public/results/{huge}/VT-01").status_code == 404


def test_a_huge_candidate_number_at_the_log_in_is_a_form_error(day, client):
    response = client.post("/exam/candidate/login", data={"round_id": str(day.round_id),
                                                          "candidate_number": "99999999999999999999",
                                                          "access_code": "ABCDEF"})
    assert response.status_code == 200


def test_a_save_nested_thousands_deep_gets_400_naming_the_body(day, client):
    started(day)
    number, code = next(iter(day.access.items()))
    client.post("/exam/candidate/login", data={"round_id": str(day.round_id), "candidate_number": str(number),
                                               "access_code": code})
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/exam/candidate/api/answer", data=deep, content_type="application/json")
    assert response.status_code == 400 and response.get_json()["field"] == "body"
