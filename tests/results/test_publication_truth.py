"""Publication tells the truth (E3, E5, F3, F4): one version per decision batch, the message names
the version actually published (or why none was), the public page shows the latest version, an
unchanged list is not published again, and a tie decision shows what remains."""
from __future__ import annotations

import pytest
from flask_babel import force_locale

from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import round2_score
from results import service
from tests.support.client import through_confirmation
from verification.importing import import_outcomes
from verification.models import Document, Dossier


@pytest.fixture
def english(client):
    client.post("/lang/en")
    return client


def _tied(round_) -> list[int]:
    return [r.candidate.application_id for r in service.compute(round_).rows if r.status == "tie_pending"]


def test_the_second_verifier_confirms_and_is_told_the_version_the_public_page_shows(demo_round, english, make_user,
                                                                                     login):
    """README step 6: the message names the version that was published, and the public page shows it."""
    document = db.session.scalar(db.select(Document).join(Dossier).where(Dossier.status == "open")
                                 .order_by(Dossier.id).offset(2).limit(1))
    cancelled = document.dossier.application
    login(make_user("v1", "verifier"))
    english.post(f"/verification/documents/{document.id}/decide", data={"decision": "rejected",
                                                                        "reason": "Không có trong sổ gốc"})
    login(make_user("v2", "verifier"))
    page = through_confirmation(english, f"/verification/documents/{document.id}/confirm",
                                follow_redirects=True).get_data(as_text=True)
    latest = service.latest(demo_round)
    assert latest.number == 2 and "version 2 published" in page
    row = next(r for r in service.rows_of(latest) if r["application_id"] == cancelled.id)
    assert row["status"] == "cancelled" and "Không có trong sổ gốc" in row["reason"]
    public = english.get(f"/public/results/{demo_round.id}/{row['position_code']}").get_data(as_text=True)
    assert "version 2" in public
    line = next(tr for tr in public.split("<tr") if cancelled.full_name in tr)
    assert "status-cancelled" in line and "Không có trong sổ gốc" in line


def test_one_import_with_several_cancellations_publishes_one_version(demo_round):
    rows = [r for r in service.rows_of(service.latest(demo_round)) if r["status"] == "selected"][:3]
    data = "candidate_number,outcome,reason\n" + "".join(f"{r['candidate_number']},no_show,Không nhận việc\n"
                                                         for r in rows)
    with force_locale("en"):
        report = import_outcomes(demo_round, "v.csv", data.encode())
    assert [v.number for v in service.versions(demo_round)] == [1, 2]
    assert any("version 2" in m for m in report.messages)
    statuses = {r["application_id"]: r["status"] for r in service.rows_of(service.latest(demo_round))}
    assert all(statuses[r["application_id"]] == "cancelled" for r in rows)
    note = service.latest(demo_round).note
    assert all(str(db.session.get(Application, r["application_id"]).number_label) in note for r in rows)


def test_a_cancellation_that_cannot_be_published_says_so_and_why(demo_round):
    blocked = next(r for r in service.compute(demo_round).rows
                   if r.eligible and r.candidate.round2_form == "written_interview" and r.status != "selected")
    score = round2_score(blocked.candidate.application_id)
    score.interview, score.interview_pending = None, True
    db.session.commit()
    selected = next(r for r in service.rows_of(service.latest(demo_round)) if r["status"] == "selected")
    with force_locale("en"):
        report = import_outcomes(demo_round, "v.csv",
                                 f"candidate_number,outcome,reason\n{selected['candidate_number']},fraud,Giả mạo\n".encode())
    assert service.latest(demo_round).number == 1
    assert any("not published" in m and "version 1" in m.lower() and str(blocked.candidate.candidate_number) in m for m in report.messages)


def test_an_unchanged_list_is_not_published_again_and_the_pending_tie_is_named(demo_round, english, make_user, login):
    with pytest.raises(service.NothingToPublish) as refused:
        service.publish(demo_round, "test")
    assert refused.value.version == 1 and refused.value.pending
    login(make_user("chair", "council_chair"))
    page = english.post(f"/results/{demo_round.id}/publish", data={"note": ""}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert [v.number for v in service.versions(demo_round)] == [1]
    assert "Not published" in text and "version 1" in text and "CS-VT-04" in text


def test_the_first_of_two_tie_decisions_shows_the_decision_and_what_remains(demo_round, english, make_user, login):
    first, second = _tied(demo_round)
    login(make_user("chair", "council_chair"))
    page = english.post(f"/results/{demo_round.id}/decide/{first}",
                        data={"decision": "selected", "reason": "Kinh nghiệm công tác"},
                        follow_redirects=True).get_data(as_text=True)
    other = db.session.get(Application, second)
    assert "Kinh nghiệm công tác" in page  # the decision and its reason, on the page
    assert "Still awaiting" in page and other.full_name in page.split("Still awaiting", 1)[1][:400]
    english.post(f"/results/{demo_round.id}/decide/{second}", data={"decision": "not_selected", "reason": "Ít hơn"})
    page = through_confirmation(english, f"/results/{demo_round.id}/publish", {"note": "Quyết định"},
                                follow_redirects=True).get_data(as_text=True)
    assert "Version 2 published" in page and service.latest(demo_round).number == 2
