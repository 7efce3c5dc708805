"""The exam page's JSON calls: log-in with an access code, the paper without keys, ordered and
idempotent saves acknowledged after commit, the deadline, submission with the score, isolation."""
from __future__ import annotations

import json
import re
from datetime import timedelta

from exam.day import handing_in
from exam.day.models import Placement, Sitting
from exam.models import Attempt, AttemptAnswer
from questionbank.api import contents
from recruitment.extensions import db
from recruitment.scores import Round1Result
from tests.support.auth import PASSWORD
from tests.support.candidate import candidate_login, open_sitting, shows_the_exam
from tests.support.factories import build_day, staffed


def test_wrong_codes_are_refused_and_the_waiting_screen_holds_until_the_sitting_opens(day, client):
    assert not shows_the_exam(candidate_login(client, day, code="000000"))
    assert shows_the_exam(candidate_login(client, day))
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "not_started"
    assert client.get("/exam/candidate/api/paper").status_code == 409
    open_sitting(day)
    state = client.get("/exam/candidate/api/state").get_json()
    assert state["status"] == "in_progress" and state["deadline"].endswith("Z")


def test_the_paper_carries_no_key(day, client):
    candidate_login(client, day)
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    body = client.get("/exam/candidate/api/paper").get_data(as_text=True)
    paper = client.get("/exam/candidate/api/paper").get_json()
    assert len(paper["questions"]) == 8
    assert client.get("/exam/candidate/api/paper").headers["Cache-Control"] == "no-store"  # B3
    assert "correct" not in body and "accepted" not in body and "Hà Nội" not in body and "explanation" not in body


def _paper_in_page(client) -> dict | None:
    page = client.get("/exam/candidate/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"  # B3
    found = re.search(r'<script type="application/json" id="exam-paper">(.*?)</script>', page.get_data(as_text=True), re.S)
    return json.loads(found.group(1)) if found else None


def test_the_exam_page_of_a_begun_attempt_carries_the_paper_without_keys(day, client):
    """The start of a sitting is one request after the log-in: the page holds what /api/paper answers."""
    candidate_login(client, day)
    assert _paper_in_page(client) is None  # waiting: the page asks the state until the sitting opens
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    client.post("/exam/candidate/api/answer", json={"slot": 0, "seq": 4, "flagged": True})
    in_page, asked = _paper_in_page(client), client.get("/exam/candidate/api/paper").get_json()
    assert in_page is not None and in_page["status"] == "in_progress"
    assert in_page["questions"] == asked["questions"] and in_page["deadline"] == asked["deadline"]
    assert in_page["questions"][0]["answer"]["seq"] == 4  # a reload continues from the stored seq
    text = json.dumps(in_page, ensure_ascii=False)
    assert "correct" not in text and "accepted" not in text and "Hà Nội" not in text and "explanation" not in text


def test_saves_are_ordered_idempotent_and_durable(day, client):
    candidate_login(client, day)
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    post = lambda **b: client.post("/exam/candidate/api/answer", json=b)  # noqa: E731
    questions = client.get("/exam/candidate/api/paper").get_json()["questions"]
    first, second = [q["slot"] for q in questions if q["type"] != "fill"][:2]
    assert post(slot=first, seq=5, choice=2).get_json()["saved"]
    assert post(slot=first, seq=3, choice=1).get_json()["stored_seq"] == 5  # an older save arrives late: ignored
    assert post(slot=first, seq=5, choice=2).status_code == 200  # repeated: harmless
    post(slot=second, seq=6, choice=0, flagged=True)
    rows = {a.slot: (a.choice, a.seq, a.flagged) for a in db.session.scalars(db.select(AttemptAnswer))}
    assert rows == {first: (2, 5, False), second: (0, 6, True)}
    assert post(slot=99, seq=7, choice=0).status_code == 400
    assert post(slot=-1, seq=7, choice=0).status_code == 400  # off the form either way
    fill = [q["slot"] for q in client.get("/exam/candidate/api/paper").get_json()["questions"] if q["type"] == "fill"][0]
    assert post(slot=fill, seq=8, text="Nghị định 138/2020/NĐ-CP").get_json()["saved"]
    assert db.session.scalar(db.select(AttemptAnswer.text).filter_by(slot=fill)) == "Nghị định 138/2020/NĐ-CP"
    assert post(slot="x", seq=7).status_code == 400
    assert post(slot=2, seq=2**31, choice=0).status_code == 400  # beyond the column: refused, not a crash


def test_the_log_in_form_and_the_json_calls_need_the_csrf_token(day, client):
    """docs/exam-api.md: the log-in form carries `csrf_token`, every JSON POST the X-CSRFToken header;
    the API is not exempt from CSRF."""
    assert candidate_login(client, day, csrf=False).status_code == 400
    assert shows_the_exam(candidate_login(client, day))
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    slot = next(q["slot"] for q in client.get("/exam/candidate/api/paper").get_json()["questions"] if q["type"] == "single")
    answer = {"slot": slot, "seq": 1, "choice": 0}
    assert client.post("/exam/candidate/api/answer", json=answer, csrf=False).status_code == 400
    forged = client.post("/exam/candidate/api/answer", json=answer, headers={"X-CSRFToken": "forged"})
    assert forged.status_code == 400
    # The page reads JSON: an HTML refusal would look like a network failure, retried for ever.
    assert forged.is_json and forged.get_json()["csrf"] and forged.get_json()["superseded"]
    assert "đăng nhập lại" in forged.get_json()["error"]
    refused_hand_in = client.post("/exam/candidate/api/submit", csrf=False)
    assert refused_hand_in.status_code == 400 and "giám thị" in refused_hand_in.get_json()["error"]
    assert db.session.scalar(db.select(AttemptAnswer)) is None
    assert db.session.scalar(db.select(Attempt.status).where(Attempt.submitted_at.is_not(None))) is None
    assert client.post("/exam/candidate/api/answer", json=answer).get_json()["saved"]


def test_a_save_after_the_deadline_is_refused_and_changes_nothing(day, client):
    candidate_login(client, day)
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    # A single-choice slot (4 options), so that only the deadline can refuse the second save.
    slot = next(q["slot"] for q in client.get("/exam/candidate/api/paper").get_json()["questions"] if q["type"] == "single")
    assert client.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 1, "choice": 1}).status_code == 200
    attempt = db.session.scalar(db.select(Attempt).where(Attempt.status == "in_progress"))
    attempt.deadline = attempt.deadline - timedelta(hours=2)
    db.session.commit()
    refused = client.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 2, "choice": 3})
    assert refused.status_code == 409
    assert db.session.scalar(db.select(AttemptAnswer.choice).filter_by(slot=slot)) == 1


def test_collection_at_the_deadline_needs_no_browser(day, client):
    candidate_login(client, day)
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    client.post("/exam/candidate/api/answer", json={"slot": 0, "seq": 1, "choice": 1})
    sitting = db.session.get(Sitting, day.sitting_id)
    later = sitting.ends_at + timedelta(seconds=1)
    assert handing_in.collect_overdue(later).count == len(day.access)  # one collected, the others absent
    db.session.commit()
    statuses = sorted(db.session.scalars(db.select(Attempt.status)))
    assert statuses == ["collected"] * len(day.access)
    results = db.session.scalars(db.select(Round1Result)).all()
    assert sum(r.absent for r in results) == len(day.access) - 1


def test_submit_shows_the_score_at_once_and_ends_the_session(day, client):
    candidate_login(client, day)
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    attempt = db.session.scalar(db.select(Attempt).where(Attempt.status == "in_progress"))
    paper = client.get("/exam/candidate/api/paper").get_json()["questions"]
    from exam import draw
    ids, perms = draw.unpack(attempt.form.version_ids, attempt.form.option_perms)
    keys = contents([int(v) for v in ids])
    for q, vid, perm in zip(paper, ids, perms, strict=True):
        key = keys[int(vid)]
        if q["type"] == "fill":
            client.post("/exam/candidate/api/answer", json={"slot": q["slot"], "seq": 10 + q["slot"], "text": " hà  nội "
                                                             if "Thủ đô" in q["stem"] else "bốn"})
        else:
            client.post("/exam/candidate/api/answer", json={"slot": q["slot"], "seq": 10 + q["slot"],
                                                             "choice": list(perm).index(key.key[0])})
    result = client.post("/exam/candidate/api/submit").get_json()
    assert (result["correct"], result["questions"], result["passed"]) == (8, 8, True)  # B3
    ended = client.get("/exam/candidate/api/state")  # logged out: told in JSON, the page closes
    assert ended.status_code == 401 and ended.get_json()["superseded"] is True


def test_a_candidate_reaches_only_their_own_attempt(day, client, app):
    candidate_login(client, day, number=1)
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    other = db.session.scalar(db.select(Placement).join(Attempt).where(Attempt.status == "not_started"))
    with client.session_transaction() as sess:
        sess["placement_id"] = other.id  # a forged cookie cannot be made without the key; even so:
        sess["attempt_id"] = other.attempt_id
    assert client.get("/exam/candidate/api/paper").status_code == 403
    other.attempt.status = "in_progress"  # even a started attempt of someone else stays out of reach
    other.attempt.deadline = db.session.get(Sitting, day.sitting_id).ends_at
    db.session.commit()
    refused = client.post("/exam/candidate/api/answer", json={"slot": 0, "seq": 1, "choice": None})
    assert refused.status_code == 409
    assert db.session.scalar(db.select(AttemptAnswer).filter_by(attempt_id=other.attempt_id)) is None


def test_late_entry_is_refused_after_the_b4_limit_unless_the_proctor_admits(app, tmp_path, client):
    late = build_day(tmp_path, started_minutes_ago=11)
    refused = candidate_login(client, late)  # the form again, saying why
    assert refused.status_code == 200 and not shows_the_exam(refused)
    assert "late entry" in refused.get_data(as_text=True) or "vào phòng thi muộn" in refused.get_data(as_text=True)
    assert client.get("/exam/candidate/api/state").status_code != 200  # no session was opened
    placement = db.session.scalar(db.select(Placement).join(Attempt).join(Attempt.application)
                                  .where(Attempt.application.has(candidate_number=1)))
    placement.late_admitted = True
    db.session.commit()
    assert shows_the_exam(candidate_login(client, late))


def test_a_staff_log_in_on_the_same_browser_ends_the_candidates_sitting(day, client, make_user):
    """The autosave trusts the signed session's attempt without loading the user, so nothing of a
    candidate's session may outlive a staff log-in on that computer."""
    candidate_login(client, day)
    open_sitting(day)
    client.get("/exam/candidate/api/state")
    staffed(day, make_user("giamthi", "proctor"))
    db.session.commit()
    client.post("/login", data={"username": "giamthi", "password": PASSWORD})
    with client.session_transaction() as sess:
        assert "attempt_id" not in sess and "application_id" not in sess
    assert client.post("/exam/candidate/api/answer", json={"slot": 0, "seq": 1, "choice": 0}).status_code == 403
    assert db.session.scalar(db.select(AttemptAnswer)) is None


def test_the_exam_page_the_log_in_answers_with_carries_a_token_of_the_new_session(day, client):
    """The log-in starts a new session (nothing of the one before carries over) and answers with the
    exam page itself: the page's token must be the new session's, or the first save is refused."""
    open_sitting(day)
    page = candidate_login(client, day).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    slot = json.loads(re.search(r'id="exam-paper">(.*?)</script>', page, re.S).group(1))["questions"][0]["slot"]
    saved = client.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 1, "flagged": True}, csrf=False,
                        headers={"X-CSRFToken": token})
    assert saved.status_code == 200 and saved.get_json()["saved"], saved.get_data(as_text=True)
