"""Issue "Exam day you can trust", item 3: a recorded round-1 result is never silently overwritten.
An attempt opens only for a candidate with no recorded result for the test, unless the chair ordered
a retake (B5); a graded attempt that meets a recorded result is held for the chair, who replaces it
only with a reason, audited with before and after."""
from __future__ import annotations

from decimal import Decimal

from exam.day import proctoring, seating
from exam.day.models import Incident, Placement, Sitting
from exam.models import Attempt
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import Round1Result
from tests.support.candidate import candidate_login, open_sitting, shows_the_exam, sitting_in
from tests.support.factories import staffed


def _import_result(number: int, correct: int = 45) -> Round1Result:
    application = db.session.scalar(db.select(Application).filter_by(candidate_number=number))
    result = Round1Result(application_id=application.id, part="general", correct=Decimal(correct), total=60,
                          source="import")
    db.session.add(result)
    db.session.commit()
    return result


def test_a_candidate_with_a_recorded_result_cannot_open_an_attempt(day, client):
    _import_result(1)
    open_sitting(day)
    refused = candidate_login(client, day, 1)
    assert not shows_the_exam(refused)
    assert refused.status_code == 200 and "recorded" in refused.get_data(as_text=True) or "đã được ghi" in \
        refused.get_data(as_text=True)
    assert db.session.scalar(db.select(Attempt.status).where(Attempt.application.has(candidate_number=1))) == "not_started"


def test_a_retake_ordered_by_the_chair_opens_even_with_a_recorded_result(day, client, make_user):
    placement = db.session.scalar(db.select(Placement).join(Attempt).where(Attempt.application.has(candidate_number=1)))
    retake = proctoring.void_for_retake(placement.attempt, "máy hỏng, làm lại (B5)", make_user("ct_r", "council_chair"))
    _import_result(1)  # e.g. the absent mark of the first sitting
    sitting = db.session.get(Sitting, day.sitting_id)
    second, code = seating.create_sitting(sitting.test, "Ca thi lại", sitting.starts_at, sitting.ends_at,
                                        [seating.RoomPlan("P9", 2, 0)])
    codes = seating.issue_access_codes(second)
    db.session.commit()
    moved = db.session.scalar(db.select(Placement).filter_by(attempt_id=retake.id))
    assert shows_the_exam(candidate_login(client, day, 1, code=codes[moved.id]))


def test_a_graded_attempt_never_silently_replaces_a_recorded_result_and_the_chair_replaces_it_with_a_reason(
        day, client, make_user, login):
    attempt = sitting_in(client, day, 1)  # in the room when the paper result arrives
    recorded = _import_result(1, correct=45)
    assert client.post("/exam/candidate/api/submit").status_code == 200
    db.session.expire_all()
    kept = db.session.get(Round1Result, recorded.id)
    assert (kept.correct, kept.source) == (Decimal(45), "import")
    assert db.session.scalar(db.select(Incident).filter_by(attempt_id=attempt.id, kind="result_held")) is not None
    placement = db.session.scalar(db.select(Placement).filter_by(attempt_id=attempt.id))
    proctor = login(staffed(day, make_user("gt_r", "proctor")))
    assert proctor.post(f"/exam/sittings/placements/{placement.id}/replace-result",
                        data={"reason": "x"}).status_code in (302, 403)
    assert db.session.get(Round1Result, recorded.id).source == "import"
    chair = login(make_user("ct_h", "council_chair"))
    page = chair.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert f"/exam/sittings/placements/{placement.id}/replace-result" in page
    chair.post(f"/exam/sittings/placements/{placement.id}/replace-result", data={"reason": ""})
    assert db.session.get(Round1Result, recorded.id).source == "import"  # no reason, no change
    # Irreversible: the first post names the result that goes and the one that takes its place.
    reason = "Thí sinh thi trên máy theo quyết định của Hội đồng"
    first = chair.post(f"/exam/sittings/placements/{placement.id}/replace-result", data={"reason": reason})
    db.session.expire_all()
    assert db.session.get(Round1Result, recorded.id).source == "import"
    assert 'name="confirmed"' in first.get_data(as_text=True) and "45 / 60" in first.get_data(as_text=True)
    chair.post(f"/exam/sittings/placements/{placement.id}/replace-result", data={"reason": reason, "confirmed": "1"})
    db.session.expire_all()
    replaced = db.session.get(Round1Result, recorded.id)
    assert replaced.source == "computer" and replaced.correct == db.session.get(Attempt, attempt.id).correct
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="round1_result_replaced"))
    assert entry is not None and "45" in entry.before and entry.reason.startswith("Thí sinh")


def test_a_held_result_s_incident_follows_the_grading_it_reports_in_the_audit_chain(day, client):
    """The chain reads as it happened: the grading (its result held), then the incident for the
    chair that reports it, then the hand-in."""
    attempt = sitting_in(client, day, 1)
    _import_result(1, correct=45)
    assert client.post("/exam/candidate/api/submit").status_code == 200
    db.session.expire_all()
    order = [action for action, in db.session.execute(db.select(AuditEntry.action).where(
        AuditEntry.action.in_(("result_held", "attempts_graded", "incident_result_held", "attempt_submitted")),
        (AuditEntry.object_id == str(attempt.id)) | (AuditEntry.action == "attempts_graded")).order_by(AuditEntry.seq))]
    assert order == ["result_held", "attempts_graded", "incident_result_held", "attempt_submitted"], order
