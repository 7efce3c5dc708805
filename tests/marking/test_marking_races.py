"""Races in marking: the other worker commits between this request's load and its write."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from marking import remarks
from marking import service as marking
from marking.models import RemarkRequest
from recruitment.extensions import db
from recruitment.models import User
from recruitment.scores import Round2Score
from tests.support.marking import not_on, publish, settle_all
from tests.support.workers import in_another_worker

FRIDAY_0900_VN = datetime(2026, 12, 4, 2)


def _reload(model, key):
    db.session.remove()
    return db.session.get(model, key)


def test_two_re_markers_at_once_do_not_overwrite_each_other(app, setup):
    settle_all(setup, "60", "62")
    m3, m4 = (u.id for u in not_on(setup["apps"][0], setup["markers"])[:2])  # re-markers: none of its markers
    publish(setup["round"], FRIDAY_0900_VN)
    request_id = remarks.request_remark(setup["apps"][0], date(2026, 12, 7)).id
    db.session.commit()
    request = _reload(RemarkRequest, request_id)
    assert remarks.remark_needed(request) == "first"  # the re-marker's page
    in_another_worker(app, lambda: remarks.record_remark(db.session.get(RemarkRequest, request_id), "first",
                                                         Decimal(64), db.session.get(User, m3)))
    with pytest.raises(marking.MarkRefused):  # the first re-mark is already in
        remarks.record_remark(request, "first", Decimal(66), db.session.get(User, m4))


def test_the_chair_cannot_decide_twice_in_opposite_ways(app, setup, make_user):
    markers = setup["markers"]
    chair, chair2 = setup["chair"].id, make_user("chutich2", "council_chair").id
    settle_all(setup, "60", "62")
    publish(setup["round"], FRIDAY_0900_VN)
    request = remarks.request_remark(setup["apps"][0], date(2026, 12, 7))
    r1, r2, *_free = not_on(setup["apps"][0], markers)
    remarks.record_remark(request, "first", Decimal(70), r1)
    remarks.record_remark(request, "second", Decimal(70), r2)  # 70: 9 from 61, to the chair
    db.session.commit()
    request_id, app_id = request.id, request.application_id
    request = _reload(RemarkRequest, request_id)
    assert request.status == "chair"
    in_another_worker(app, lambda: remarks.chair_decides(db.session.get(RemarkRequest, request_id),
                                                         db.session.get(User, chair), True, "chấp nhận"))
    with pytest.raises(marking.MarkRefused):  # already decided
        remarks.chair_decides(request, db.session.get(User, chair2), False, "giữ điểm")
    db.session.rollback()
    request = _reload(RemarkRequest, request_id)
    written = db.session.scalar(db.select(Round2Score.written).filter_by(application_id=app_id))
    assert request.chair_accepted is True and written == Decimal(70)  # one decision, and the score it applied
