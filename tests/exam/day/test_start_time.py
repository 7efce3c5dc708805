"""B4: the timer of a sitting is the session's, from its start. A proctor who opened the sitting half
an hour before its start let the candidates in to the paper at once, with its end unchanged: ninety
minutes for a sixty-minute test, and the paper out early. Opened early, the sitting shows the waiting
page until its start; no attempt begins, and no paper is served, before it."""
from __future__ import annotations

from datetime import timedelta

from exam.day.models import Sitting
from exam.models import Attempt
from recruitment.extensions import db
from tests.support.candidate import candidate_login, open_sitting, placement_of
from tests.support.factories import build_day


def test_a_sitting_opened_before_its_start_begins_nobody_until_then(app, tmp_path):
    day = build_day(tmp_path, started_minutes_ago=-30)  # it starts in half an hour
    open_sitting(day)
    client = app.test_client()
    page = candidate_login(client, day, 1)
    assert page.status_code == 200  # the exam page, waiting
    attempt_id = placement_of(1).attempt_id
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "not_started"
    assert client.get("/exam/candidate/api/paper").status_code == 409
    attempt = db.session.get(Attempt, attempt_id)
    assert attempt.status == "not_started" and attempt.started_at is None
    sitting = db.session.get(Sitting, day.sitting_id)  # half an hour later
    sitting.starts_at -= timedelta(minutes=31)
    db.session.commit()
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "in_progress"
    assert client.get("/exam/candidate/api/paper").status_code == 200
