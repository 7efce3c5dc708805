"""Numbers from outside stay within what the rules and the database hold: B5's credited time, ids in
URLs, candidate numbers typed at the log-in, and a save's JSON however deeply it nests."""
from __future__ import annotations

from exam.day.models import Sitting
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
    assert client.post(path, data={"minutes": "15", "reason": "mất điện"}).status_code == 200  # its confirmation
    assert client.post(path, data={"minutes": "15", "reason": "mất điện", "confirmed": "1"}).status_code == 302
    db.session.refresh(placement.attempt)
    assert placement.attempt.credited_minutes == 15
    placement.attempt.status = "submitted"
    db.session.commit()
    client.post(path, data={"minutes": "5", "reason": "mất điện"})
    db.session.refresh(placement.attempt)
    assert placement.attempt.credited_minutes == 15


def test_no_time_is_credited_once_the_deadline_has_passed(app, day, make_user):
    """B4: the test is collected at its deadline. Collection is done by whatever request comes next, so
    a test past its deadline may still read in progress for a while; minutes credited then moved its
    deadline back into the future and the candidate changed answers again (a second reviewer's finding)."""
    from datetime import timedelta

    from exam.models import Attempt
    from recruitment.database import utcnow
    from tests.support.auth import login_as
    from tests.support.candidate import layout, placement_of, sitting_in
    from tests.support.client import client_from
    from tests.support.factories import staffed

    candidate = client_from(app, "10.0.0.31")
    attempt = sitting_in(candidate, day)
    slot, _shown, _fill = layout(attempt)
    assert candidate.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 1, "choice": 0}).status_code == 200
    past = utcnow() - timedelta(minutes=3)  # the sitting's time is over, and nothing has collected it yet
    db.session.get(Sitting, day.sitting_id).ends_at = past
    db.session.get(Attempt, attempt.id).deadline = past
    db.session.commit()
    proctor = client_from(app, "10.0.0.99")
    login_as(proctor, staffed(day, make_user("gt", "proctor")))
    answered = proctor.post(f"/exam/sittings/placements/{placement_of(1).id}/credit",
                            data={"minutes": "10", "reason": "máy treo"}, follow_redirects=True)
    assert "B4" in answered.get_data(as_text=True)  # refused, and why
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).credited_minutes == 0
    assert candidate.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 2, "choice": 1}).status_code == 409


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


def test_a_sittings_rooms_are_bounded_and_named_once(day, client, make_user, login):
    """G3: a room is a lab of computers. 'A:100000000:0' made the server add a hundred million seats;
    a name longer than the column answered 500 on PostgreSQL. Each refusal names the room, and nothing
    is created."""
    from flask_babel import force_locale

    login(make_user("hr-rooms", "hr"))
    form = {"test_id": day.test_id, "name": "Ca thử", "starts_at": "2026-12-05T14:00"}
    before = db.session.scalar(db.select(db.func.count()).select_from(Sitting))
    for rooms, named in (("A:100000000:0", "A"), ("A:20:1, B:-3:0", "B"), ("A:20:100000", "A"),
                         ("A:20:1, A:10:1", "A"), (f"{'P' * 101}:20:1", "P" * 20), (":20:1", "20"), ("", ""),
                         ("A:hai:1", "A"), ("A:²:0", "A"), ("A:" + "9" * 5000 + ":0", "A")):
        with force_locale("vi"):
            page = client.post("/exam/sittings/new", data={**form, "rooms": rooms}, follow_redirects=True)
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and ("Phòng" in text or "phòng" in text), (rooms, text[:300])
        assert named in text, rooms
    assert db.session.scalar(db.select(db.func.count()).select_from(Sitting)) == before
    assert client.post("/exam/sittings/new", data={**form, "rooms": "P301:30:2, P302:30:2"}).status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(Sitting)) == before + 1


def test_a_sittings_start_is_a_moment_the_calendar_holds(day, client, make_user, login):
    """0001-01-01T00:00 in Vietnam's time is before the year 1 in UTC: stored_utc raised OverflowError
    (a 500), and 9999-12-31T23:59 took the deadline past the year 9999. Either is refused as a start
    that is not one; nothing is created."""
    login(make_user("hr-start", "hr"))
    form = {"test_id": day.test_id, "name": "Ca thử", "rooms": "P301:30:2"}
    before = db.session.scalar(db.select(db.func.count()).select_from(Sitting))
    for starts in ("0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T08:00", "2026-02-31T08:00", "9999-99-99T99:99"):
        page = client.post("/exam/sittings/new", data={**form, "starts_at": starts}, follow_redirects=True)
        assert page.status_code == 200 and "Nhập thời điểm bắt đầu" in page.get_data(as_text=True), starts
    assert db.session.scalar(db.select(db.func.count()).select_from(Sitting)) == before


def test_ids_beyond_the_database_range_in_a_form_are_not_found(day, client, make_user, login):
    """As in URLs: a seat id of twenty digits reached the database and answered 500 (a second reviewer's
    finding); the forms that name a record by its id take the same bound."""
    from tests.support.factories import staffed

    placement = started(day)
    login(staffed(day, make_user("gt", "proctor")))
    huge = "99999999999999999999"
    assert client.post(f"/exam/sittings/placements/{placement.id}/move",
                       data={"seat_id": huge, "reason": "máy hỏng"}).status_code == 404
    login(make_user("chu-tich", "council_chair"))
    assert client.post("/exam/sittings/new", data={"test_id": huge}).status_code == 404


def test_lists_of_ids_in_a_form_skip_what_is_not_an_id(day, client, make_user, login):
    """str.isdigit() takes "²" (which int() refuses) and twenty digits (which the database cannot
    bind): a board's members, the questions approved together and a photo named so answered 500."""
    huge = "99999999999999999999"
    head = make_user("truong-ban", "interviewer")
    login(make_user("nhansu", "hr"))
    assert client.post("/interviews/boards/new", data={"round_id": str(day.round_id), "head_id": str(head.id),
                                                       "name": "Ban 1", "member_ids": ["²", huge]}).status_code == 302
    login(make_user("soan-de", "question_setter"))
    assert client.post("/questions/review/approve", data={"question": ["²", huge]}).status_code == 302


def test_a_photo_named_with_superscript_digits_names_no_candidate(day):
    import io as _io

    from PIL import Image

    from recruitment import photos
    from recruitment.models import Round
    from recruitment.tabular import ImportRejected

    out = _io.BytesIO()
    Image.new("RGB", (40, 50), "navy").save(out, "PNG")
    try:
        photos.import_photos(db.session.get(Round, day.round_id), [("²³.png", out.getvalue())], dry_run=True)
    except ImportRejected as refused:
        assert "²³.png" in str(refused.errors[0].message)
    else:
        raise AssertionError("a photo that names no candidate was taken")
