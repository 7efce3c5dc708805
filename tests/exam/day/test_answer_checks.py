"""Issue "Exam day you can trust", item 1: every field of a save is checked against the candidate's
own form (400 naming the field), and one attempt that cannot be graded never stops the others:
grading and collection take each attempt on its own, and what fails becomes an incident for the chair."""
from __future__ import annotations

from datetime import timedelta

import pytest

from exam import scoring
from exam.day import admission, handing_in
from exam.day.models import Incident, Placement, Sitting
from exam.models import Attempt, AttemptAnswer
from recruitment.extensions import db
from tests.support.candidate import candidate_login, layout, shows_the_exam, sitting_in


@pytest.mark.parametrize("body, field", [
    ({"slot": 0, "seq": 1, "choice": 99}, "choice"),
    ({"slot": 0, "seq": 1, "choice": -1}, "choice"),
    ({"slot": 0, "seq": 1, "choice": True}, "choice"),
    ({"slot": 0, "seq": 1, "choice": 1.5}, "choice"),
    ({"slot": 2**63, "seq": 1, "choice": 0}, "slot"),
    ({"slot": 8, "seq": 1, "choice": 0}, "slot"),
    ({"slot": -1, "seq": 1, "choice": 0}, "slot"),
    ({"slot": "0", "seq": 1, "choice": 0}, "slot"),
    ({"slot": 0, "seq": True, "choice": 0}, "seq"),
    ({"slot": 0, "seq": 0, "choice": 0}, "seq"),
    ({"slot": 0, "seq": 2**31, "choice": 0}, "seq"),
    ({"slot": 0, "seq": "1", "choice": 0}, "seq"),
    ({"slot": 0, "seq": 1, "choice": 0, "flagged": "yes"}, "flagged"),
    ({"slot": 0, "seq": 1, "text": "một"}, "text"),  # a choice question takes no text
])
def test_a_save_off_the_candidates_form_is_refused_naming_the_field(day, client, body, field):
    attempt = sitting_in(client, day)
    choice_slot, options, fill_slot = layout(attempt)
    if body["slot"] == 0:
        body = dict(body, slot=choice_slot)
    refused = client.post("/exam/candidate/api/answer", json=body)
    assert refused.status_code == 400, refused.get_json()
    assert refused.get_json()["field"] == field
    assert db.session.scalar(db.select(AttemptAnswer)) is None


def test_the_fill_in_takes_text_within_its_cap_and_no_choice(day, client):
    attempt = sitting_in(client, day)
    choice_slot, options, fill_slot = layout(attempt)
    post = lambda **b: client.post("/exam/candidate/api/answer", json=b)  # noqa: E731
    assert post(slot=fill_slot, seq=1, choice=0).get_json()["field"] == "choice"
    assert post(slot=fill_slot, seq=1, text="x" * 501).get_json()["field"] == "text"
    assert post(slot=fill_slot, seq=1, text=5).get_json()["field"] == "text"
    # Text no database stores (a NUL, half of a surrogate pair) is the sender's error, not a 500: with
    # group commit it would fail the other candidates' saves written with it.
    assert post(slot=fill_slot, seq=1, text="Hà\u0000Nội").get_json()["field"] == "text"
    lone = client.post("/exam/candidate/api/answer", data=f'{{"slot": {fill_slot}, "seq": 1, "text": "H\\ud800"}}',
                       content_type="application/json")
    assert lone.status_code == 400 and lone.get_json()["field"] == "text"
    assert post(slot=fill_slot, seq=2, text="Hà Nội").status_code == 200
    assert post(slot=choice_slot, seq=3, choice=options - 1, flagged=True).status_code == 200
    assert post(slot=choice_slot, seq=4, choice=None).status_code == 200  # clearing an answer
    assert post(slot=choice_slot, seq=4).status_code == 200
    assert client.post("/exam/candidate/api/answer", json=[1, 2]).status_code == 400


def test_a_stored_answer_off_the_form_is_graded_wrong_not_a_crash(day, client):
    """An answer stored before the checks existed (choice 99) must not stop the hand-in."""
    attempt = sitting_in(client, day)
    choice_slot, _options, _fill = layout(attempt)
    db.session.add(AttemptAnswer(attempt_id=attempt.id, slot=choice_slot, choice=99, seq=1))
    db.session.commit()
    handed_in = client.post("/exam/candidate/api/submit")
    assert handed_in.status_code == 200 and handed_in.get_json()["status"] == "submitted"


def _break_grading_of(monkeypatch, attempt_id: int):
    real = scoring.grade_rows

    def grade_rows(test, rows, reason=None, **kwargs):
        if any(r.id == attempt_id for r in rows):
            raise IndexError("a corrupt form")
        return real(test, rows, reason, **kwargs)
    monkeypatch.setattr(scoring, "grade_rows", grade_rows)


def test_one_attempt_that_cannot_be_graded_never_stops_collection(day, client, app, monkeypatch):
    broken = sitting_in(client, day, 1)
    other = db.session.scalar(db.select(Placement).join(Attempt).where(Attempt.application.has(candidate_number=2)))
    admission.begin(other, utcnow_plus(0))
    db.session.commit()
    _break_grading_of(monkeypatch, broken.id)
    sitting = db.session.get(Sitting, day.sitting_id)
    later = sitting.ends_at + timedelta(seconds=1)
    collected = handing_in.collect_overdue(later)
    db.session.commit()
    assert collected.count == len(day.access) and [f.attempt_id for f in collected.failed] == [broken.id]
    db.session.expire_all()
    assert db.session.get(Attempt, other.attempt_id).passed is not None  # graded
    assert db.session.get(Attempt, broken.id).status == "collected"  # collected, waiting for the chair
    incident = db.session.scalar(db.select(Incident).filter_by(attempt_id=broken.id, kind="grading_failed"))
    # What the console shows is in words: the exception's own text stays in the server's log.
    assert incident is not None and "flask exam grade" in incident.note
    assert "IndexError" not in incident.note and "corrupt" not in incident.note


def test_requests_after_the_deadline_keep_working_when_one_attempt_cannot_be_graded(day, client, app, monkeypatch):
    broken = sitting_in(client, day, 1)
    _break_grading_of(monkeypatch, broken.id)
    broken.deadline = utcnow_plus(-1)
    db.session.commit()
    other = app.test_client()
    assert shows_the_exam(candidate_login(other, day, 2))
    assert other.get("/exam/candidate/api/state").status_code == 200


def test_the_collect_command_collects_what_it_can_then_lists_the_rest_and_exits_non_zero(day, client, app, monkeypatch):
    broken = sitting_in(client, day, 1)
    _break_grading_of(monkeypatch, broken.id)
    sitting = db.session.get(Sitting, day.sitting_id)
    sitting.ends_at = broken.deadline = utcnow_plus(-1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["exam", "collect"])
    assert result.exit_code == 1
    assert f"{len(day.access)} attempt(s) collected" in result.output
    assert "0001" in result.output  # the candidate whose attempt could not be graded is named
    db.session.expire_all()
    assert sorted(db.session.scalars(db.select(Attempt.status))) == ["collected"] * len(day.access)


def utcnow_plus(minutes: int):
    from recruitment.database import utcnow
    return utcnow() + timedelta(minutes=minutes)
