"""A published round's applications (E5): edited from a round loaded before the publication, or rejected after it."""
from __future__ import annotations

import pytest

from recruitment import applications as app_logic
from recruitment.extensions import db
from recruitment.models import Application
from results import service as results
from tests.support.marking import drawn, give_mark, settle_all
from tests.support.workers import in_another_worker


def test_an_application_is_not_edited_from_a_round_loaded_before_the_publication(app, setup):
    settle_all(setup, "70", "74")
    db.session.commit()
    a_id, round_id = setup["apps"][0].id, setup["round"].id
    db.session.remove()
    application = db.session.get(Application, a_id)
    round_ = application.round  # the edit page: application_edit -> _application_form(application.round, ...)
    assert round_.results_published_at is None
    in_another_worker(app, lambda: results.publish(db.session.get(type(round_), round_id), "hr"))
    fields = {"national_id": application.national_id, "position_id": application.position_id,
              "full_name": application.full_name, "priority_codes": ["hero"]}  # a priority claim added (D5)
    with pytest.raises(app_logic.ApplicationRefused):
        app_logic.save(round_, application, fields)
    db.session.rollback()


def _published_with_one_selected(setup) -> None:
    """Marks 90, 60 and 50, and version 1 of the results published."""
    m1 = setup["markers"][0]
    for application, mark in zip(setup["apps"], ("90", "60", "50"), strict=True):
        give_mark(application, "first", mark, m1)
        give_mark(application, "second", mark, drawn(application))
    results.publish(setup["round"], "hr")
    db.session.commit()


def test_a_selected_candidate_is_not_rejected_after_the_publication(app, setup):
    _published_with_one_selected(setup)
    application = next(a for a in setup["apps"] if a.selected_at is not None)  # selected in version 1
    with pytest.raises(app_logic.ApplicationRefused):
        app_logic.reject(application, "hồ sơ thiếu")
    db.session.rollback()


def test_hr_is_told_why_a_published_round_takes_no_rejection(app, setup, client, login, make_user):
    _published_with_one_selected(setup)
    application_id = next(a for a in setup["apps"] if a.selected_at is not None).id
    login(make_user("nhansu", "hr"))
    page = client.post(f"/hr/applications/{application_id}/reject", data={"reason": "hồ sơ thiếu"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Kết quả đã được công bố" in page and "Đã từ chối hồ sơ" not in page  # why, in Vietnamese
    db.session.remove()
    assert db.session.get(Application, application_id).status != "rejected"
