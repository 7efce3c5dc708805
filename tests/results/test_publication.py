"""Publication (E5), exports that parse back to the same list, the public look-up, tie decisions."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import round2_score
from results import exports, service
from results.models import ResultVersion
from tests.support.client import through_confirmation


def test_the_demo_publishes_version_1_with_a_digest_and_selection_times(demo_round):
    (version,) = service.versions(demo_round)
    rows = service.rows_of(version)
    selected = {r["application_id"] for r in rows if r["status"] == "selected"}
    assert selected and all(db.session.get(Application, i).selected_at for i in selected)
    assert len(version.digest) == 64


def test_a_tampered_version_is_refused(demo_round):
    version = service.latest(demo_round)
    db.session.execute(db.update(ResultVersion).values(snapshot=version.snapshot.replace("selected", "cancelled", 1)))
    db.session.commit()
    db.session.expire_all()
    with pytest.raises(ValueError, match="altered"):
        service.rows_of(service.latest(demo_round))


def test_blockers_stop_publication(demo_round):
    eligible = next(r for r in service.compute(demo_round).rows
                    if r.eligible and r.candidate.round2_form == "written_interview")
    score = round2_score(eligible.candidate.application_id)
    score.interview, score.interview_pending = None, True
    db.session.commit()
    with pytest.raises(service.PublicationBlocked) as blocked:
        service.publish(demo_round, "test")
    assert [b.code for b in blocked.value.blockers] == ["interview_pending"]


def test_a_tie_decision_then_a_new_version_and_the_difference(demo_round, client, make_user, login):
    rows = service.compute(demo_round).rows
    tied = [r.candidate.application_id for r in rows if r.status == "tie_pending"]
    assert len(tied) == 2
    login(make_user("chair", "council_chair"))
    client.post(f"/results/{demo_round.id}/decide/{tied[0]}", data={"decision": "selected", "reason": "Kinh nghiệm công tác"})
    client.post(f"/results/{demo_round.id}/decide/{tied[1]}", data={"decision": "not_selected", "reason": "Kinh nghiệm công tác"})
    through_confirmation(client, f"/results/{demo_round.id}/publish", {"note": "Quyết định của người đứng đầu"})
    first, second = service.versions(demo_round)
    changes = service.diff(service.rows_of(first), service.rows_of(second))
    # Only the two decided rows change; any other row named here says what else moved between versions.
    assert {new["application_id"]: new["status"] for _old, new in changes} == \
        {tied[0]: "selected", tied[1]: "not_selected"}, changes
    page = client.get(f"/results/{demo_round.id}/diff?a=1&b=2").get_data(as_text=True)
    assert "Quyết định của người đứng đầu" in page
    for _old, new in changes:  # the totals with the decimal comma, as the results list shows them
        assert new["total"] and new["total"] not in page and new["total"].replace(".", ",") in page


def test_csv_xlsx_and_pdf_agree(demo_round):
    version = service.latest(demo_round)
    rows = service.rows_of(version)
    parsed = list(csv.DictReader(io.StringIO(exports.to_csv(rows).decode("utf-8-sig"))))
    assert [dict(r) for r in parsed] == [{k: r[k] for k in service.CSV_COLUMNS} for r in rows]
    book = load_workbook(io.BytesIO(exports.to_xlsx(rows)))
    assert book.sheetnames == sorted({r["position_code"] for r in rows})
    scores = {i for i, k in enumerate(service.CSV_COLUMNS) if k in exports.SCORE_COLUMNS}  # number cells
    from_xlsx = [[("" if v is None else f"{v:.2f}" if i in scores else str(v)) for i, v in enumerate(line)]
                 for s in book.worksheets for line in s.iter_rows(min_row=2, values_only=True)]
    # The XLSX is for people: the same rows, with the codes as their labels and 4-digit numbers.
    expected = [[("" if v is None else f"{v:.2f}" if isinstance(v, Decimal) else str(v))
                 for v in (exports._xlsx_value(k, r[k]) for k in service.CSV_COLUMNS)] for r in rows]
    assert from_xlsx == expected
    reader = PdfReader(io.BytesIO(exports.to_pdf(rows, title=demo_round.name, version=version.number,
                                                 digest=version.digest, positions={})))
    texts = [p.extract_text() for p in reader.pages]
    assert all(version.digest in t for t in texts)  # the digest on every page
    assert "Thi tuyển công chức thành phố Hải Phòng" in texts[0]
    selected = next(r for r in rows if r["status"] == "selected")
    assert selected["full_name"] in "".join(texts) and selected["total"].replace(".", ",") in "".join(texts)  # decimal comma


def test_the_public_list_shows_no_national_id(demo_round, client):
    row = service.rows_of(service.latest(demo_round))[0]
    page = client.get(f"/public/results/{demo_round.id}/{row['position_code']}").get_data(as_text=True)
    assert row["full_name"] in page and row["national_id"] not in page


def test_the_dashboard_draws_its_charts(demo_round, client, make_user, login):
    login(make_user("chair", "council_chair"))
    page = client.get(f"/results/{demo_round.id}/dashboard").get_data(as_text=True)
    assert page.count("<svg") == 2 and "CV-TC-01" in page


def test_two_publications_at_once_make_one_version(app, demo_round, monkeypatch):
    """E5: two chairs pressing Publish together (or two verifiers' cancellations, each publishing its
    version) both computed the list against version 1: one then failed on the version number (a 500,
    after the other's commit) or published the same list again as version 3. One publication at a time
    per round: the second sees the first's version and has nothing to publish."""
    from tests.support.at_once import held_at_a_barrier, sent_at_once

    tied = [r.candidate.application_id for r in service.compute(demo_round).rows if r.status == "tie_pending"]
    for application_id, decision in zip(tied, ("selected", "not_selected"), strict=True):
        service.decide(db.session.get(Application, application_id), decision, "Kinh nghiệm công tác", None)
    db.session.commit()
    round_id = demo_round.id
    monkeypatch.setattr(service, "compute", held_at_a_barrier(service.compute, 2))

    def publish(i: int) -> str:
        try:
            service.publish(db.session.get(type(demo_round), round_id), f"chair{i}")
            db.session.commit()
            return "published"
        except service.NothingToPublish:
            db.session.rollback()
            return "unchanged"
        except Exception as error:  # noqa: BLE001 -- what the page would have answered with a 500
            db.session.rollback()
            return type(error).__name__

    assert sorted(sent_at_once(app, 2, publish)) == ["published", "unchanged"]
    db.session.expire_all()
    assert [v.number for v in service.versions(demo_round)] == [1, 2]


def test_a_publication_is_audited_with_the_version_it_follows(demo_round):
    """E5: the entry of a publication said only the new version: the version it follows is its before."""
    import json

    from recruitment.audit import AuditEntry

    (first,) = service.versions(demo_round)
    tied = [r.candidate.application_id for r in service.compute(demo_round).rows if r.status == "tie_pending"]
    for application_id, decision in zip(tied, ("selected", "not_selected"), strict=True):
        service.decide(db.session.get(Application, application_id), decision, "Kinh nghiệm công tác", None)
    second = service.publish(demo_round, "test")
    db.session.commit()
    entries = db.session.scalars(db.select(AuditEntry).filter_by(action="results_published").order_by(AuditEntry.seq)).all()
    assert json.loads(entries[0].before) == {"version": None, "digest": None}  # the demo's version 1: the first
    assert json.loads(entries[-1].before) == {"version": first.number, "digest": first.digest}
    assert json.loads(entries[-1].after)["version"] == second.number == 2


def _ties_decided_and_publication_asked(demo_round, client, make_user, login):
    """The demo's tie at the last place decided, and the chair's first post of the publication: the
    tied applications, the publication's address and the confirmation page."""
    tied = [r.candidate.application_id for r in service.compute(demo_round).rows if r.status == "tie_pending"]
    for application_id, decision in zip(tied, ("selected", "not_selected"), strict=True):
        service.decide(db.session.get(Application, application_id), decision, "Kinh nghiệm công tác", None)
    db.session.commit()
    login(make_user("chair", "council_chair", locale="en"))
    url = f"/results/{demo_round.id}/publish"
    return tied, url, client.post(url, data={"note": "Quyết định"}).get_data(as_text=True)


def test_the_chair_is_told_the_version_and_that_it_is_final_before_publishing(demo_round, client, make_user, login):
    """E5: a published version is never rewritten, and the chair's button published in one click. A first
    post names the version's number and that it is final; the second publishes that number only: had
    another chair published meanwhile, the list to publish is another version, which is asked again."""
    tied, url, page = _ties_decided_and_publication_asked(demo_round, client, make_user, login)
    assert 'id="confirmation"' in page and "version 2" in page and "never changed" in page
    assert [v.number for v in service.versions(demo_round)] == [1]
    service.publish(demo_round, "another chair")  # version 2, meanwhile
    for application_id, decision in zip(tied, ("not_selected", "selected"), strict=True):
        service.decide(db.session.get(Application, application_id), decision, "Xem xét lại", None)
    db.session.commit()
    moved = client.post(url, data={"note": "Quyết định", "confirmed": "1", "version": "2"}, follow_redirects=True)
    assert [v.number for v in service.versions(demo_round)] == [1, 2]  # version 3 was not the one named
    assert "version 2" in moved.get_data(as_text=True)
    through_confirmation(client, url, {"note": "Quyết định"})
    assert [v.number for v in service.versions(demo_round)] == [1, 2, 3] and service.latest(demo_round).note == "Quyết định"


def test_the_list_published_is_the_one_the_chair_confirmed(demo_round, client, make_user, login):
    """E5: the chair's confirmation names version N; the second post published whatever list stood then
    under that number. A tie decision, a re-mark or a score recorded between the two posts changed the
    list, not the number, and a list the chair never confirmed was frozen as version N. The confirmation
    sends back the digest of the list it showed, and another list is refused in words."""
    tied, url, page = _ties_decided_and_publication_asked(demo_round, client, make_user, login)
    digest = page.split('name="digest" value="', 1)[1].split('"', 1)[0]
    for application_id, decision in zip(tied, ("not_selected", "selected"), strict=True):  # meanwhile
        service.decide(db.session.get(Application, application_id), decision, "Xem xét lại", None)
    db.session.commit()
    answer = client.post(url, data={"note": "Quyết định", "confirmed": "1", "version": "2", "digest": digest},
                         follow_redirects=True).get_data(as_text=True)
    assert [v.number for v in service.versions(demo_round)] == [1], "a list the chair never saw was published"
    assert "changed after the confirmation" in answer
    through_confirmation(client, url, {"note": "Quyết định"})  # the list as it stands now, confirmed
    assert [v.number for v in service.versions(demo_round)] == [1, 2]
