"""What the sitting form and the room's address range take: a start already past is refused (B4: the
first look after its end would record every seated candidate absent), and names or ranges longer
than their columns are refused in words, never a 500; a room's name is kept on one line."""
from datetime import timedelta

from sqlalchemy import func, select

from exam import blueprints, form_draws
from exam.day.models import Room, Sitting
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.i18n import local_time
from recruitment.scores import Round1Result
from tests.support.factories import build_day, round_with_bank, small_test, staffed


def _drawn_test(make_user, tmp_path):
    author, reviewer = make_user("soan", "question_setter"), make_user("duyet", "question_setter")
    test = small_test(round_with_bank(tmp_path, author.id, reviewer.id))
    blueprints.activate(test)
    form_draws.draw_test(test.id)
    db.session.commit()
    return test


def _typed(moment):
    return local_time(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_sitting_whose_start_has_passed_is_refused(app, make_user, login, tmp_path):
    test = _drawn_test(make_user, tmp_path)
    hr = login(make_user("nhansu", "hr"))
    answer = hr.post("/exam/sittings/new", data={"test_id": test.id, "starts_at": _typed(utcnow() - timedelta(days=1)),
                                                 "rooms": "P1:12:2"}, follow_redirects=True)
    assert db.session.scalar(select(func.count()).select_from(Sitting)) == 0
    assert "đã qua" in answer.get_data(as_text=True)
    hr.get("/exam/sittings/")
    assert db.session.scalar(select(func.count()).select_from(Round1Result)) == 0  # nobody recorded absent


def test_a_sitting_in_the_future_is_created(app, make_user, login, tmp_path):
    test = _drawn_test(make_user, tmp_path)
    hr = login(make_user("nhansu", "hr"))
    hr.post("/exam/sittings/new", data={"test_id": test.id, "starts_at": _typed(utcnow() + timedelta(days=1)),
                                        "rooms": "P1:12:2"})
    assert db.session.scalar(select(func.count()).select_from(Sitting)) == 1


def test_a_long_sitting_name_is_refused_in_words(app, make_user, login, tmp_path):
    test = _drawn_test(make_user, tmp_path)
    hr = login(make_user("nhansu", "hr"))
    answer = hr.post("/exam/sittings/new", data={"test_id": test.id, "name": "Ca chiều " * 40, "rooms": "P1:12:2",
                                                 "starts_at": _typed(utcnow() + timedelta(days=1))})
    assert answer.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Sitting)) == 0


def test_a_room_name_is_kept_on_one_line_with_plain_spaces(app, make_user, login, tmp_path):
    test = _drawn_test(make_user, tmp_path)
    hr = login(make_user("nhansu", "hr"))
    hr.post("/exam/sittings/new", data={"test_id": test.id, "rooms": "P301\nA:20:1, Phòng\xa0102:10:1",
                                        "starts_at": _typed(utcnow() + timedelta(days=1))})
    assert sorted(db.session.scalars(select(Room.name))) == ["P301 A", "Phòng 102"]
    room = db.session.scalar(select(Room).filter_by(name="P301 A"))
    assert hr.get(f"/exam/sittings/{room.sitting_id}/rooms/{room.id}/results.csv").status_code == 200


def test_a_lab_listed_computer_by_computer_is_kept_as_networks(app, tmp_path, make_user, login):
    day = build_day(tmp_path)
    client = login(staffed(day, make_user("kt", "technician")))
    room = db.session.scalar(db.select(Room).filter_by(sitting_id=day.sitting_id))
    lab = ", ".join(f"10.1.2.{n}" for n in range(1, 61))
    assert client.post(f"/exam/sittings/rooms/{room.id}/addresses", data={"address_range": lab}).status_code == 302
    db.session.refresh(room)
    assert room.address_range.startswith("10.1.2.1/32, 10.1.2.2/31")
    scattered = ", ".join(f"10.{n}.{n}.{n}" for n in range(1, 61))  # no two neighbours
    assert client.post(f"/exam/sittings/rooms/{room.id}/addresses", data={"address_range": scattered}).status_code == 302
    db.session.refresh(room)
    assert room.address_range.startswith("10.1.2.1/32")  # refused in words, the range kept
