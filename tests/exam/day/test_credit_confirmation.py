"""Credited minutes are never taken back (B5): the first post names the new deadline and credits
nothing, the confirmed one credits them; the audit keeps the deadline before and after."""
import json

from exam.models import Attempt
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from tests.support.candidate import started
from tests.support.factories import build_day, staffed


def test_credited_minutes_ask_for_a_confirmation_and_are_audited_with_the_deadline(app, tmp_path, make_user, login):
    day = build_day(tmp_path)
    placement = started(day)
    client = login(staffed(day, make_user("gt", "proctor")))
    first = client.post(f"/exam/sittings/placements/{placement.id}/credit",
                        data={"minutes": 50, "reason": "Máy treo"})  # 50 typed for 5
    db.session.expire_all()
    assert db.session.get(Attempt, placement.attempt_id).credited_minutes == 0, "credited at the first post"
    assert first.status_code == 200 and 'name="confirmed"' in first.get_data(as_text=True)


def test_credited_minutes_are_audited_with_the_deadline_before_and_after(app, tmp_path, make_user, login):
    day = build_day(tmp_path)
    placement = started(day)
    client = login(staffed(day, make_user("gt", "proctor")))
    client.post(f"/exam/sittings/placements/{placement.id}/credit",
                data={"minutes": 5, "reason": "Máy treo", "confirmed": "1"})
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="incident_time_credited"))
    assert entry.before is not None and "deadline" in json.loads(entry.before), (entry.before, entry.after)


def test_replacing_a_recorded_result_asks_for_a_confirmation_first(app, client, make_user, login, tmp_path):
    from decimal import Decimal

    from exam.day.models import Placement
    from recruitment.models import Application
    from recruitment.scores import Round1Result
    from tests.support.candidate import sitting_in

    day = build_day(tmp_path)
    attempt = sitting_in(client, day, 1)
    application = db.session.scalar(db.select(Application).filter_by(candidate_number=1))
    kept = Round1Result(application_id=application.id, part="general", correct=Decimal(45), total=60, source="import")
    db.session.add(kept)
    db.session.commit()
    assert client.post("/exam/candidate/api/submit").status_code == 200  # held: the recorded result stays
    placement = db.session.scalar(db.select(Placement).filter_by(attempt_id=attempt.id))
    chair = login(make_user("chutich", "council_chair"))
    first = chair.post(f"/exam/sittings/placements/{placement.id}/replace-result",
                       data={"reason": "Thí sinh thi trên máy theo quyết định của Hội đồng"})
    db.session.expire_all()
    assert (db.session.get(Round1Result, kept.id).correct, db.session.get(Round1Result, kept.id).source) == (45, "import")
    assert 'name="confirmed"' in first.get_data(as_text=True)
