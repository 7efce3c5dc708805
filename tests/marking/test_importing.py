"""`scores import --kind written`: a paper test's rows name their markers and are recorded into C3
(docs/marking.md); all or nothing, each refused row named."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask_babel import force_locale

from marking.importing import import_written
from recruitment.extensions import db
from recruitment.models import Application
from recruitment.scores import Round2Score, round1_result
from recruitment.tabular import ImportRejected
from tests.support.factories import import_candidates, make_round
from tests.support.importfiles import application_row


@pytest.fixture
def round_(app, tmp_path):
    round_ = make_round()
    rows = [application_row(f"03100000000{i}", name) for i, name in enumerate(["Trần An", "Lê Bình", "Võ Cường"], 1)]
    import_candidates(round_, tmp_path, rows)
    for application in db.session.scalars(db.select(Application).filter_by(round_id=round_.id)):
        result = round1_result(application.id)  # round 1 passed (B2): admitted to the written test
        result.correct, result.total = Decimal(40), 60
    db.session.commit()
    return round_


@pytest.fixture
def markers(make_user):
    return [make_user("gk1", "marker"), make_user("gk2", "marker"), make_user("gk3", "marker"),
            make_user("ct", "council_chair")]


MARKED = "candidate_number,score,absent,first_marker,first_mark,second_marker,second_mark\n"


def _scores():
    return {s.application.candidate_number: s for s in db.session.scalars(db.select(Round2Score))}


def test_written_marks_by_national_id_and_errors_by_row(round_, markers):
    import_written(round_, "w.csv", b"so_cccd,diem,vang_thi,nguoi_cham_1,diem_cham_1,nguoi_cham_2,diem_cham_2\n"
                   b"031000000001,72.5,no,gk1,71,gk2,74\n")
    assert _scores()[1].written == Decimal("72.50")
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        import_written(round_, "w.csv", b"candidate_number,score,absent\n2,101,no\n3,,no\n2,,yes\n")
    assert {(e.row, e.column) for e in excinfo.value.errors} == {(2, "score"), (3, "first_marker"), (4, "candidate_number")}


def test_a_paper_test_file_records_its_named_markers_into_c3(round_, markers):
    """Item 3: a paper test's marks come with their two named markers (C3) and land as C3's marks: the
    marking page shows them, C3 reconciles them, a final mark alone is refused."""
    from marking import service as marking
    from marking.models import WrittenMark

    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        import_written(round_, "w.csv", b"candidate_number,score,absent\n1,70,no\n")
    assert [(e.row, e.column) for e in excinfo.value.errors] == [(2, "first_marker")]
    assert "C3" in excinfo.value.errors[0].message and not db.session.scalar(db.select(WrittenMark))
    report = import_written(round_, "w.csv", (MARKED + "1,72.5,no,gk1,71,gk2,74\n2,,no,gk2,50,gk3,62\n3,,yes,,,,\n").encode())
    apps = {a.candidate_number: a for a in db.session.scalars(db.select(Application))}
    marks = marking.marks_of(apps[1])
    assert {w: (m.marker.username, m.score) for w, m in marks.items()} == {"first": ("gk1", Decimal(71)),
                                                                          "second": ("gk2", Decimal(74))}
    s = _scores()
    assert s[1].written == Decimal("72.50") and not s[1].written_pending
    assert s[2].written is None and s[2].written_pending and marking.needed(apps[2]) == "third"  # C3: 12 apart
    assert s[3].written_absent and report.messages
    marking.record_mark(apps[2], "third", Decimal(62), markers[0])  # C3 goes on on the marking page
    assert _scores()[2].written == Decimal("62.00")


def test_a_written_file_is_checked_against_c3_and_the_candidates(round_, markers):
    """Item 3 with items 1 and C3: the same marker twice, a non-marker, a final mark that is not C3's
    result, a candidate who failed round 1, marks over marks already recorded: each row named."""
    apps = {a.candidate_number: a for a in db.session.scalars(db.select(Application))}
    round1_result(apps[3].id).correct = Decimal(10)  # failed round 1 (B2)
    db.session.commit()
    with force_locale("en"), pytest.raises(ImportRejected) as excinfo:
        import_written(round_, "w.csv", (MARKED + "1,70,no,gk1,70,gk1,70\n2,80,no,gk1,70,ct,72\n"
                                         "3,70,no,gk1,70,gk2,70\n").encode())
    errors = {(e.row, e.column): e.message for e in excinfo.value.errors}
    assert set(errors) == {(2, "second_marker"), (3, "second_marker"), (3, "score"), (4, "candidate_number")}
    assert "B2" in errors[(4, "candidate_number")]
    import_written(round_, "w.csv", (MARKED + "1,70,no,gk1,70,gk2,70\n").encode())
    with force_locale("en"), pytest.raises(ImportRejected, match="C3"):
        import_written(round_, "w.csv", (MARKED + "1,75,no,gk1,75,gk2,75\n").encode())
    assert _scores()[1].written == Decimal("70.00")
