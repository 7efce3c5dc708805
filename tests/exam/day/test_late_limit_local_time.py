"""B4: the refusal names the late-entry limit on Vietnam's clock (it was written in UTC, 7 hours off)."""
from datetime import timedelta

from exam.day.models import Sitting
from recruitment.extensions import db
from recruitment.i18n import local_time
from tests.support.candidate import candidate_login, shows_the_exam
from tests.support.factories import build_day


def test_the_late_entry_limit_is_told_in_the_local_time(app, tmp_path, client):
    late = build_day(tmp_path, started_minutes_ago=11)
    refused = candidate_login(client, late)
    assert not shows_the_exam(refused)
    limit = db.session.get(Sitting, late.sitting_id).starts_at + timedelta(minutes=10)
    page = refused.get_data(as_text=True)
    assert local_time(limit).strftime("%H:%M") in page
    assert limit.strftime("%H:%M") not in page
