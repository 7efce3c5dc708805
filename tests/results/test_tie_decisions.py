"""Issue 15: the chair's tie decision is an operation (service.decide_tie) that refuses a candidate
who is not tied at the last place, before anything is recorded (E3)."""
from __future__ import annotations

import pytest

from recruitment import errors
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.models import Application, Round
from recruitment.scores import Round2Score
from results import service
from tests.support.demo_cache import demo_loaded


def test_only_a_tied_candidate_is_decided(app):
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))
    rows = service.compute(round_).rows
    tied = next(r.candidate.application_id for r in rows if r.status == "tie_pending")
    other = next(r.candidate.application_id for r in rows
                 if r.status not in ("tie_pending", "selected", "not_selected"))
    decided = db.select(db.func.count()).select_from(AuditEntry).filter_by(action="tie_decided")
    with pytest.raises(errors.Refused):
        service.decide_tie(db.session.get(Application, other), "selected", "Kinh nghiệm", None)
    assert db.session.scalar(decided) == 0
    with pytest.raises(errors.Refused, match="1000"):
        service.decide(db.session.get(Application, tied), "selected", "Kinh nghiệm " * 100, None)
    service.decide_tie(db.session.get(Application, tied), "selected", "Kinh nghiệm công tác", None)
    assert db.session.scalar(decided) == 1


def test_a_candidate_selected_or_left_out_without_a_tie_takes_no_decision(app):
    """E3: a decision is only for a tie at the last place. A candidate selected outright (or below the
    quota) is not tied: a decision recorded on them would be announced as taken and would decide, unseen,
    a tie they may fall into later."""
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))
    rows = service.compute(round_).rows
    outright = [r for r in rows if r.status == "selected" and r.reason.code == "selected"]
    below = [r for r in rows if r.status == "not_selected" and r.reason.code == "below_quota"]
    assert outright
    for row in outright[:1] + below[:1]:
        with pytest.raises(errors.Refused):
            service.decide_tie(db.session.get(Application, row.candidate.application_id), "not_selected",
                               "Kinh nghiệm công tác", None)
    assert not db.session.scalar(db.select(db.func.count()).select_from(AuditEntry).filter_by(action="tie_decided"))


def test_a_published_tie_decision_stands(app):
    """E5: a decision published in a version decided who was selected; "the chair may correct one" held
    after publication too, and the next version silently swapped the selected candidate."""
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))
    tied = [r.candidate.application_id for r in service.compute(round_).rows if r.status == "tie_pending"]
    assert tied
    service.decide_tie(db.session.get(Application, tied[0]), "selected", "Kinh nghiệm công tác", None)
    for other in tied[1:]:
        if any(r.status == "tie_pending" for r in service.compute(round_).rows):
            service.decide_tie(db.session.get(Application, other), "not_selected", "Ít kinh nghiệm hơn", None)
    db.session.commit()
    assert not any(r.status == "tie_pending" for r in service.compute(round_).rows)
    version = service.publish(round_, "hr")
    db.session.commit()
    with pytest.raises(errors.Refused, match="E5"):
        service.decide_tie(db.session.get(Application, tied[0]), "not_selected", "Đổi ý", None)
    db.session.rollback()
    row = next(r for r in service.rows_of(version) if r["application_id"] == tied[0])
    assert row["status"] == "selected"
    assert next(r for r in service.compute(round_).rows if r.candidate.application_id == tied[0]).status == "selected"


def test_a_decision_recorded_since_the_latest_version_is_still_corrected(app):
    """A candidate left out in a published version (below the quota) becomes tied after a cancellation:
    the chair's decision on them is not in any version yet, and may be corrected before the next."""
    demo_loaded(app)
    round_ = db.session.scalar(db.select(Round).filter_by(code="HP2026"))
    tied = [r.candidate.application_id for r in service.compute(round_).rows if r.status == "tie_pending"]
    service.decide_tie(db.session.get(Application, tied[0]), "selected", "Kinh nghiệm công tác", None)
    for other in tied[1:]:
        if any(r.status == "tie_pending" for r in service.compute(round_).rows):
            service.decide_tie(db.session.get(Application, other), "not_selected", "Ít kinh nghiệm hơn", None)
    db.session.commit()
    service.publish(round_, "hr")
    db.session.commit()
    rows = service.compute(round_).rows
    by_pos = {}
    for r in rows:
        by_pos.setdefault(r.candidate.position_code, []).append(r)
    for rs in by_pos.values():
        below = sorted([r for r in rs if r.status == "not_selected" and r.reason.code == "below_quota"], key=lambda r: r.rank)
        sel = [r for r in rs if r.status == "selected"]
        if len(below) >= 2 and sel and not any(r.reason.code.startswith("tie") for r in rs):
            break
    else:
        raise AssertionError("no position")
    x, y = below[0], below[1]
    ax, ay = db.session.get(Application, x.candidate.application_id), db.session.get(Application, y.candidate.application_id)
    sx = db.session.scalar(db.select(Round2Score).filter_by(application_id=ax.id))
    sy = db.session.scalar(db.select(Round2Score).filter_by(application_id=ay.id))
    sy.written, sy.interview = sx.written, sx.interview
    ay.priority_codes = ax.priority_codes
    cancelled = db.session.get(Application, sel[0].candidate.application_id)
    cancelled.cancelled, cancelled.cancel_reason = True, "không đến nhận việc"
    db.session.commit()
    statuses = {r.candidate.application_id: r.status for r in service.compute(round_).rows}
    assert statuses[ax.id] == statuses[ay.id] == "tie_pending"
    service.decide_tie(ax, "not_selected", "Ít kinh nghiệm hơn", None)
    service.decide_tie(ay, "selected", "Kinh nghiệm hơn", None)
    db.session.commit()
    service.decide_tie(ax, "selected", "Sửa lại: nhầm hồ sơ", None)  # not published: corrected
    service.decide_tie(ay, "not_selected", "Sửa lại: nhầm hồ sơ", None)
    db.session.commit()
    statuses = {r.candidate.application_id: r.status for r in service.compute(round_).rows}
    assert (statuses[ax.id], statuses[ay.id]) == ("selected", "not_selected")


def _publish_another_change(round_, tied: list[int]) -> None:
    """A new version for a change elsewhere (a candidate of another position, left out, cancelled),
    published while the tie still awaits the head of agency."""
    rows = service.compute(round_).rows
    tied_positions = {r.candidate.position_code for r in rows if r.candidate.application_id in tied}
    other = next(r for r in rows if r.status == "not_selected" and r.candidate.position_code not in tied_positions)
    application = db.session.get(Application, other.candidate.application_id)
    application.cancelled, application.cancel_reason = True, "Gian lận hồ sơ"
    db.session.commit()
    service.publish(round_, "chair", "Hủy một kết quả")
    db.session.commit()


def test_a_decision_a_published_version_left_awaiting_is_corrected_and_one_it_applied_stands(demo_round):
    """E3 + E5: the chair's slip, both tied candidates recorded as selected for the one place left, leaves
    the tie awaiting; a version published meanwhile for another change shows it awaiting. The correction
    the round page asks for ("correct one of them") was refused as published, and the tie could never be
    settled. Only a decision that a published version applied stands."""
    tied = [r.candidate.application_id for r in service.compute(demo_round).rows if r.status == "tie_pending"]
    assert len(tied) == 2
    for application_id in tied:
        service.decide_tie(db.session.get(Application, application_id), "selected", "Kinh nghiệm công tác", None)
    db.session.commit()
    _publish_another_change(demo_round, tied)
    shown = {r["application_id"]: r["status"] for r in service.rows_of(service.latest(demo_round))}
    assert shown[tied[0]] == shown[tied[1]] == "tie_pending"
    service.decide_tie(db.session.get(Application, tied[1]), "not_selected", "Ít kinh nghiệm hơn", None)
    db.session.commit()
    statuses = {r.candidate.application_id: r.status for r in service.compute(demo_round).rows}
    assert (statuses[tied[0]], statuses[tied[1]]) == ("selected", "not_selected")
    version = service.publish(demo_round, "chair", "Quyết định của người đứng đầu")
    db.session.commit()
    for application_id, decision in zip(tied, ("not_selected", "selected"), strict=True):
        with pytest.raises(errors.Refused, match=f"version {version.number}|phiên bản {version.number}"):
            service.decide_tie(db.session.get(Application, application_id), decision, "Đổi ý", None)
        db.session.rollback()
