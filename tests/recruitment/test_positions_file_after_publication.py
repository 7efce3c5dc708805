"""The positions file keeps to the position form's rules: once a round's results are published its
positions stay as they were published (rules.md E5; the grade decides who sat round 1, B0, and the
quota who was selected, E3), and every change it makes is audited with before and after, as the
form's own edits are (position_edited)."""
from __future__ import annotations

import io
import json

import pytest
from flask_babel import force_locale

from recruitment import importing, tabular
from recruitment.audit import AuditEntry
from recruitment.database import utcnow
from recruitment.extensions import db
from recruitment.models import Position
from recruitment.tabular import ImportRejected
from tests.support.factories import make_round
from tests.support.importfiles import POSITION_HEADERS, POSITIONS


def _file(rows) -> bytes:
    return tabular.xlsx_bytes([("d", POSITION_HEADERS, rows)])


def _changed(code: str, **changes) -> list:
    """The standard positions file with one position's cells changed, by column name."""
    rows = [list(r) for r in POSITIONS]
    row = next(r for r in rows if r[0] == code)
    for column, value in changes.items():
        row[POSITION_HEADERS.index(column)] = value
    return rows


def _round(code: str = "R1", *, published: bool):
    round_ = make_round(code)
    importing.import_positions(round_, "p.xlsx", _file(POSITIONS))
    if published:
        round_.results_published_at = utcnow()
        db.session.commit()
    return round_


def _state(code: str) -> tuple:
    db.session.expire_all()
    position = db.session.scalar(db.select(Position).filter_by(code=code))
    return position.quota, position.grade, position.agency


def _edits() -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).filter_by(action="position_edited").order_by(AuditEntry.seq)))


def test_a_file_changing_a_published_position_is_refused_whole_naming_the_row_and_the_position(app):
    round_ = _round(published=True)
    rows = _changed("TC-01", quota=7, grade="chuyen_vien_chinh")
    rows.append(["KH-03", "Chuyên viên kế hoạch", "Sở KH&ĐT", "chuyen_vien", 1, "written", "dai_hoc", ""])
    with force_locale("en"), pytest.raises(ImportRejected) as refused:
        importing.import_positions(round_, "p.xlsx", _file(rows))
    # One error per changed cell, on the row of TC-01 (row 2 as the spreadsheet numbers it), and the new KH-03's.
    assert {(e.row, e.column) for e in refused.value.errors} == {(2, "grade"), (2, "quota"), (len(rows) + 1, "code")}
    with force_locale("en"):
        message = str(refused.value.errors[0])
    assert "row 2" in message and "TC-01" in message and "published its results" in message
    db.session.rollback()
    assert _state("TC-01") == (2, "chuyen_vien", "Sở Tài chính")  # E5: as published
    assert db.session.scalar(db.select(Position).filter_by(code="KH-03")) is None  # all or nothing
    assert _edits() == []


def test_the_same_file_again_after_publication_changes_nothing_and_is_taken(app):
    round_ = _round(published=True)
    report = importing.import_positions(round_, "p.xlsx", _file(POSITIONS))
    assert (report.created, report.updated) == (0, 0)
    assert _edits() == []


def test_before_publication_a_change_is_audited_with_before_and_after_per_position(app):
    round_ = _round(published=False)
    report = importing.import_positions(round_, "p.xlsx", _file(_changed("TC-01", quota=7, agency="Sở Nội vụ")))
    assert (report.created, report.updated) == (0, 1)
    assert _state("TC-01") == (7, "chuyen_vien", "Sở Nội vụ")
    [edited] = _edits()  # VT-02 did not change: no entry for it
    position = db.session.scalar(db.select(Position).filter_by(code="TC-01"))
    assert edited.object_id == str(position.id)
    before, after = json.loads(edited.before), json.loads(edited.after)
    assert (before["quota"], after["quota"]) == (2, 7)
    assert (before["agency"], after["agency"]) == ("Sở Tài chính", "Sở Nội vụ")
    assert before["grade"] == after["grade"] == "chuyen_vien"


def test_the_hr_page_refuses_the_file_and_the_position_stays_as_published(app, client, make_user, login):
    round_ = _round(published=True)
    login(make_user("hr2", "hr"))
    response = client.post(f"/hr/rounds/{round_.id}/import/positions",
                           data={"file": (io.BytesIO(_file(_changed("TC-01", quota=7, grade="chuyen_vien_chinh"))),
                                          "p.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "TC-01" in response.get_data(as_text=True)
    assert _state("TC-01") == (2, "chuyen_vien", "Sở Tài chính")


def test_majors_saved_with_uneven_spacing_are_the_same_majors(app):
    """The form may have saved "Kinh  tế;Luật" (two spaces); the file reads "Kinh tế; Luật". After
    publication the unchanged file was refused, quoting two lists a reader sees as the same (a second
    reviewer's finding)."""
    round_ = _round(published=False)
    position = db.session.scalar(db.select(Position).filter_by(code="TC-01"))
    position.majors = "Kinh  tế;Luật"
    round_.results_published_at = utcnow()
    db.session.commit()
    importing.import_positions(round_, "p.xlsx", _file(_changed("TC-01", majors="Kinh tế; Luật")))
    assert db.session.scalar(db.select(Position).filter_by(code="TC-01")).majors == "Kinh  tế;Luật"


def test_no_new_position_once_published_by_the_file_or_the_form(app):
    """E5: a published round keeps its positions as published. A new one (nobody can apply to it any
    more) was taken by the form and by the file, and the next version listed it."""
    from recruitment import positions

    round_ = _round(published=True)
    rows = [*POSITIONS, ["KH-03", "Chuyên viên kế hoạch", "Sở KH&ĐT", "chuyen_vien", 1, "written", "dai_hoc", ""]]
    with pytest.raises(ImportRejected) as refused:
        importing.import_positions(round_, "p.xlsx", _file(rows))
    assert [(e.row, e.column) for e in refused.value.errors] == [(len(rows) + 1, "code")]
    db.session.rollback()
    with pytest.raises(positions.PositionRefused, match="E5"):
        positions.create(round_, {"code": "KH-03", "name": "Chuyên viên kế hoạch", "agency": "Sở KH&ĐT",
                                  "grade": "chuyen_vien", "quota": 1, "round2_form": "written",
                                  "degree_level": "dai_hoc", "majors": ""})
    db.session.rollback()
    assert db.session.scalar(db.select(Position).filter_by(code="KH-03")) is None
