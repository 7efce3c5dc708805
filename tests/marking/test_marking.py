"""The paper written test through the service (C3, C7): the rule examples of C3 mark by mark, each
mark by its own marker on an anonymised script, a pending mark that blocks the results, re-marking
within 5 working days of the results version that published the score, the council chair's decision
when a re-mark moves the score by 5 or more, and published versions left as they were (E5)."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest

from marking import service as marking
from marking.models import RemarkRequest, WrittenMark
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.scores import round1_result, round2_score
from results import reasons
from results import service as results
from tests.support.auth import login_as
from tests.support.factories import round_with_applications

FRIDAY_0900_VN = datetime(2026, 12, 4, 2)  # stored as naive UTC


@pytest.fixture
def setup(app, make_user, tmp_path):
    markers = [make_user(f"gk{i}", "marker") for i in range(1, 7)]
    chair, hr = make_user("chutich", "council_chair"), make_user("hr_mk", "hr")
    round_, apps = round_with_applications(tmp_path, "WM", ["Lê Hoa", "Vũ Nam", "Hà My"])
    for application in apps:  # round 1 passed (B2): they sit the written test; the interview is done (C5)
        result = round1_result(application.id)
        result.correct, result.total = Decimal(45), 60
        round2_score(application.id).interview = Decimal(70)
    db.session.commit()
    return {"markers": markers, "chair": chair, "hr": hr, "round": round_, "apps": apps}


def _mark(application, which, score, marker):
    return marking.record_mark(application, which, Decimal(score), marker)


def _settle_all(setup, first="70", second="74"):
    m1, m2 = setup["markers"][:2]
    for application in setup["apps"]:
        if marking.needed(application) == "first":
            _mark(application, "first", first, m1)
            _mark(application, "second", second, m2)


def _publish(round_, on: datetime):
    version = results.publish(round_, "hr")
    version.published_at = on
    db.session.flush()
    return version


def test_c3_two_marks_5_apart_give_the_mean(setup):
    """C3: a difference of 5 points or less gives the mean (C6: 2 decimals)."""
    a, b, (m1, m2, m3, *_rest) = setup["apps"][0], setup["apps"][1], setup["markers"]
    assert _mark(a, "first", "70", m1) is None
    assert round2_score(a.id).written is None and not round2_score(a.id).written_pending  # one mark: nothing yet
    with pytest.raises(marking.MarkRefused):
        _mark(a, "second", "72", m1)  # the second marker is never the first
    outcome = _mark(a, "second", "75", m2)
    assert outcome.score == Decimal("72.50") and round2_score(a.id).written == Decimal("72.50")
    assert round2_score(a.id).written_source == "marking" and not round2_score(a.id).written_pending
    with pytest.raises(marking.MarkRefused, match="C3"):
        _mark(a, "third", "71", m3)  # settled: no third
    _mark(b, "first", "60.25", m1)
    assert _mark(b, "second", "65.25", m2).score == Decimal("62.75")  # exactly 5 apart: still the mean
    mark = db.session.scalar(db.select(WrittenMark).filter_by(application_id=b.id, which="second"))
    assert mark.marker_id == m2.id and mark.entered_by_id == m2.id


def test_c3_between_5_and_10_goes_to_the_head_marker(setup):
    """C3: more than 5 and under 10 apart: the head marker (the council chair) decides; meanwhile
    the mark is pending."""
    a, (m1, m2, m3, *_rest) = setup["apps"][0], setup["markers"]
    _mark(a, "first", "60", m1)
    outcome = _mark(a, "second", "67", m2)
    row = round2_score(a.id)
    assert outcome.needs == "head" and row.written is None and row.written_pending
    assert marking.needed(a) == "head"
    with pytest.raises(marking.MarkRefused, match="C3"):
        _mark(a, "third", "64", m3)  # C3 asks for the head, not a third marker
    with pytest.raises(marking.MarkRefused):
        _mark(a, "head", "64", m3)  # a marker is not the head marker
    assert _mark(a, "head", "64", setup["chair"]).score == Decimal("64.00")
    assert (row.written, row.written_pending) == (Decimal("64.00"), False)


def test_c3_ten_apart_takes_a_third_marker_and_two_agreeing(setup):
    """C3: 10 or more apart: a third marker; two of three agreeing give the score, otherwise the head."""
    a, (m1, m2, m3, *_rest) = setup["apps"][0], setup["markers"]
    _mark(a, "first", "50", m1)
    with pytest.raises(marking.MarkRefused, match="C3"):
        _mark(a, "third", "62", m3)  # too early: C3 asks for the second marker
    assert _mark(a, "second", "60", m2).needs == "third_marker"  # exactly 10 apart
    assert round2_score(a.id).written_pending and marking.needed(a) == "third"
    with pytest.raises(marking.MarkRefused, match="C3"):
        _mark(a, "head", "55", setup["chair"])  # the head comes only when C3 says so
    with pytest.raises(marking.MarkRefused):
        _mark(a, "third", "60", m1)  # the third marker is neither of the first two
    assert _mark(a, "third", "60", m3).score == Decimal("60.00")  # two of three agree
    assert not round2_score(a.id).written_pending
    b = setup["apps"][1]
    _mark(b, "first", "50", m1)
    _mark(b, "second", "62", m2)
    assert _mark(b, "third", "56", m3).needs == "head"  # no two agree: the head marker decides
    assert round2_score(b.id).written_pending
    assert _mark(b, "head", "57", setup["chair"]).score == Decimal("57.00")
    assert marking.script_code(a) != marking.script_code(b) and len(marking.script_code(a)) == 8


def test_c3_marks_are_audited(setup):
    a, (m1, m2, *_rest) = setup["apps"][0], setup["markers"]
    _mark(a, "first", "70", m1)
    _mark(a, "second", "71", m2)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .filter_by(action="written_marked")) == 2


def test_c3_a_pending_mark_blocks_the_results_like_an_interview_spread(setup):
    """C3 with E1/E4: while the third marker or head marker is awaited the candidate is not ready:
    publication is refused and the list names the reason."""
    _settle_all(setup)
    a, (m1, m2, *_rest) = setup["apps"][0], setup["markers"]
    round_ = setup["round"]
    db.session.query(WrittenMark).filter_by(application_id=a.id).delete()
    row = round2_score(a.id)
    row.written, row.written_source = None, None
    _mark(a, "first", "50", m1)
    _mark(a, "second", "65", m2)
    computation = results.compute(round_)
    assert [(b.code, b.application_id) for b in computation.blockers] == [("written_pending", a.id)]
    pending = next(r for r in computation.rows if r.candidate.application_id == a.id)
    assert pending.status == "absent" and pending.reason.code == "written_pending"
    assert reasons.sentence(pending.reason) == reasons.blocker_text("written_pending")
    with pytest.raises(results.PublicationBlocked):
        results.publish(round_, "hr")
    _mark(a, "third", "65", setup["markers"][2])
    assert not results.compute(round_).blockers
    assert results.publish(round_, "hr").number == 1


def test_c3_pending_flag_alone_holds_a_candidate_back_in_the_ranking():
    """The ranking treats written_pending exactly like interview_pending, even with a value present."""
    from recruitment.rulesets import get as get_rules
    from results.ranking import Candidate, Part, rank

    c = Candidate(application_id=1, position_code="P", candidate_number=1, national_id="1", full_name="A",
                  grade="chuyen_vien", round2_form="written", parts={"general": Part(Decimal(40), 60)},
                  written=Decimal(80), written_pending=True)
    rows, blockers = rank([c], {"P": 1}, get_rules("vn-2025"))
    assert [b.code for b in blockers] == ["written_pending"] and rows[0].status == "absent"


def test_working_days_skip_the_weekend():
    """C7: 5 working days, Monday to Friday."""
    assert marking.add_working_days(date(2026, 12, 4), 5) == date(2026, 12, 11)  # Friday to the next Friday
    assert marking.add_working_days(date(2026, 12, 7), 5) == date(2026, 12, 14)  # Monday to the next Monday
    assert marking.add_working_days(date(2026, 12, 5), 5) == date(2026, 12, 11)  # Saturday: Mon to Fri


def test_c7_deadline_counts_from_the_version_that_published_the_score(setup):
    """C7: within 5 working days of the results; a Friday publication gives the next Friday, and a
    later version that leaves the score alone does not move the deadline."""
    _settle_all(setup)
    round_, a = setup["round"], setup["apps"][0]
    with pytest.raises(marking.MarkRefused, match="C7"):
        marking.request_remark(a, date(2026, 12, 7))  # nothing published, no announcement date
    _publish(round_, FRIDAY_0900_VN)
    round2_score(setup["apps"][1].id).interview = Decimal(80)  # a change for another candidate (E5: no empty version)
    _publish(round_, datetime(2026, 12, 8, 2))  # version 2, Tuesday: nothing changed for this candidate
    found = marking.published_version(a)
    assert (found.version, found.on, found.written) == (1, date(2026, 12, 4), Decimal("72.00"))
    with pytest.raises(marking.MarkRefused, match="11/12/2026"):
        marking.request_remark(a, date(2026, 12, 14))
    with pytest.raises(marking.MarkRefused):
        marking.request_remark(a, date(2026, 12, 3))  # before the results
    request = marking.request_remark(a, date(2026, 12, 11))  # the last day is still in time
    assert (request.deadline, request.results_on, request.results_version) == (date(2026, 12, 11), date(2026, 12, 4), 1)
    assert request.published == Decimal("72.00")
    with pytest.raises(marking.MarkRefused):
        marking.request_remark(a, date(2026, 12, 11))  # one request per candidate


def test_c7_without_a_published_version_hr_gives_the_announcement_date(setup):
    _settle_all(setup)
    a = setup["apps"][0]
    with pytest.raises(marking.MarkRefused, match="18/12/2026"):
        marking.request_remark(a, date(2026, 12, 21), results_on=date(2026, 12, 11))
    request = marking.request_remark(a, date(2026, 12, 18), results_on=date(2026, 12, 11))
    assert (request.deadline, request.results_version) == (date(2026, 12, 18), None)


def test_c7_only_for_paper_tests_and_settled_marks(setup):
    """C7: no re-marking of a test on computer (B3, C2), nor of a mark C3 has not settled."""
    computer, pending = setup["apps"][1], setup["apps"][2]
    row = round2_score(computer.id)
    row.written, row.written_source = Decimal("80"), "computer"
    with pytest.raises(marking.MarkRefused, match="C7"):
        marking.request_remark(computer, date(2026, 12, 7), results_on=date(2026, 12, 4))
    with pytest.raises(marking.MarkRefused):
        _mark(computer, "first", "70", setup["markers"][0])  # not marked by hand either
    _mark(pending, "first", "50", setup["markers"][0])
    _mark(pending, "second", "70", setup["markers"][1])
    with pytest.raises(marking.MarkRefused, match="C7"):
        marking.request_remark(pending, date(2026, 12, 7), results_on=date(2026, 12, 4))


def test_c7_a_small_change_stands_and_a_large_one_waits_for_the_chair(setup):
    """C7: two re-markers, a third if they differ; under 5 points from the published score the
    re-mark stands, 5 or more waits for the council chair."""
    markers, chair = setup["markers"], setup["chair"]
    _settle_all(setup, "60", "62")  # 61 published
    _publish(setup["round"], FRIDAY_0900_VN)
    small, large, kept = setup["apps"]
    request = marking.request_remark(small, date(2026, 12, 7))
    with pytest.raises(marking.MarkRefused):
        marking.record_remark(request, "first", Decimal(64), markers[0])  # an original marker
    with pytest.raises(marking.MarkRefused):
        marking.record_remark(request, "second", Decimal(64), markers[2])  # out of turn
    marking.record_remark(request, "first", Decimal(64), markers[2])
    with pytest.raises(marking.MarkRefused):
        marking.record_remark(request, "second", Decimal(64), markers[2])  # another re-marker
    outcome = marking.record_remark(request, "second", Decimal("65.5"), markers[3])
    assert outcome.needs == "third_marker" and marking.remark_needed(request) == "third"  # they differ: a third
    outcome = marking.record_remark(request, "third", Decimal("65.5"), markers[4])
    assert outcome.score == Decimal("65.50") and request.status == "done"  # 4.5 from 61: it stands
    assert round2_score(small.id).written == Decimal("65.50")

    request = marking.request_remark(large, date(2026, 12, 7))
    marking.record_remark(request, "first", Decimal(70), markers[2])
    assert marking.record_remark(request, "second", Decimal(74), markers[3]).needs == "third_marker"
    outcome = marking.record_remark(request, "third", Decimal(68), markers[4])
    assert outcome.score == Decimal("70.67") and outcome.needs == "chair"  # the mean of three, 9.67 from 61
    assert round2_score(large.id).written == Decimal("61.00")  # unchanged until the chair decides
    with pytest.raises(marking.MarkRefused):
        marking.chair_decides(request, markers[0], True, "đồng ý")  # only the chair
    with pytest.raises(marking.MarkRefused):
        marking.chair_decides(request, chair, True, "  ")  # with a reason
    marking.chair_decides(request, chair, True, "Hội đồng đã xem lại bài thi, chấp nhận kết quả phúc khảo")
    assert round2_score(large.id).written == Decimal("70.67") and request.status == "done" and request.chair_accepted

    request = marking.request_remark(kept, date(2026, 12, 8))
    marking.record_remark(request, "first", Decimal(66), markers[2])
    assert marking.record_remark(request, "second", Decimal(66), markers[3]).needs == "chair"  # exactly 5
    marking.chair_decides(request, chair, False, "Giữ điểm đã công bố")
    assert round2_score(kept.id).written == Decimal("61.00") and request.chair_accepted is False
    with pytest.raises(marking.MarkRefused):
        marking.chair_decides(request, chair, True, "lần hai")  # decided once
    assert db.session.scalar(db.select(db.func.count()).select_from(RemarkRequest)) == 3


def test_e5_a_re_mark_after_publication_leaves_the_published_version_alone(setup, client, login):
    """C7 with E5: the re-marked score lands in Round2Score; version 1 is unchanged, the results
    show the difference, and the next version carries the new score."""
    markers = setup["markers"]
    _settle_all(setup, "60", "62")
    round_ = setup["round"]
    first = _publish(round_, FRIDAY_0900_VN)
    frozen = first.snapshot
    a = setup["apps"][0]
    request = marking.request_remark(a, date(2026, 12, 7))
    marking.record_remark(request, "first", Decimal(63), markers[2])
    marking.record_remark(request, "second", Decimal(63), markers[3])
    assert round2_score(a.id).written == Decimal("63.00")
    db.session.commit()
    assert first.snapshot == frozen
    changed = {(b or a_)["application_id"]: (b, a_) for b, a_ in results.changes_since_latest(round_)}
    before, after = changed[a.id]
    assert (before["round2_written"], after["round2_written"]) == ("61.00", "63.00")
    login(setup["hr"])
    assert 'id="unpublished-changes"' in client.get(f"/results/{round_.id}").get_data(as_text=True)
    assert 'id="unpublished-changes"' in client.get(f"/marking/rounds/{round_.id}").get_data(as_text=True)
    second = results.publish(round_, "hr", "phúc khảo")
    row = next(r for r in results.rows_of(second) if r["application_id"] == a.id)
    assert row["round2_written"] == "63.00" and not results.changes_since_latest(round_)
    assert 'id="unpublished-changes"' not in client.get(f"/results/{round_.id}").get_data(as_text=True)
    assert next(r for r in results.rows_of(first) if r["application_id"] == a.id)["round2_written"] == "61.00"


def test_hr_records_an_absence_but_never_a_mark_without_its_markers(setup):
    """One path for paper marks (docs/marking.md): a mark comes from the markers (C3), on the page or in
    the import that names them; HR records only that a candidate did not sit the written test."""
    a, b, c = setup["apps"]
    hr, m1 = setup["hr"], setup["markers"][0]
    assert not hasattr(marking, "enter_final")  # no written score stands without its markers
    with pytest.raises(marking.MarkRefused):
        marking.record_absence(a, m1)  # HR only
    marking.record_absence(b, hr)
    assert round2_score(b.id).written_absent and round2_score(b.id).written is None and marking.needed(b) is None
    with pytest.raises(marking.MarkRefused):
        _mark(b, "first", "70", m1)
    _mark(c, "first", "70", m1)
    with pytest.raises(marking.MarkRefused, match="C3"):
        marking.record_absence(c, hr)  # being marked here
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="written_absent")).object_id == str(b.id)


def test_a_final_mark_imported_from_a_file_is_not_marked_again(setup):
    a = setup["apps"][2]
    row = round2_score(a.id)
    row.written, row.written_source = Decimal("66.5"), "import"  # formats.md --kind written
    assert marking.imported(a) and marking.needed(a) is None
    with pytest.raises(marking.MarkRefused):
        _mark(a, "first", "70", setup["markers"][0])
    assert round2_score(a.id).written == Decimal("66.5")


def test_the_pages_keep_scripts_anonymous_to_markers_and_carry_each_step(setup, client, login):
    """C3: markers see script codes only; C7 through the pages: HR's request, the re-markers."""
    a, markers, round_ = setup["apps"][0], setup["markers"], setup["round"]
    path = f"/marking/rounds/{round_.id}"
    login(markers[0])
    round1_result(setup["apps"][1].id).correct = Decimal(10)  # failed round 1 (B2): no written test
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert marking.script_code(a) in page and "Lê Hoa" not in page  # C3: anonymised scripts
    assert marking.script_code(setup["apps"][1]) not in page
    client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(a)}/mark", data={"which": "first", "score": "58"})
    login(markers[1])
    second_sees = client.get(path).get_data(as_text=True)  # the second marker does not see the first's mark
    assert '<td class="num">58' not in second_sees and 'value="58' not in second_sees
    client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(a)}/mark", data={"which": "second", "score": "66,5"})
    assert round2_score(a.id).written_pending
    login(setup["chair"])
    page = client.get(path).get_data(as_text=True)
    assert "Lê Hoa" in page and '<td class="num">58' in page
    client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(a)}/mark", data={"which": "head", "score": "63"})
    assert round2_score(a.id).written == Decimal("63.00") and not round2_score(a.id).written_pending
    c = setup["apps"][2]
    login(setup["hr"])
    assert client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(c)}/final",
                       data={"score": "71,25"}).status_code == 404  # no final mark without markers (C3)
    client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(c)}/absent")
    assert round2_score(c.id).written_absent and round2_score(c.id).written is None
    client.post(f"/marking/rounds/{round_.id}/remarks", data={"application_id": a.id, "requested_on": "2026-12-08"})
    assert db.session.scalar(db.select(RemarkRequest)) is None  # nothing published, no announcement date
    client.post(f"/marking/rounds/{round_.id}/remarks", data={"application_id": a.id, "requested_on": "2026-12-08",
                                                              "results_on": "2026-12-04"})
    request = db.session.scalar(db.select(RemarkRequest))
    assert request.deadline == date(2026, 12, 11) and request.published == Decimal("63.00")
    for marker, which in ((markers[2], "first"), (markers[3], "second")):
        login(marker)
        client.post(f"/marking/remarks/{request.id}/mark", data={"which": which, "score": "64"})
    db.session.refresh(request)
    assert request.status == "done" and round2_score(a.id).written == Decimal("64.00")  # 1 point: it stands (C7)


def test_the_pages_keep_to_roles(setup, client, login, make_user):
    """Access: markers mark, the chair decides, HR records requests and final marks; the supervisor
    only reads (G6)."""
    a, round_ = setup["apps"][0], setup["round"]
    path = f"/marking/rounds/{round_.id}"
    login(make_user("gs", "supervisor"))
    assert client.get(path).status_code == 200
    assert client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(a)}/mark", data={"which": "first", "score": "70"}).status_code == 403
    login(setup["hr"])
    assert client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(a)}/mark", data={"which": "first", "score": "70"}).status_code == 403
    login(setup["markers"][0])
    assert client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(a)}/absent").status_code == 403
    assert client.post(f"/marking/rounds/{round_.id}/remarks", data={"application_id": a.id}).status_code == 403
    login(make_user("ip", "interviewer"))
    assert client.get(path).status_code == 403
    assert not db.session.scalar(db.select(WrittenMark))


def test_the_forms_need_their_csrf_token(setup, client):
    a, marker = setup["apps"][0], setup["markers"][0]
    login_as(client, marker)
    mark = f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(a)}/mark"
    assert client.post(mark, data={"which": "first", "score": "70"}, csrf=False).status_code == 400
    assert not db.session.scalar(db.select(WrittenMark).filter_by(application_id=a.id))
    page = client.get(f"/marking/rounds/{setup['round'].id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # as the page sends it
    assert client.post(mark, data={"which": "first", "score": "70", "csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(WrittenMark).filter_by(application_id=a.id)).score == Decimal(70)


def _more_apps(setup, tmp_path, names, position="TC-01"):
    """Further admitted applications in the setup's round, round 1 passed."""
    from recruitment import importing
    from recruitment.models import Application
    from tests.support.importfiles import APPLICATION_HEADERS, application_row, write_xlsx

    round_ = setup["round"]
    known = set(db.session.scalars(db.select(Application.id).filter_by(round_id=round_.id)))
    start = len(known)
    rows = [application_row(f"03100009{start + i:04d}", name, position=position, major="Tài chính" if position == "TC-01" else "")
            for i, name in enumerate(names, 1)]
    importing.import_applications(round_, "b.xlsx", write_xlsx(tmp_path / "b.xlsx", APPLICATION_HEADERS, rows).read_bytes())
    more = [a for a in db.session.scalars(db.select(Application).filter_by(round_id=round_.id).order_by(Application.id))
            if a.id not in known]
    for application in more:
        result = round1_result(application.id)
        result.correct, result.total = Decimal(45), 60
    db.session.commit()
    return more


def test_marks_only_for_scripts_of_a_paper_test_the_candidate_is_admitted_to(setup, tmp_path):
    """Item 1: C3 marks only for candidates admitted to round 2's paper written test of their own
    position: round 1 passed (B9), not rejected or cancelled, a written part on paper. A computer
    score (C2) is never replaced by a mark."""
    from exam.models import ExamTest

    a, b, c = setup["apps"]
    m1, m2 = setup["markers"][:2]
    computer, = _more_apps(setup, tmp_path, ["Đào Minh"], position="VT-02")
    other_position = computer.position
    cancelled, = _more_apps(setup, tmp_path, ["Kim Anh"])
    a.status = "rejected"  # A4
    round1_result(b.id).correct = Decimal(10)  # failed round 1 (B2)
    cancelled.cancelled = True  # F3
    score = round2_score(c.id)
    score.written, score.written_source = Decimal(45), "computer"  # C2: graded by the exam
    db.session.commit()
    for application, reason in ((a, "A4"), (b, "B2, B9"), (cancelled, "F3"), (c, "C2")):
        with pytest.raises(marking.MarkRefused, match=reason):
            _mark(application, "first", "98", m1)
    assert round2_score(c.id).written == Decimal(45) and round2_score(c.id).written_source == "computer"
    # A position whose written test is set on computer (C2): refused before it is even graded.
    db.session.add(ExamTest(round_id=setup["round"].id, kind="round2_written", position_id=other_position.id,
                            section="professional", title="Nghiệp vụ", minutes=90, scale_to_100=True))
    db.session.commit()
    with pytest.raises(marking.MarkRefused, match="C2"):
        _mark(computer, "first", "98", m1)
    assert not db.session.scalar(db.select(WrittenMark))
    assert marking.admitted_scripts(setup["round"]) == []
    with pytest.raises(marking.MarkRefused, match="C2"):
        marking.record_absence(computer, setup["hr"])


def test_a_refused_mark_says_why_on_the_page_and_is_audited(setup, client, login):
    a, b, _c = setup["apps"]
    round1_result(b.id).correct = Decimal(10)  # failed round 1: no script
    db.session.commit()
    login(setup["markers"][0])
    path = f"/marking/rounds/{setup['round'].id}"
    code = marking.script_code(b)
    page = client.post(f"{path}/scripts/{code}/mark", data={"which": "first", "score": "98"}, follow_redirects=True)
    assert "(B2, B9)" in page.get_data(as_text=True)
    refused = db.session.scalar(db.select(AuditEntry).filter_by(action="written_mark_refused"))
    assert refused is not None and "(B2, B9)" in refused.reason and code in refused.after
    client.post(f"{path}/scripts/NOSUCHCO/mark", data={"which": "first", "score": "98"})
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .filter_by(action="written_mark_refused")) == 2
    assert not db.session.scalar(db.select(WrittenMark)) and round2_score(b.id).written is None


def test_c3_scripts_are_listed_by_code_and_urls_carry_only_the_code(setup, client, login, tmp_path):
    """Item 2 (C3): the list is in script-code order, unrelated to candidate numbers, and no form
    names an application; the code is resolved within the round on the server."""
    apps = setup["apps"] + _more_apps(setup, tmp_path, [f"Thí sinh {i}" for i in range(8)])
    login(setup["markers"][0])
    page = client.get(f"/marking/rounds/{setup['round'].id}").get_data(as_text=True)
    listed = re.findall(r'id="script-([0-9A-F]+)"', page)
    assert listed == sorted(marking.script_code(a) for a in apps)
    assert listed != [marking.script_code(a) for a in sorted(apps, key=lambda a: a.candidate_number)]
    assert "/applications/" not in page
    a = apps[0]
    code = marking.script_code(a)
    assert f"/marking/rounds/{setup['round'].id}/scripts/{code}/mark" in page
    client.post(f"/marking/rounds/{setup['round'].id}/scripts/{code}/mark", data={"which": "first", "score": "58"})
    assert db.session.scalar(db.select(WrittenMark).filter_by(application_id=a.id)).score == Decimal(58)
    assert client.post(f"/marking/applications/{a.id}/mark", data={"which": "second", "score": "58"}).status_code == 404
    assert marking.find_script(setup["round"], code.lower()) == a


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "Infinity", "-inf", "1e999", "abc"])
def test_a_mark_that_is_not_a_finite_number_is_refused_not_a_500(setup, client, login, typed):
    a = setup["apps"][0]
    login(setup["markers"][0])
    response = client.post(f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(a)}/mark",
                           data={"which": "first", "score": typed})
    assert response.status_code == 302
    assert marking.marks_of(a) == {}
