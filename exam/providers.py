"""What the exam answers for the other packages through recruitment.registry, so that they never
import the exam's models: which positions sit their round-2 written test on computer (C2), and when
its last sitting ends (C4's timing)."""
from __future__ import annotations

from datetime import datetime

from flask import Flask
from sqlalchemy import select

from recruitment import registry
from recruitment.extensions import db
from recruitment.i18n import local_time

from .day.models import Sitting
from .models import ExamTest

ROUND2_WRITTEN_TESTS = "round2_written_tests"


def round2_written_tests(round_id: int) -> dict[int, datetime | None]:
    """Position id -> the end of the last sitting of its round-2 written test on computer, in local
    time (None while no sitting is planned), for every position that has such a test."""
    ends: dict[int, datetime | None] = {}
    for (position_id,) in db.session.execute(select(ExamTest.position_id).where(
            ExamTest.round_id == round_id, ExamTest.kind == "round2_written", ExamTest.position_id.is_not(None))):
        ends.setdefault(position_id, None)
    for position_id, ends_at in db.session.execute(
            select(ExamTest.position_id, Sitting.ends_at).join(Sitting, Sitting.test_id == ExamTest.id)
            .where(ExamTest.round_id == round_id, ExamTest.kind == "round2_written")):
        local = local_time(ends_at)
        ends[position_id] = max(ends.get(position_id) or local, local)
    return ends


def init_app(app: Flask) -> None:
    registry.add_provider(app, ROUND2_WRITTEN_TESTS, round2_written_tests)
