"""B5 + B6: a warning recorded during the test stands when the chair voids the test for a retake: the
retake's attempt carries the sanction, and is graded and recorded with it."""
from datetime import timedelta

from exam.day import admission, handing_in, proctoring, seating
from exam.day.models import Placement, Sitting
from exam.models import Attempt
from recruitment.extensions import db
from recruitment.models import User
from recruitment.scores import Round1Result
from tests.support.candidate import answer_right, started
from tests.support.factories import build_day, staffed


def test_a_void_for_a_retake_does_not_wipe_a_recorded_warning(app, tmp_path, make_user):
    day = build_day(tmp_path)
    placement = started(day)
    answer_right(placement.attempt)  # 7 of 8 right; the warning leaves 3.5, below the pass mark of 4 (B2, B6)
    proctoring.sanction(placement.attempt, "warning", "Sử dụng tài liệu", staffed(day, make_user("gt", "proctor")))
    db.session.commit()
    retake = proctoring.void_for_retake(placement.attempt, "Máy hỏng", make_user("ct", "council_chair"))
    db.session.commit()
    # the retake's sitting; the candidate sits it and answers every choice question right
    first = db.session.get(Sitting, day.sitting_id)
    again, code = seating.create_sitting(first.test, "Ca thi lại", first.starts_at, first.ends_at,
                                         [seating.RoomPlan("P9", 2, 0)])
    seating.open_sitting(again, code)
    moved = db.session.scalar(db.select(Placement).filter_by(attempt_id=retake.id))
    admission.begin(moved, again.starts_at + timedelta(minutes=1))
    answer_right(retake)
    handing_in.submit(retake, again.starts_at + timedelta(minutes=30))
    db.session.commit()
    result = db.session.scalar(db.select(Round1Result).filter_by(application_id=retake.application_id))
    assert db.session.get(Attempt, retake.id).sanction == "warning", "the warning is gone after the retake"
    assert result.sanction == "warning", (result.correct, result.sanction)
    assert db.session.get(Attempt, retake.id).passed is False  # today: 7 of 8 counted whole, passed


def test_a_sanction_withdrawn_on_the_voided_test_is_withdrawn_from_its_retake(app, tmp_path, make_user):
    from exam.day import sanctions

    day = build_day(tmp_path)
    placement = started(day)
    proctoring.sanction(placement.attempt, "warning", "Sử dụng tài liệu", staffed(day, make_user("gt", "proctor")))
    db.session.commit()
    chair = make_user("ct", "council_chair")
    retake = proctoring.void_for_retake(placement.attempt, "Máy hỏng", chair)
    db.session.commit()
    sanctions.withdraw(placement.attempt, "Ghi nhầm thí sinh", chair)
    db.session.commit()
    assert db.session.get(Attempt, retake.id).sanction is None
    assert db.session.get(Attempt, placement.attempt_id).sanction is None


def test_the_console_offers_the_chair_the_withdrawal_on_a_voided_test(app, tmp_path, make_user, login, client):
    """Before the retake is seated, the voided test's row is where the chair sees the sanction: the
    withdrawal is offered there, and lifts it from the retake too."""
    day = build_day(tmp_path)
    placement = started(day)
    proctoring.sanction(placement.attempt, "warning", "Sử dụng tài liệu", staffed(day, make_user("gt", "proctor")))
    db.session.commit()
    retake = proctoring.void_for_retake(placement.attempt, "Máy hỏng", make_user("ct", "council_chair"))
    db.session.commit()
    login(db.session.scalar(db.select(User).filter_by(username="ct")))
    url = f"/exam/sittings/placements/{placement.id}/sanction/withdraw"
    page = client.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert f'action="{url}"' in page, "no withdrawal on the voided test's row"
    client.post(url, data={"reason": "Ghi nhầm thí sinh"})
    db.session.expire_all()
    assert db.session.get(Attempt, retake.id).sanction is None
    assert db.session.get(Attempt, placement.attempt_id).sanction is None
