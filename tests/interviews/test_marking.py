"""The paper written test through the service (C3, C7): the rule examples of C3 mark by mark, each
mark by its own marker on an anonymised script, re-marking within 5 working days of the results,
and the council chair's decision when a re-mark moves the score by 5 or more."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from interviews import marking
from interviews.models import RemarkRequest
from recruitment.extensions import db
from recruitment.scores import round1_result, round2_score
from results.models import ResultVersion
from tests.recruitment.helpers import round_with_applications


@pytest.fixture
def setup(app, make_user, tmp_path):
    markers = [make_user(f"gk{i}", "marker") for i in range(1, 7)]
    chair, hr = make_user("chutich", "council_chair"), make_user("hr_mk", "hr")
    round_, apps = round_with_applications(tmp_path, "WM", ["Lê Hoa", "Vũ Nam", "Hà My"])
    for application in apps:  # round 1 passed (B2): they sit the written test
        result = round1_result(application.id)
        result.correct, result.total = Decimal(45), 60
    db.session.commit()
    return {"markers": markers, "chair": chair, "hr": hr, "round": round_, "apps": apps}


def _mark(application, which, score, marker):
    return marking.record_mark(application, which, Decimal(score), marker)


def test_c3_two_marks_5_apart_give_the_mean(setup):
    a, (m1, m2, *_rest) = setup["apps"][0], setup["markers"]
    assert _mark(a, "first", "70", m1) is None
    assert round2_score(a.id).written is None  # one mark: nothing yet
    with pytest.raises(marking.MarkRefused):
        _mark(a, "second", "72", m1)  # the second marker is never the first
    outcome = _mark(a, "second", "75", m2)
    assert outcome.score == Decimal("72.50") and round2_score(a.id).written == Decimal("72.50")
    with pytest.raises(marking.MarkRefused):
        _mark(a, "third", "71", setup["markers"][2])  # settled: no third


def test_c3_between_5_and_10_goes_to_the_head_marker(setup):
    a, (m1, m2, m3, *_rest) = setup["apps"][0], setup["markers"]
    _mark(a, "first", "60", m1)
    outcome = _mark(a, "second", "67", m2)
    assert outcome.needs == "head" and round2_score(a.id).written is None  # publication blocked meanwhile
    with pytest.raises(marking.MarkRefused):
        _mark(a, "third", "64", m3)  # C3 asks for the head, not a third marker
    with pytest.raises(marking.MarkRefused):
        _mark(a, "head", "64", m3)  # a marker is not the head marker
    assert _mark(a, "head", "64", setup["chair"]).score == Decimal("64.00")


def test_c3_ten_apart_takes_a_third_marker_and_two_agreeing(setup):
    a, (m1, m2, m3, *_rest) = setup["apps"][0], setup["markers"]
    _mark(a, "first", "50", m1)
    assert _mark(a, "second", "62", m2).needs == "third_marker"
    assert _mark(a, "third", "62", m3).score == Decimal("62.00")  # two of three agree
    b = setup["apps"][1]
    _mark(b, "first", "50", m1)
    _mark(b, "second", "62", m2)
    assert _mark(b, "third", "56", m3).needs == "head"  # no two agree: the head marker decides
    assert marking.script_code(a) != marking.script_code(b) and len(marking.script_code(a)) == 6


def test_working_days_skip_the_weekend():
    assert marking.add_working_days(date(2026, 12, 4), 5) == date(2026, 12, 11)  # Friday to the next Friday
    assert marking.add_working_days(date(2026, 12, 7), 5) == date(2026, 12, 14)  # Monday to the next Monday


def _published(round_, on: datetime):
    db.session.add(ResultVersion(round_id=round_.id, number=1, published_by="hr", snapshot="[]", digest="0" * 64,
                                 published_at=on))
    db.session.flush()


def test_c7_requests_only_within_5_working_days_of_the_results(setup):
    a, (m1, m2, *_rest) = setup["apps"][0], setup["markers"]
    _mark(a, "first", "70", m1)
    _mark(a, "second", "74", m2)
    with pytest.raises(marking.MarkRefused):
        marking.request_remark(a, date(2026, 12, 7))  # nothing published yet
    _published(setup["round"], datetime(2026, 12, 4, 2))  # Friday 09:00 in Vietnam
    with pytest.raises(marking.MarkRefused, match="11/12/2026"):
        marking.request_remark(a, date(2026, 12, 14))
    request = marking.request_remark(a, date(2026, 12, 11))
    assert request.deadline == date(2026, 12, 11) and request.published == Decimal("72.00")
    computer = setup["apps"][1]
    row = round2_score(computer.id)
    row.written, row.written_source = Decimal("80"), "computer"
    with pytest.raises(marking.MarkRefused):
        marking.request_remark(computer, date(2026, 12, 7))  # C7: paper tests only


def test_c7_a_small_change_stands_and_a_large_one_waits_for_the_chair(setup):
    markers, chair = setup["markers"], setup["chair"]
    _published(setup["round"], datetime(2026, 12, 4, 2))
    small, large = setup["apps"][0], setup["apps"][1]
    for application in (small, large):
        _mark(application, "first", "60", markers[0])
        _mark(application, "second", "62", markers[1])  # 61 published
    request = marking.request_remark(small, date(2026, 12, 7))
    with pytest.raises(marking.MarkRefused):
        marking.record_remark(request, "first", Decimal(64), markers[0])  # an original marker
    marking.record_remark(request, "first", Decimal(64), markers[2])
    outcome = marking.record_remark(request, "second", Decimal(64), markers[3])
    assert outcome.score == Decimal("64.00") and request.status == "done"  # 3 from 61: it stands
    assert round2_score(small.id).written == Decimal("64.00")

    request = marking.request_remark(large, date(2026, 12, 7))
    marking.record_remark(request, "first", Decimal(70), markers[2])
    assert marking.record_remark(request, "second", Decimal(74), markers[3]).needs == "third_marker"
    outcome = marking.record_remark(request, "third", Decimal(68), markers[4])
    assert outcome.score == Decimal("70.67") and outcome.needs == "chair"  # the mean of three, 9.67 from 61
    assert round2_score(large.id).written == Decimal("61.00")  # unchanged until the chair decides
    with pytest.raises(marking.MarkRefused):
        marking.chair_decides(request, markers[0], True, "đồng ý")
    marking.chair_decides(request, chair, True, "Hội đồng đã xem lại bài thi, chấp nhận kết quả phúc khảo")
    assert round2_score(large.id).written == Decimal("70.67") and request.status == "done"
    assert db.session.scalar(db.select(db.func.count()).select_from(RemarkRequest)) == 2


def test_the_pages_keep_scripts_anonymous_to_markers_and_carry_each_step(setup, client, login):
    a, markers, round_ = setup["apps"][0], setup["markers"], setup["round"]
    path = f"/marking/rounds/{round_.id}"
    login(markers[0])
    round1_result(setup["apps"][1].id).correct = Decimal(10)  # failed round 1 (B2): no written test
    db.session.commit()
    page = client.get(path).get_data(as_text=True)
    assert marking.script_code(a) in page and "Lê Hoa" not in page  # C3: anonymised scripts
    assert marking.script_code(setup["apps"][1]) not in page
    client.post(f"/marking/applications/{a.id}/mark", data={"which": "first", "score": "58"})
    login(markers[1])
    assert "58" not in client.get(path).get_data(as_text=True)  # the second marker does not see the first's mark
    client.post(f"/marking/applications/{a.id}/mark", data={"which": "second", "score": "66,5"})
    login(setup["chair"])
    page = client.get(path).get_data(as_text=True)
    assert "Lê Hoa" in page and "58" in page
    client.post(f"/marking/applications/{a.id}/mark", data={"which": "head", "score": "63"})
    assert round2_score(a.id).written == Decimal("63.00")
    _published(round_, datetime(2026, 12, 4, 2))
    db.session.commit()
    login(setup["hr"])
    client.post(f"/marking/rounds/{round_.id}/remarks", data={"application_id": a.id, "requested_on": "2026-12-08"})
    request = db.session.scalar(db.select(RemarkRequest))
    assert request.deadline == date(2026, 12, 11) and request.published == Decimal("63.00")
    for marker, which in ((markers[2], "first"), (markers[3], "second")):
        login(marker)
        client.post(f"/marking/remarks/{request.id}/mark", data={"which": which, "score": "64"})
    db.session.refresh(request)
    assert request.status == "done" and round2_score(a.id).written == Decimal("64.00")  # 1 point: it stands (C7)


def test_a_final_mark_imported_from_a_file_is_not_marked_again(setup):
    a = setup["apps"][2]
    row = round2_score(a.id)
    row.written, row.written_source = Decimal("66.5"), "import"  # formats.md --kind written
    assert marking.imported(a) and marking.needed(a) is None
    with pytest.raises(marking.MarkRefused):
        _mark(a, "first", "70", setup["markers"][0])
    assert round2_score(a.id).written == Decimal("66.5")
