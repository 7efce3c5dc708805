"""What may still change in a round once applications are admitted and once its results are
published. An application left waiting could be admitted after publication: it took a candidate
number without a round-1 result, could no longer be rejected (E5), and blocked every later version
(F3's cancellations, F4's promotions, C7's re-marks). The round form changed F4, A1 and B8 at any time
and its audit entry did not record them; a switch of rule set kept positions its new rules forbid (C1)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from recruitment import applications, positions, rounds
from recruitment.audit import AuditEntry
from recruitment.errors import Refused
from recruitment.extensions import db
from recruitment.models import Application, Position, Round
from results import service
from tests.support.factories import make_round


def _waiting(round_: Round) -> Application:
    position = db.session.scalars(db.select(Position).filter_by(round_id=round_.id)).first()
    application = Application(round_id=round_.id, position_id=position.id, national_id="099999000001",
                              full_name="Trần Thị Muộn", name_key="tran thi muon", date_of_birth=date(1995, 1, 1),
                              gender="nu", degree_level="tien_si", major=(position.major_list or [""])[0],
                              status="submitted")
    db.session.add(application)
    db.session.commit()
    return application


def test_no_application_is_admitted_once_results_are_published(demo_round, client, make_user, login):
    assert demo_round.results_published_at is not None
    late = _waiting(demo_round)
    login(make_user("hr1", "hr"))
    page = client.post(f"/hr/applications/{late.id}/admit", data={"confirmed": "1"}, follow_redirects=True).get_data(as_text=True)
    db.session.refresh(late)
    assert late.status == "submitted" and late.candidate_number is None
    assert "E5" in page
    client.post(f"/hr/rounds/{demo_round.id}/admit-eligible", data={"confirmed": "1"}, follow_redirects=True)
    db.session.refresh(late)
    assert late.status == "submitted"
    assert not [b for b in service.compute(demo_round).blockers if b.code == "missing_round1"]


def _form(round_: Round, **changes) -> dict:
    fields = {"code": round_.code, "name": round_.name, "rules_code": round_.rules_code,
              "application_deadline": round_.application_deadline, "several_positions": round_.several_positions,
              "promote_after_cancellation": round_.promote_after_cancellation, "language_test": round_.language_test}
    return fields | changes


def test_f4_is_fixed_once_published_and_every_setting_is_audited(demo_round):
    with pytest.raises(Refused, match="F4"):
        rounds.edit(demo_round, _form(demo_round, promote_after_cancellation=not demo_round.promote_after_cancellation))
    db.session.rollback()
    with pytest.raises(Refused, match="A1"):  # applications are admitted
        rounds.edit(demo_round, _form(demo_round, several_positions=not demo_round.several_positions))
    db.session.rollback()
    with pytest.raises(Refused, match="B8"):
        rounds.edit(demo_round, _form(demo_round, language_test=not demo_round.language_test))
    db.session.rollback()
    fresh = make_round("NEW")
    rounds.edit(fresh, _form(fresh, promote_after_cancellation=False, several_positions=True))
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="round_edited").order_by(AuditEntry.id.desc())).first()
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert before["promote_after_cancellation"] is True and after["promote_after_cancellation"] is False
    assert before["several_positions"] is False and after["several_positions"] is True


def test_the_round_form_keeps_the_fixed_settings_it_does_not_send(demo_round, client, make_user, login):
    """The page shows the fixed settings disabled, and a disabled box is not sent: that is no change."""
    login(make_user("hr1", "hr"))
    page = client.get(f"/hr/rounds/{demo_round.id}/edit").get_data(as_text=True)
    assert 'id="promote_after_cancellation"' in page and "disabled" in page
    kept = demo_round.promote_after_cancellation, demo_round.several_positions, demo_round.language_test
    client.post(f"/hr/rounds/{demo_round.id}/edit", data={
        "code": demo_round.code, "name": "Tên mới của kỳ tuyển",
        "application_deadline": demo_round.application_deadline.strftime("%d/%m/%Y")})
    db.session.refresh(demo_round)
    assert demo_round.name == "Tên mới của kỳ tuyển"
    assert (demo_round.promote_after_cancellation, demo_round.several_positions, demo_round.language_test) == kept


def test_a_rule_set_is_refused_while_a_position_has_a_form_it_forbids(app):
    round_ = make_round("SW", rules="vn-2020")
    positions.create(round_, {"code": "PV", "name": "Phỏng vấn", "agency": "Sở", "grade": "chuyen_vien_chinh",
                              "quota": 1, "round2_form": "interview", "degree_level": "dai_hoc", "majors": ""})
    db.session.commit()
    with pytest.raises(Refused, match="PV"):
        rounds.edit(round_, _form(round_, rules_code="vn-2025"))
    db.session.rollback()
    assert db.session.get(Round, round_.id).rules_code == "vn-2020"


def test_applications_admit_refuses_after_publication_whoever_calls(demo_round):
    late = _waiting(demo_round)
    with pytest.raises(Refused, match="E5"):
        applications.admit(late)
