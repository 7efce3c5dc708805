"""The results board's version (its ETag, and what a worker's cached body is kept for) changes with
every re-grade that commits, whatever the clocks: a grading takes its server's clock before it
queues to commit, so one may commit after another stamped later, or come from a server whose clock
is behind. The version was the latest grading time, which then did not move: every screen kept the
score from before the sanction (B6), and a screen opened fresh got it too."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from exam import scoring
from exam.day import admission, board, handing_in, proctoring, sanctions, seating
from exam.day.models import Sitting
from exam.day.standing import standing
from exam.models import Attempt
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import User
from tests.support.candidate import answer_right
from tests.support.pg import using_postgres

pytestmark = pytest.mark.usefixtures("board_found_afresh")


def _hand_in(day, number: int) -> int:
    sitting = db.session.get(Sitting, day.sitting_id)
    if sitting.opened_at is None:
        seating.open_sitting(sitting, day.code)
    placement = admission.login(day.round_id, number, day.access[number], utcnow())
    admission.open_session(placement, "10.0.0.1", utcnow())
    admission.begin(placement, utcnow())
    db.session.commit()
    assert answer_right(placement.attempt) == 7
    db.session.commit()
    handing_in.submit(placement.attempt, utcnow())
    db.session.commit()
    return placement.attempt_id


def _rows(client, day, etag=None):
    return client.get(f"/exam/board/{day.sitting_id}/results.json", headers={"If-None-Match": etag} if etag else {})


def _expected(attempt_id):
    db.session.expire_all()
    return f"{standing(db.session.get(Attempt, attempt_id)).counted_text} / 8"


def _correct_shown(response, attempt_id):
    number = db.session.get(Attempt, attempt_id).application.number_label
    return next(r for r in response.get_json()["rows"] if r["number"] == number)["correct"]


def test_a_regrade_stamped_by_a_server_whose_clock_is_behind_reaches_the_board(day, app, client, make_user, monkeypatch):
    proctor = make_user("giamthi", "proctor")
    first, _later = _hand_in(day, 1), _hand_in(day, 2)
    client.post("/exam/board/", data={"code": board.board_code(day.sitting_id)})
    polled = _rows(client, day)
    assert _correct_shown(polled, first) == _expected(first)
    with monkeypatch.context() as behind:
        behind.setattr(scoring, "utcnow", lambda: utcnow() - timedelta(seconds=1))
        proctoring.sanction(db.session.get(Attempt, first), "warning", "Dùng điện thoại", proctor)
        db.session.commit()
    again = _rows(client, day, polled.headers["ETag"])
    assert again.status_code == 200, "304: every screen kept the count before the warning"
    assert _correct_shown(again, first) == _expected(first)
    fresh = app.test_client()
    fresh.post("/exam/board/", data={"code": board.board_code(day.sitting_id)})
    assert _correct_shown(_rows(fresh, day), first) == _expected(first)


@pytest.mark.skipif(not using_postgres(), reason="two re-grades in flight at once: PostgreSQL's row locks")
def test_a_withdrawal_committed_after_another_sanction_reaches_the_board(day, app, client, make_user):
    """sanctions.withdraw re-grades (taking its time) before it appends to the audit chain, whose
    head is locked until the sanction on another candidate commits: stamped first, committed last."""
    chair, proctor = make_user("chutich", "council_chair"), make_user("giamthi", "proctor")
    first, second = _hand_in(day, 1), _hand_in(day, 2)
    proctoring.sanction(db.session.get(Attempt, first), "warning", "Dùng điện thoại", proctor)
    db.session.commit()
    client.post("/exam/board/", data={"code": board.board_code(day.sitting_id)})
    assert _correct_shown(_rows(client, day), first) == _expected(first)
    chair_id = chair.id
    db.session.commit()
    graded, go, failure = threading.Event(), threading.Event(), []
    real_record = sanctions.audit.record

    def record_after_the_other(*args, **kwargs):
        if threading.current_thread().name == "withdrawal":
            graded.set()
            go.wait(20)
        return real_record(*args, **kwargs)

    def withdrawal():
        try:
            with app.app_context():
                sanctions.withdraw(db.session.get(Attempt, first), "Ghi nhầm thí sinh", db.session.get(User, chair_id))
                db.session.commit()
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failure.append(error)
            graded.set()

    sanctions.audit.record = record_after_the_other
    try:
        worker = threading.Thread(target=withdrawal, name="withdrawal")
        worker.start()
        assert graded.wait(20)
        proctoring.sanction(db.session.get(Attempt, second), "reprimand", "Nói chuyện", proctor)
        db.session.commit()
        polled = _rows(client, day)
        go.set()
        worker.join(20)
    finally:
        sanctions.audit.record = real_record
        go.set()
    assert not failure, failure
    db.session.expire_all()
    assert db.session.get(Attempt, first).sanction is None
    again = _rows(client, day, polled.headers["ETag"])
    assert again.status_code == 200, "304: the screens kept the count after the withdrawn warning"
    assert _correct_shown(again, first) == _expected(first)
