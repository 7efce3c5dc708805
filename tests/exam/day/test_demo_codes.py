"""Issue "Exam day you can trust", item 3's demo part: the demo prints access codes only for
candidates who can really sit, and sitting with them (README step 1) leaves the published results
and the dossiers of steps 5 and 6 as they were."""
from __future__ import annotations

from exam.day import seating
from exam.day.models import Sitting
from recruitment.demo import ROUND_CODE, run
from recruitment.extensions import db
from recruitment.models import Round
from results import service as results
from tests.support.candidate import shows_the_exam


def test_every_printed_code_opens_a_sitting_and_sitting_it_changes_no_published_result(app, client):
    passwords = run(app, echo=lambda *_: None)
    printed = {label: code for label, code in passwords.items() if label.startswith("candidate ")}
    assert len(printed) == 3
    hp2026 = db.session.scalar(db.select(Round).filter_by(code=ROUND_CODE))
    before = results.snapshot_rows(results.compute(hp2026).rows)
    sitting = db.session.scalar(db.select(Sitting))
    seating.open_sitting(sitting, passwords["sitting code (proctor opens the sitting)"])
    db.session.commit()
    for label, code in printed.items():
        number, round_code = label.split()[1], label.split("(")[1].rstrip(")")
        round_ = db.session.scalar(db.select(Round).filter_by(code=round_code))
        page = app.test_client()
        response = page.post("/exam/candidate/login", data={"round_id": round_.id, "candidate_number": int(number),
                                                             "access_code": code})
        assert shows_the_exam(response), label
        assert page.get("/exam/candidate/api/state").get_json()["status"] == "in_progress"
        assert page.post("/exam/candidate/api/submit").get_json()["status"] == "submitted"
    assert results.snapshot_rows(results.compute(hp2026).rows) == before  # steps 5 and 6 see what they saw
