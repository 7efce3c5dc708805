"""The paper written test through the service (C3, C7): the rule examples of C3 mark by mark, each
mark by its own marker on an anonymised script, a pending mark that blocks the results, re-marking
within 5 working days of the results version that published the score, the council chair's decision
when a re-mark moves the score by 5 or more, and published versions left as they were (E5)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from marking import remarks
from marking import service as marking
from marking.models import RemarkRequest, WrittenMark
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.scores import round2_score
from results import reasons
from results import service as results
from tests.support.marking import drawn, give_mark, not_on, publish, settle_all

FRIDAY_0900_VN = datetime(2026, 12, 4, 2)  # stored as naive UTC


def test_c3_two_marks_5_apart_give_the_mean(setup):
    """C3: a difference of 5 points or less gives the mean (C6: 2 decimals)."""
    a, b, (m1, _second, m3, *_rest) = setup["apps"][0], setup["apps"][1], setup["markers"]
    assert give_mark(a, "first", "70", m1) is None
    assert round2_score(a.id).written is None and not round2_score(a.id).written_pending  # one mark: nothing yet
    with pytest.raises(marking.MarkRefused):
        give_mark(a, "second", "72", m1)  # the second marker is never the first
    outcome = give_mark(a, "second", "75", drawn(a))
    assert outcome.score == Decimal("72.50") and round2_score(a.id).written == Decimal("72.50")
    assert round2_score(a.id).written_source == "marking" and not round2_score(a.id).written_pending
    with pytest.raises(marking.MarkRefused, match="C3"):
        give_mark(a, "third", "71", m3)  # settled: no third
    give_mark(b, "first", "60.25", m1)
    assert give_mark(b, "second", "65.25", drawn(b)).score == Decimal("62.75")  # exactly 5 apart: still the mean
    mark = db.session.scalar(db.select(WrittenMark).filter_by(application_id=b.id, which="second"))
    assert mark.marker_id == drawn(b).id and mark.entered_by_id == drawn(b).id


def test_c3_between_5_and_10_goes_to_the_head_marker(setup):
    """C3: more than 5 and under 10 apart: the head marker (the council chair) decides; meanwhile
    the mark is pending."""
    a, (m1, _second, m3, *_rest) = setup["apps"][0], setup["markers"]
    give_mark(a, "first", "60", m1)
    outcome = give_mark(a, "second", "67", drawn(a))
    row = round2_score(a.id)
    assert outcome.needs == "head" and row.written is None and row.written_pending
    assert marking.needed(a) == "head"
    with pytest.raises(marking.MarkRefused, match="C3"):
        give_mark(a, "third", "64", m3)  # C3 asks for the head, not a third marker
    with pytest.raises(marking.MarkRefused):
        give_mark(a, "head", "64", m3)  # a marker is not the head marker
    assert give_mark(a, "head", "64", setup["chair"]).score == Decimal("64.00")
    assert (row.written, row.written_pending) == (Decimal("64.00"), False)


def test_c3_ten_apart_takes_a_third_marker_and_two_agreeing(setup):
    """C3: 10 or more apart: a third marker; two of three agreeing give the score, otherwise the head."""
    a, markers = setup["apps"][0], setup["markers"]
    m1, m3 = markers[0], markers[2]
    give_mark(a, "first", "50", m1)
    with pytest.raises(marking.MarkRefused, match="C3"):
        give_mark(a, "third", "62", m3)  # too early: C3 asks for the second marker
    assert give_mark(a, "second", "60", drawn(a)).needs == "third_marker"  # exactly 10 apart
    assert round2_score(a.id).written_pending and marking.needed(a) == "third"
    with pytest.raises(marking.MarkRefused, match="C3"):
        give_mark(a, "head", "55", setup["chair"])  # the head comes only when C3 says so
    with pytest.raises(marking.MarkRefused):
        give_mark(a, "third", "60", m1)  # the third marker is neither of the first two
    assert give_mark(a, "third", "60", not_on(a, markers)[0]).score == Decimal("60.00")  # two of three agree
    assert not round2_score(a.id).written_pending
    b = setup["apps"][1]
    give_mark(b, "first", "50", m1)
    give_mark(b, "second", "62", drawn(b))
    assert give_mark(b, "third", "56", not_on(b, markers)[0]).needs == "head"  # no two agree: the head marker decides
    assert round2_score(b.id).written_pending
    assert give_mark(b, "head", "57", setup["chair"]).score == Decimal("57.00")
    assert marking.script_code(a) != marking.script_code(b) and len(marking.script_code(a)) == 8


def test_c3_marks_are_audited(setup):
    a, m1 = setup["apps"][0], setup["markers"][0]
    give_mark(a, "first", "70", m1)
    give_mark(a, "second", "71", drawn(a))
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)
                             .filter_by(action="written_marked")) == 2


def test_c3_a_pending_mark_blocks_the_results_like_an_interview_spread(setup):
    """C3 with E1/E4: while the third marker or head marker is awaited the candidate is not ready:
    publication is refused and the list names the reason."""
    settle_all(setup)
    a, m1 = setup["apps"][0], setup["markers"][0]
    round_ = setup["round"]
    db.session.query(WrittenMark).filter_by(application_id=a.id).delete()
    row = round2_score(a.id)
    row.written, row.written_source = None, None
    give_mark(a, "first", "50", m1)
    give_mark(a, "second", "65", drawn(a))
    computation = results.compute(round_)
    assert [(b.code, b.application_id) for b in computation.blockers] == [("written_pending", a.id)]
    pending = next(r for r in computation.rows if r.candidate.application_id == a.id)
    assert pending.status == "absent" and pending.reason.code == "written_pending"
    assert reasons.sentence(pending.reason) == reasons.blocker_text("written_pending")
    with pytest.raises(results.PublicationBlocked):
        results.publish(round_, "hr")
    give_mark(a, "third", "65", not_on(a, setup["markers"])[0])
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
    assert remarks.add_working_days(date(2026, 12, 4), 5) == date(2026, 12, 11)  # Friday to the next Friday
    assert remarks.add_working_days(date(2026, 12, 7), 5) == date(2026, 12, 14)  # Monday to the next Monday
    assert remarks.add_working_days(date(2026, 12, 5), 5) == date(2026, 12, 11)  # Saturday: Mon to Fri


def test_c7_deadline_counts_from_the_version_that_published_the_score(setup):
    """C7: within 5 working days of the results; a Friday publication gives the next Friday, and a
    later version that leaves the score alone does not move the deadline."""
    settle_all(setup)
    round_, a = setup["round"], setup["apps"][0]
    with pytest.raises(marking.MarkRefused, match="C7"):
        remarks.request_remark(a, date(2026, 12, 7))  # nothing published, no announcement date
    publish(round_, FRIDAY_0900_VN)
    round2_score(setup["apps"][1].id).interview = Decimal(80)  # a change for another candidate (E5: no empty version)
    publish(round_, datetime(2026, 12, 8, 2))  # version 2, Tuesday: nothing changed for this candidate
    found = marking.published_version(a)
    assert (found.version, found.on, found.written) == (1, date(2026, 12, 4), Decimal("72.00"))
    with pytest.raises(marking.MarkRefused, match="11/12/2026"):
        remarks.request_remark(a, date(2026, 12, 14))
    with pytest.raises(marking.MarkRefused):
        remarks.request_remark(a, date(2026, 12, 3))  # before the results
    request = remarks.request_remark(a, date(2026, 12, 11))  # the last day is still in time
    assert (request.deadline, request.results_on, request.results_version) == (date(2026, 12, 11), date(2026, 12, 4), 1)
    assert request.published == Decimal("72.00")
    with pytest.raises(marking.MarkRefused):
        remarks.request_remark(a, date(2026, 12, 11))  # one request per candidate


def test_c7_without_a_published_version_hr_gives_the_announcement_date(setup):
    settle_all(setup)
    a = setup["apps"][0]
    with pytest.raises(marking.MarkRefused, match="18/12/2026"):
        remarks.request_remark(a, date(2026, 12, 21), results_on=date(2026, 12, 11))
    request = remarks.request_remark(a, date(2026, 12, 18), results_on=date(2026, 12, 11))
    assert (request.deadline, request.results_version) == (date(2026, 12, 18), None)


def test_c7_only_for_paper_tests_and_settled_marks(setup):
    """C7: no re-marking of a test on computer (B3, C2), nor of a mark C3 has not settled."""
    computer, pending = setup["apps"][1], setup["apps"][2]
    row = round2_score(computer.id)
    row.written, row.written_source = Decimal("80"), "computer"
    with pytest.raises(marking.MarkRefused, match="C7"):
        remarks.request_remark(computer, date(2026, 12, 7), results_on=date(2026, 12, 4))
    with pytest.raises(marking.MarkRefused):
        give_mark(computer, "first", "70", setup["markers"][0])  # not marked by hand either
    give_mark(pending, "first", "50", setup["markers"][0])
    give_mark(pending, "second", "70", drawn(pending))
    with pytest.raises(marking.MarkRefused, match="C7"):
        remarks.request_remark(pending, date(2026, 12, 7), results_on=date(2026, 12, 4))


def test_c7_a_small_change_stands_and_a_large_one_waits_for_the_chair(setup):
    """C7: two re-markers, a third if they differ; under 5 points from the published score the
    re-mark stands, 5 or more waits for the council chair."""
    markers, chair = setup["markers"], setup["chair"]
    settle_all(setup, "60", "62")  # 61 published
    publish(setup["round"], FRIDAY_0900_VN)
    small, large, kept = setup["apps"]
    request = remarks.request_remark(small, date(2026, 12, 7))
    r1, r2, r3, *_free = not_on(small, markers)  # re-markers: none of the script's markers
    with pytest.raises(marking.MarkRefused):
        remarks.record_remark(request, "first", Decimal(64), markers[0])  # an original marker
    with pytest.raises(marking.MarkRefused):
        remarks.record_remark(request, "second", Decimal(64), r1)  # out of turn
    remarks.record_remark(request, "first", Decimal(64), r1)
    with pytest.raises(marking.MarkRefused):
        remarks.record_remark(request, "second", Decimal(64), r1)  # another re-marker
    outcome = remarks.record_remark(request, "second", Decimal("65.5"), r2)
    assert outcome.needs == "third_marker" and remarks.remark_needed(request) == "third"  # they differ: a third
    outcome = remarks.record_remark(request, "third", Decimal("65.5"), r3)
    assert outcome.score == Decimal("65.50") and request.status == "done"  # 4.5 from 61: it stands
    assert round2_score(small.id).written == Decimal("65.50")

    request = remarks.request_remark(large, date(2026, 12, 7))
    r1, r2, r3, *_free = not_on(large, markers)
    remarks.record_remark(request, "first", Decimal(70), r1)
    assert remarks.record_remark(request, "second", Decimal(74), r2).needs == "third_marker"
    outcome = remarks.record_remark(request, "third", Decimal(68), r3)
    assert outcome.score == Decimal("70.67") and outcome.needs == "chair"  # the mean of three, 9.67 from 61
    assert round2_score(large.id).written == Decimal("61.00")  # unchanged until the chair decides
    with pytest.raises(marking.MarkRefused):
        remarks.chair_decides(request, markers[0], True, "đồng ý")  # only the chair
    with pytest.raises(marking.MarkRefused):
        remarks.chair_decides(request, chair, True, "  ")  # with a reason
    with pytest.raises(marking.MarkRefused, match="1000"):
        remarks.chair_decides(request, chair, True, "Xem lại " * 130)  # one a reader can use
    remarks.chair_decides(request, chair, True, "Hội đồng đã xem lại bài thi, chấp nhận kết quả phúc khảo")
    assert round2_score(large.id).written == Decimal("70.67") and request.status == "done" and request.chair_accepted

    request = remarks.request_remark(kept, date(2026, 12, 8))
    r1, r2, *_free = not_on(kept, markers)
    remarks.record_remark(request, "first", Decimal(66), r1)
    assert remarks.record_remark(request, "second", Decimal(66), r2).needs == "chair"  # exactly 5
    remarks.chair_decides(request, chair, False, "Giữ điểm đã công bố")
    assert round2_score(kept.id).written == Decimal("61.00") and request.chair_accepted is False
    with pytest.raises(marking.MarkRefused):
        remarks.chair_decides(request, chair, True, "lần hai")  # decided once
    assert db.session.scalar(db.select(db.func.count()).select_from(RemarkRequest)) == 3


def test_e5_a_re_mark_after_publication_leaves_the_published_version_alone(setup, client, login):
    """C7 with E5: the re-marked score lands in Round2Score; version 1 is unchanged, the results
    show the difference, and the next version carries the new score."""
    markers = setup["markers"]
    settle_all(setup, "60", "62")
    round_ = setup["round"]
    first = publish(round_, FRIDAY_0900_VN)
    frozen = first.snapshot
    a = setup["apps"][0]
    request = remarks.request_remark(a, date(2026, 12, 7))
    r1, r2, *_free = not_on(a, markers)
    remarks.record_remark(request, "first", Decimal(63), r1)
    remarks.record_remark(request, "second", Decimal(63), r2)
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
        give_mark(b, "first", "70", m1)
    give_mark(c, "first", "70", m1)
    with pytest.raises(marking.MarkRefused, match="C3"):
        marking.record_absence(c, hr)  # being marked here
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="written_absent")).object_id == str(b.id)


def test_a_final_mark_imported_from_a_file_is_not_marked_again(setup):
    a = setup["apps"][2]
    row = round2_score(a.id)
    row.written, row.written_source = Decimal("66.5"), "import"  # formats.md --kind written
    assert marking.imported(a) and marking.needed(a) is None
    with pytest.raises(marking.MarkRefused):
        give_mark(a, "first", "70", setup["markers"][0])
    assert round2_score(a.id).written == Decimal("66.5")


def test_c3_the_second_marker_is_drawn_at_random_among_the_others(setup, monkeypatch):
    """C3: "the second chosen at random, never the first". Any marker could give the second mark: the
    first marker's colleague of choice, say. With the first mark the second marker is drawn from the
    system's random source among the other active markers; only they give it, audited."""
    import secrets

    a, b, markers = setup["apps"][0], setup["apps"][1], setup["markers"]
    offered = []

    class Recorded(secrets.SystemRandom):
        def choice(self, population):
            offered.append(list(population))
            return population[-1]

    monkeypatch.setattr(secrets, "SystemRandom", Recorded)
    markers[4].active = False  # left the marking board
    give_mark(a, "first", "70", markers[0])
    assert offered == [[markers[1], markers[2], markers[3], markers[5]]]  # never the first, only active markers
    assert drawn(a) == markers[5]
    with pytest.raises(marking.MarkRefused, match="C3"):
        give_mark(a, "second", "72", markers[1])  # not the one drawn
    assert give_mark(a, "second", "72", markers[5]).score == Decimal("71.00")
    entry = db.session.scalar(db.select(AuditEntry).filter_by(action="second_marker_drawn"))
    assert entry.object_id == str(a.id) and markers[5].username in entry.after

    give_mark(b, "first", "70", markers[0])
    markers[5].active = False  # the drawn marker left: any other may give it
    assert drawn(b) is None
    assert give_mark(b, "second", "70", markers[2]).score == Decimal("70.00")


def test_c3_a_first_mark_with_no_other_marker_to_draw_is_refused(setup):
    a, markers = setup["apps"][0], setup["markers"]
    for marker in markers[1:]:
        marker.active = False
    with pytest.raises(marking.MarkRefused, match="C3"):
        give_mark(a, "first", "70", markers[0])


def test_c7_no_re_marking_for_a_cancelled_or_not_admitted_candidate(setup):
    """C7 re-marks a script of the paper written test: request_remark and record_remark did not ask the
    script's own checks (record_mark does), so a cancelled selection (F3) or an application no longer
    admitted (A4) could be re-marked and its written score changed. Both are refused in words."""
    settle_all(setup)
    cancelled, rejected, later = setup["apps"]
    request = remarks.request_remark(later, date(2026, 12, 7), results_on=date(2026, 12, 4))
    cancelled.cancelled, cancelled.cancel_reason = True, "bằng giả"
    rejected.status = "rejected"
    later.cancelled, later.cancel_reason = True, "không đến nhận việc"
    db.session.flush()
    with pytest.raises(marking.MarkRefused, match="F3"):
        remarks.request_remark(cancelled, date(2026, 12, 7), results_on=date(2026, 12, 4))
    with pytest.raises(marking.MarkRefused, match="A4"):
        remarks.request_remark(rejected, date(2026, 12, 7), results_on=date(2026, 12, 4))
    with pytest.raises(marking.MarkRefused, match="F3"):  # asked before the cancellation, marked after it
        remarks.record_remark(request, "first", Decimal(64), not_on(later, setup["markers"])[0])
    assert request.marks in (None, "{}") and db.session.scalar(db.select(db.func.count()).select_from(RemarkRequest)) == 1


def test_c7_each_re_mark_is_audited_with_what_it_changed(setup):
    """A re-mark's audit entry had only an after: the request's state before it (the mark's empty place,
    its status and outcome) is its before, as every other change's."""
    import json

    settle_all(setup)
    request = remarks.request_remark(setup["apps"][0], date(2026, 12, 7), results_on=date(2026, 12, 4))
    re_markers = not_on(setup["apps"][0], setup["markers"])
    remarks.record_remark(request, "first", Decimal(64), re_markers[0])
    remarks.record_remark(request, "second", Decimal(80), re_markers[1])
    first, second = db.session.scalars(db.select(AuditEntry).filter_by(action="remark_marked").order_by(AuditEntry.seq))
    assert json.loads(first.before) == {"which": "first", "score": None, "status": "marking", "outcome": None}
    assert json.loads(second.before) == {"which": "second", "score": None, "status": "marking", "outcome": None}
    assert json.loads(second.after)["status"] == "marking"  # 64 and 80: a third re-marker (C7)


def test_c7_the_chair_does_not_accept_a_re_mark_of_a_selection_cancelled_meanwhile(setup):
    """The chair's decision did not ask the script's checks: a re-mark waiting for the chair was
    accepted, and the written score changed, for a selection cancelled in between (F3)."""
    settle_all(setup, "60", "62")  # 61
    a = setup["apps"][0]
    request = remarks.request_remark(a, date(2026, 12, 7), results_on=date(2026, 12, 4))
    r1, r2, r3, *_free = not_on(a, setup["markers"])
    remarks.record_remark(request, "first", Decimal(70), r1)
    remarks.record_remark(request, "second", Decimal(74), r2)
    assert remarks.record_remark(request, "third", Decimal(68), r3).needs == "chair"
    a.cancelled, a.cancel_reason = True, "bằng giả"
    db.session.flush()
    with pytest.raises(marking.MarkRefused, match="F3"):
        remarks.chair_decides(request, setup["chair"], True, "Chấp nhận kết quả phúc khảo")
    assert round2_score(a.id).written == Decimal("61.00") and request.status == "chair"
