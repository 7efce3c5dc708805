"""B5: a test voided for a retake while the candidate sits it. The page hands in to show the result:
the answer says the test was voided, why, and what comes next, rather than a count of "null"; a
log-in with the voided test's code says the same rather than "already handed in"."""
from exam.day import proctoring
from recruitment.extensions import db
from tests.support.candidate import candidate_login, shows_the_exam, sitting_in
from tests.support.factories import build_day


def test_a_candidate_whose_test_was_voided_is_told_so(app, tmp_path, client, make_user):
    day = build_day(tmp_path)
    attempt = sitting_in(client, day)
    proctoring.void_for_retake(attempt, "Mất điện cả phòng", make_user("chutich", "council_chair"))
    db.session.commit()
    assert client.get("/exam/candidate/api/state").get_json()["status"] == "voided"
    result = client.post("/exam/candidate/api/submit").get_json()
    assert result["status"] == "voided" and result["voided"] is True
    assert "Mất điện cả phòng" in result["message"] and "B5" in result["message"]
    again = candidate_login(app.test_client(), day, 1)
    assert not shows_the_exam(again)
    assert "Mất điện cả phòng" in again.get_data(as_text=True)
