"""B6 sanctions where candidates and proctors read them: the on-screen score, the score slip, the
room's result list and the console show the count after the sanction (the results' own rule), name
the sanction, and tell a suspended candidate why. Irreversible acts ask for a confirmation naming
their consequence; only the council chair withdraws a sanction, with a reason, audited."""
from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal

from exam import draw as drawing
from exam.day import handing_in, proctoring
from exam.day.models import Placement, Sitting
from exam.models import Attempt
from questionbank import api as bank
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.scores import Round1Result
from tests.support.candidate import answer_right, candidate_client, pdf_text, placement_of, started
from tests.support.factories import staffed


def _results_count(attempt: Attempt) -> Decimal:
    """What the results list counts for this attempt (B6, through the ranking's own rule)."""
    result = db.session.scalar(db.select(Round1Result).filter_by(application_id=attempt.application_id))
    rules_ = attempt.form.test.round.rules
    return rules_.count_after_sanction(result.correct, result.sanction)


def test_a_warned_candidate_reads_the_same_count_as_the_results_everywhere(app, day, make_user, login):
    placement = started(day)
    right = answer_right(placement.attempt)
    proctor = staffed(day, make_user("giamthi", "proctor"))
    proctoring.sanction(placement.attempt, "warning", "Sử dụng tài liệu", proctor)
    db.session.commit()
    assert right == 7

    result = candidate_client(app, placement).post("/exam/candidate/api/submit").get_json()
    db.session.expire_all()
    attempt = db.session.get(Placement, placement.id).attempt
    counted = _results_count(attempt)
    assert counted == Decimal("3.5")  # 7 x (1 - 50 %): the ranking's B6, unrounded
    assert result["counted"] == 3.5 and result["counted_text"] == "3,5" and result["correct"] == 7
    assert result["sanction"] == "warning" and result["sanction_label"] == "cảnh cáo"
    assert result["sanction_reason"] == "Sử dụng tài liệu" and result["suspended"] is False

    client = login(make_user("nhansu", "hr"))
    slip = pdf_text(client.get(f"/exam/sittings/placements/{placement.id}/slip.pdf").data)
    assert "3,5 / 8" in slip and "cảnh cáo" in slip and "warning" not in slip
    room = db.session.get(Sitting, day.sitting_id).rooms[0]
    listing = pdf_text(client.get(f"/exam/sittings/{day.sitting_id}/rooms/{room.id}/results.pdf").data)
    assert "3,5" in listing and "cảnh cáo" in listing and "warning" not in listing
    rows = list(csv.DictReader(io.StringIO(client.get(f"/exam/sittings/{day.sitting_id}/rooms/{room.id}/results.csv")
                                           .get_data(as_text=True).lstrip("\ufeff"))))
    row = next(r for r in rows if r["candidate_number"] == placement.attempt.application.number_label)
    assert (row["correct"], row["counted"], row["sanction"]) == ("7", "3.5", "warning")  # CSV keeps codes (formats.md)
    console = client.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert "3,5" in console and "cảnh cáo" in console


def test_a_suspended_candidate_is_told_they_were_suspended_and_why(app, day, make_user, login):
    placement = started(day)
    answer_right(placement.attempt)
    proctoring.sanction(placement.attempt, "suspension", "Mang điện thoại vào phòng thi", make_user("giamthi", "proctor"))
    db.session.commit()
    candidate = candidate_client(app, placement)
    ids, _perms = drawing.unpack(placement.attempt.form.version_ids, placement.attempt.form.option_perms)
    contents = bank.contents([int(v) for v in ids])
    slot = next(i for i, vid in enumerate(ids) if contents[int(vid)].type != "fill")  # a valid save, refused for the sanction
    refused = candidate.post("/exam/candidate/api/answer", json={"slot": slot, "seq": 9, "choice": 1})
    assert refused.status_code == 409 and refused.get_json()["status"] == "collected"  # the page then hands in
    result = candidate.post("/exam/candidate/api/submit").get_json()
    assert result["suspended"] is True and result["counted"] is None and result["passed"] is False
    assert result["sanction_label"] == "đình chỉ thi" and result["sanction_reason"] == "Mang điện thoại vào phòng thi"
    assert "đình chỉ" in result["message"] and "Mang điện thoại" in result["message"]

    client = login(make_user("nhansu", "hr"))
    slip = pdf_text(client.get(f"/exam/sittings/placements/{placement.id}/slip.pdf").data)
    assert "đình chỉ thi" in slip and "hủy" in slip and "Không đạt" not in slip
    room = db.session.get(Sitting, day.sitting_id).rooms[0]
    listing = pdf_text(client.get(f"/exam/sittings/{day.sitting_id}/rooms/{room.id}/results.pdf").data)
    assert "đình chỉ thi" in listing and "suspension" not in listing


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action=action)))


def test_a_suspension_asks_for_a_confirmation_naming_its_consequence(day, make_user, login):
    placement = started(day)
    client = login(staffed(day, make_user("giamthi", "proctor")))
    url = f"/exam/sittings/placements/{placement.id}/sanction"
    form = {"kind": "suspension", "reason": "Mang điện thoại"}
    page = client.post(url, data=form)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "hủy" in text and placement.attempt.application.number_label in text and placement.seat.label in text
    assert 'name="confirmed"' in text
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).attempt.sanction is None  # nothing done yet

    done = client.post(url, data={**form, "confirmed": "1"}, follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    attempt = db.session.get(Placement, placement.id).attempt
    assert attempt.sanction == "suspension" and attempt.status == "collected"
    assert "Đã thực hiện." not in done
    assert f"{attempt.application.number_label}" in done and placement.seat.label in done and "đình chỉ thi" in done


def test_only_the_chair_withdraws_a_sanction_with_a_reason_and_it_is_audited(day, make_user, login, client):
    placement = started(day)
    answer_right(placement.attempt)
    proctoring.sanction(placement.attempt, "warning", "Trao đổi bài", make_user("giamthi", "proctor"))
    handing_in.submit(placement.attempt, placement.attempt.started_at + timedelta(minutes=20))
    db.session.commit()
    url = f"/exam/sittings/placements/{placement.id}/sanction/withdraw"
    proctor = login(staffed(day, make_user("giamthi2", "proctor")))
    assert proctor.post(url, data={"reason": "nhầm người"}).status_code == 403
    login(make_user("chutich", "council_chair"))
    client.post(url, data={"reason": ""})  # a withdrawal needs its reason
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).attempt.sanction == "warning"
    client.post(url, data={"reason": "Camera cho thấy giám thị nhầm người"})
    db.session.expire_all()
    attempt = db.session.get(Placement, placement.id).attempt
    assert attempt.sanction is None and attempt.passed is True
    entry = _audit("sanction_withdrawn")[0]
    before, after = json.loads(entry.before), json.loads(entry.after)
    assert (before["sanction"], before["reason"]) == ("warning", "Trao đổi bài") and after["sanction"] is None
    assert (before["correct_counted"], after["correct_counted"]) == ("3.5", "7")
    assert entry.reason == "Camera cho thấy giám thị nhầm người"
    result = db.session.scalar(db.select(Round1Result).filter_by(application_id=attempt.application_id))
    assert result.sanction is None and result.correct == 7  # the results follow


def test_access_codes_are_reissued_for_one_or_for_all_after_a_confirmation(day, make_user, login):
    client = login(make_user("nhansu", "hr"))
    sitting_url = f"/exam/sittings/{day.sitting_id}"
    before = {p.id: p.access_hash for p in db.session.scalars(db.select(Placement))}
    page = client.post(f"{sitting_url}/tickets.pdf", data={})
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert str(len(before)) in text and "không dùng được nữa" in text and 'name="confirmed"' in text
    db.session.expire_all()
    assert {p.id: p.access_hash for p in db.session.scalars(db.select(Placement))} == before

    one = placement_of(2)
    ticket = client.post(f"/exam/sittings/placements/{one.id}/ticket.pdf", data={})
    assert ticket.status_code == 200 and ticket.data.startswith(b"%PDF")
    text = pdf_text(ticket.data)
    assert one.attempt.application.number_label in text and text.count("GIẤY BÁO DỰ THI") == 1
    db.session.expire_all()
    after = {p.id: p.access_hash for p in db.session.scalars(db.select(Placement))}
    assert [pid for pid in before if before[pid] != after[pid]] == [one.id]
    assert json.loads(_audit("access_codes_issued")[-1].after)["count"] == 1

    every = client.post(f"{sitting_url}/tickets.pdf", data={"confirmed": "1"})
    assert every.data.startswith(b"%PDF")
    db.session.expire_all()
    assert all(p.access_hash != after[p.id] for p in db.session.scalars(db.select(Placement)))


def test_the_console_speaks_to_the_proctor(day, make_user, login):
    placement = started(day)
    proctoring.sanction(placement.attempt, "reprimand", "Nói chuyện", make_user("giamthi", "proctor"))
    db.session.commit()
    client = login(staffed(day, make_user("giamthi2", "proctor")))
    page = client.get(f"/exam/sittings/{day.sitting_id}").get_data(as_text=True)
    assert ">reprimand<" not in page and "khiển trách" in page
    assert 'placeholder="min"' not in page
    import re

    for tag in re.findall(r"<(?:input|select)\b[^>]*>", page):
        if 'type="hidden"' in tag:
            continue
        ident = re.search(r'\bid="([^"]+)"', tag)
        assert ident and f'for="{ident.group(1)}"' in page, tag  # every field has its label
    listing = client.get("/exam/sittings/").get_data(as_text=True)
    assert "(UTC)" not in listing and "giờ Việt Nam" in listing

    spare = next(s for s in db.session.get(Sitting, day.sitting_id).rooms[0].seats if s.spare)
    done = client.post(f"/exam/sittings/placements/{placement.id}/credit",
                       data={"minutes": 5, "reason": "Máy treo", "confirmed": "1"}, follow_redirects=True).get_data(as_text=True)
    number = placement.attempt.application.number_label
    assert "Đã thực hiện." not in done and number in done and "5" in done
    done = client.post(f"/exam/sittings/placements/{placement.id}/move", data={"seat_id": spare.id, "reason": "Máy hỏng"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã thực hiện." not in done and number in done and spare.label in done


def test_the_log_in_message_is_translated(client):
    page = client.get("/exam/candidate/", follow_redirects=True).get_data(as_text=True)
    assert "Please log in to access this page." not in page and "Vui lòng đăng nhập" in page


def test_a_candidate_suspended_before_starting_cannot_begin_and_round_1_is_voided(day, client, make_user):
    """B6 before the start (caught with a phone at the door): the console offers the suspension and
    its confirmation says the test is void, but the attempt stayed not started, so the candidate
    logged in and sat it, and at the sitting's end was recorded absent with the sanction dropped
    (B9 reads absent, not voided; a second reviewer's finding)."""
    from recruitment.rulesets import VN_2025
    from recruitment.scores import round1_parts
    from tests.support.candidate import candidate_login, shows_the_exam

    placement = placement_of(1)
    proctoring.sanction(placement.attempt, "suspension", "Mang điện thoại vào phòng thi", make_user("giamthi", "proctor"))
    db.session.commit()
    attempt = db.session.get(Attempt, placement.attempt_id)
    assert attempt.status == "collected" and attempt.started_at is None  # over, never begun
    refused = candidate_login(client, day, 1)
    assert not shows_the_exam(refused) and "đình chỉ" in refused.get_data(as_text=True)
    sitting = db.session.get(Sitting, day.sitting_id)
    handing_in.collect_overdue(sitting.ends_at + timedelta(seconds=1))
    db.session.commit()
    result = db.session.scalar(db.select(Round1Result).filter_by(application_id=attempt.application_id))
    assert (result.absent, result.sanction, result.sanction_reason) == (False, "suspension", "Mang điện thoại vào phòng thi")
    parts = round1_parts(day.round_id)[attempt.application_id]
    assert VN_2025.round1_outcome("chuyen_vien", parts).status == "voided"


def test_a_suspension_before_the_start_withdrawn_lets_the_candidate_sit(day, client, make_user):
    """The chair takes back a suspension recorded in error before the candidate began: the attempt it
    closed opens again while the sitting lasts (a second reviewer's finding: it stayed handed in, the
    log-in refused the candidate, and round 1 recorded them absent)."""
    from exam.day import sanctions
    from tests.support.candidate import candidate_login, shows_the_exam

    placement = placement_of(1)
    proctoring.sanction(placement.attempt, "suspension", "Ghi nhầm thí sinh", make_user("giamthi", "proctor"))
    db.session.commit()
    sanctions.withdraw(db.session.get(Attempt, placement.attempt_id), "ghi nhầm thí sinh",
                       make_user("chu-tich", "council_chair"))
    db.session.commit()
    attempt = db.session.get(Attempt, placement.attempt_id)
    assert (attempt.status, attempt.sanction, attempt.submitted_at) == ("not_started", None, None)
    assert db.session.scalar(db.select(Round1Result).filter_by(application_id=attempt.application_id)) is None
    assert shows_the_exam(candidate_login(client, day, 1))
    entry = db.session.scalars(db.select(AuditEntry).filter_by(action="sanction_withdrawn")).one()
    assert "not_started" in entry.after and "collected" in entry.before
