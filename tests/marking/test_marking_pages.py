"""The marking pages (C3, C7): scripts by code only, each marker blind to the others' marks (a marker
who is also the council chair included), the steps of re-marking through the forms, roles and CSRF,
refusals named and audited."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from marking import service as marking
from marking.models import RemarkRequest, WrittenMark
from recruitment.audit import AuditEntry
from recruitment.extensions import db
from recruitment.scores import round1_result, round2_score
from tests.support.auth import login_as
from tests.support.client import confirmation_fields, through_confirmation
from tests.support.factories import round_with_applications
from tests.support.marking import drawn, give_mark, more_apps, not_on


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
    login(drawn(a))  # C3: the second marker drawn at random with the first mark
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
    through_confirmation(client, f"/marking/rounds/{setup['round'].id}/scripts/{marking.script_code(c)}/absent")
    assert round2_score(c.id).written_absent and round2_score(c.id).written is None
    client.post(f"/marking/rounds/{round_.id}/remarks", data={"application_id": a.id, "requested_on": "2026-12-08"})
    assert db.session.scalar(db.select(RemarkRequest)) is None  # nothing published, no announcement date
    client.post(f"/marking/rounds/{round_.id}/remarks", data={"application_id": a.id, "requested_on": "2026-12-08",
                                                              "results_on": "2026-12-04"})
    request = db.session.scalar(db.select(RemarkRequest))
    assert request.deadline == date(2026, 12, 11) and request.published == Decimal("63.00")
    for marker, which in zip(not_on(a, markers), ("first", "second"), strict=False):  # re-markers: none of its
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


def test_marks_only_for_scripts_of_a_paper_test_the_candidate_is_admitted_to(setup, tmp_path):
    """Item 1: C3 marks only for candidates admitted to round 2's paper written test of their own
    position: round 1 passed (B9), not rejected or cancelled, a written part on paper. A computer
    score (C2) is never replaced by a mark."""
    from exam.models import ExamTest

    a, b, c = setup["apps"]
    m1, m2 = setup["markers"][:2]
    computer, = more_apps(setup, tmp_path, ["Đào Minh"], position="VT-02")
    other_position = computer.position
    cancelled, = more_apps(setup, tmp_path, ["Kim Anh"])
    a.status = "rejected"  # A4
    round1_result(b.id).correct = Decimal(10)  # failed round 1 (B2)
    cancelled.cancelled = True  # F3
    score = round2_score(c.id)
    score.written, score.written_source = Decimal(45), "computer"  # C2: graded by the exam
    db.session.commit()
    for application, reason in ((a, "A4"), (b, "B2, B9"), (cancelled, "F3"), (c, "C2")):
        with pytest.raises(marking.MarkRefused, match=reason):
            give_mark(application, "first", "98", m1)
    assert round2_score(c.id).written == Decimal(45) and round2_score(c.id).written_source == "computer"
    # A position whose written test is set on computer (C2): refused before it is even graded.
    db.session.add(ExamTest(round_id=setup["round"].id, kind="round2_written", position_id=other_position.id,
                            section="professional", title="Nghiệp vụ", minutes=90, scale_to_100=True))
    db.session.commit()
    with pytest.raises(marking.MarkRefused, match="C2"):
        give_mark(computer, "first", "98", m1)
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
    apps = setup["apps"] + more_apps(setup, tmp_path, [f"Thí sinh {i}" for i in range(8)])
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


def test_an_announcement_at_the_end_of_the_calendar_is_refused_in_words(setup, client, login):
    """C7's deadline is 5 working days after the announcement: one given as 31/12/9999 took it past the
    year 9999 (OverflowError, a 500). Such a date is refused with the reason, and nothing is recorded."""
    a, markers, round_ = setup["apps"][0], setup["markers"], setup["round"]
    code = marking.script_code(a)
    for marker, which, score in ((markers[0], "first", "58"), (markers[1], "second", "60")):
        login(marker)
        client.post(f"/marking/rounds/{round_.id}/scripts/{code}/mark", data={"which": which, "score": score})
    login(setup["hr"])
    for day in ("9999-12-31", "9999-12-27"):
        page = client.post(f"/marking/rounds/{round_.id}/remarks", follow_redirects=True,
                           data={"application_id": a.id, "requested_on": day, "results_on": day})
        assert page.status_code == 200, day
    assert db.session.scalar(db.select(RemarkRequest)) is None


def test_a_chair_who_marks_does_not_read_a_scripts_marks_while_a_mark_is_theirs_to_give(app, make_user, tmp_path,
                                                                                        client, login):
    """C3: two independent markers. The council chair reads every mark (the head marker decides
    between them), and a chair who is also a marker, drawn as the second marker, read the first mark
    before giving theirs. The marks show once the user has none left to give on the script."""
    first = make_user("gk1", "marker")
    chair_marker = make_user("ctgk", "marker", "council_chair")  # the only other marker: drawn for sure
    round_, (a,) = round_with_applications(tmp_path, "WI", ["Lê Hoa"])
    result = round1_result(a.id)
    result.correct, result.total = Decimal(45), 60
    round2_score(a.id).interview = Decimal(70)
    db.session.commit()
    give_mark(a, "first", "58.75", first)
    db.session.commit()
    assert drawn(a).id == chair_marker.id and marking.needed(a) == "second"
    login(chair_marker)
    path = f"/marking/rounds/{round_.id}"
    page = client.get(path).get_data(as_text=True)
    assert 'name="which" value="second"' in page  # asked for the second mark ...
    assert "58,75" not in page and "58.75" not in page  # ... without the first one to read
    client.post(f"{path}/scripts/{marking.script_code(a)}/mark", data={"which": "second", "score": "66"})
    assert marking.needed(a) == "head"  # 7.25 apart: the head marker, the chair, decides (C3)
    page = client.get(path).get_data(as_text=True)
    assert "58,75" in page and 'name="which" value="head"' in page  # the marks they decide between


def test_recording_an_absence_first_names_the_candidate_and_its_consequence(setup, client, login):
    """An absence from the written test is for good: the script is never marked (needed() is None,
    record_mark refuses) and the candidate is 'absent' in round 2. One click on the button of an
    unmarked script recorded it; the first post now names the candidate and the consequence."""
    a, round_ = setup["apps"][0], setup["round"]
    path = f"/marking/rounds/{round_.id}/scripts/{marking.script_code(a)}/absent"
    login(setup["hr"])
    first = client.post(path)
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and 'id="confirmation"' in page
    assert a.full_name in page and a.number_label in page and "không bao giờ được chấm" in page
    assert not round2_score(a.id).written_absent
    assert not db.session.scalar(db.select(AuditEntry).filter_by(action="written_absent"))
    assert client.post(path, data=confirmation_fields(page)).status_code == 302
    assert round2_score(a.id).written_absent and marking.needed(a) is None
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="written_absent")).object_id == str(a.id)
