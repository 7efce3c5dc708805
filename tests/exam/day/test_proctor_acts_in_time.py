"""B6/B5: a proctor's sanction and credited minutes belong to the sitting: no sanction days before it
(from the hour the room lets its candidates in), no minutes credited before its clock runs, and no
move to a spare for a test already handed in."""
import pytest

from exam.day import proctoring, seating
from exam.models import Attempt
from recruitment.extensions import db
from recruitment.scores import Round1Result
from tests.support.candidate import placement_of
from tests.support.factories import build_day, staffed


def test_a_proctor_cannot_suspend_a_candidate_days_before_the_sitting(app, tmp_path, make_user, login):
    day = build_day(tmp_path, started_minutes_ago=-3 * 24 * 60)  # the sitting starts in three days
    placement = placement_of(1)
    client = login(staffed(day, make_user("giamthi", "proctor")))
    client.post(f"/exam/sittings/placements/{placement.id}/sanction",
                data={"kind": "suspension", "reason": "nghi vấn", "confirmed": "1"})
    db.session.expire_all()
    attempt = db.session.get(Attempt, placement.attempt_id)
    assert attempt.status == "not_started" and attempt.sanction is None, (attempt.status, attempt.sanction)
    assert db.session.scalar(db.select(Round1Result)) is None  # round 1 not voided before it was sat


def test_no_minutes_are_credited_before_the_sitting_starts(app, tmp_path, make_user):
    day = build_day(tmp_path, started_minutes_ago=-3 * 24 * 60)
    placement = placement_of(1)
    with pytest.raises(seating.Refused):
        proctoring.credit_minutes(placement.attempt, 60, "máy hỏng", staffed(day, make_user("giamthi", "proctor")))


def test_a_candidate_who_has_handed_in_is_not_moved_to_a_spare(app, tmp_path, make_user):
    from exam.day import handing_in
    from exam.day.models import Seat
    from recruitment.database import utcnow
    from tests.support.candidate import started
    day = build_day(tmp_path)
    placement = started(day)
    handing_in.submit(placement.attempt, utcnow())
    db.session.commit()
    spare = db.session.scalar(db.select(Seat).where(Seat.spare.is_(True)))
    with pytest.raises(seating.Refused):  # the console hides the button; the route does not refuse it
        proctoring.move_seat(placement, spare, "thử", staffed(day, make_user("gt", "proctor")))
